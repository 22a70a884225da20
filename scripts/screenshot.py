"""Screenshot app pages in headless Chromium, on a freshly seeded sample database.

.venv/bin/python scripts/screenshot.py overview --out docs/overview.png
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from loaders import import_paths
from models import make_engine
from models.access import command_line_actor
from tests.browser.server import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_for_app
from tests.seeded import AS_OF, build_template


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page", nargs="?", default="overview", help="url path of the page")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "overview.png")
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full", action="store_true", help="capture the whole scrollable page")
    parser.add_argument("--wait-for", default=".js-plotly-plot", help="CSS selector to wait for")
    parser.add_argument(
        "--click",
        action="append",
        default=[],
        help="text of a button to click before the capture (repeatable, in order)",
    )
    parser.add_argument(
        "--import",
        dest="imports",
        action="append",
        type=Path,
        default=[],
        help="a file to import into the seeded database first (repeatable), e.g. a roster",
    )
    parser.add_argument(
        "--database-url",
        help="shoot the pages of this database instead of a fresh sample (e.g. a bench's)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{build_template(Path(tmp))}"
        if args.imports:
            engine = make_engine(url)
            operator = command_line_actor(read_only=False)
            for result in import_paths(args.imports, engine=engine, actor=operator):
                print(f"{result.file}: {result.status}")
            engine.dispose()
        env = {"DATABASE_URL": url, "LP_AS_OF": AS_OF}
        with streamlit_server(env) as app, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            # The default page lives at the root ("/overview" is only the first run's path).
            path = "" if args.page == "overview" else args.page
            # A fresh server's first run of a page skips app.py's menu (pages.router): run it
            # once, then shoot the page as every later visitor sees it, menu included.
            for _ in range(2):
                page.goto(f"{app}/{path}")
                wait_for_app(page)
            if args.wait_for:
                page.wait_for_selector(args.wait_for, timeout=60_000)
            wait_for_app(page)
            for text in args.click:
                page.get_by_text(text, exact=True).first.click()
                page.wait_for_timeout(500)
                wait_for_app(page)
                if args.wait_for:
                    page.wait_for_selector(args.wait_for, timeout=60_000)
            page.wait_for_timeout(1500)  # let plotly finish its transitions
            args.out.parent.mkdir(parents=True, exist_ok=True)
            if args.full:
                # Streamlit scrolls inside its main container, not the window.
                height = page.evaluate(
                    "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
                )
                page.set_viewport_size({"width": args.width, "height": int(height) + 40})
                page.wait_for_timeout(800)
            page.screenshot(path=str(args.out))
            browser.close()
    print(args.out)


if __name__ == "__main__":
    main()
