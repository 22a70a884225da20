"""How the HTML and PDF packs draw their charts: once the document is read, not while.

Why a module: plotly.js's `Plotly.newPlot` does work that grows with the document
it draws in, so a pack of a few hundred products, two charts a product, took time
that grew with the square of its products (measured in headless Chromium on the
2,000-product bench pack, 2026-12-06: drawing 300 products' charts 23 s, 600
products' 61 s; the same documents without charts 8 s and 15 s). Three things
did it, each found in a CPU profile of the page's load:

* each new plot looks for a ``<base>`` element (`document.querySelector("base")`),
  which walks the whole document when there is none: the document's head now
  carries an empty ``<base>`` (no ``href``, so it changes no address);
* each new plot lists every ``<defs>`` element of the document
  (`d3.selectAll("defs")`) to choose an id no other chart uses: `BEFORE_CHARTS`
  answers that one query from the ids of the charts drawn so far (which is what
  plotly reads from it), every other query going to the document as before;
* each plot made while the document was still being read measured its text
  against a layout that the reader kept growing: `BEFORE_CHARTS` queues the
  plots and the last script of the body draws them: all of them, in order, for
  the PDF (`DRAW_ALL`); in the HTML pack each one as it nears the window
  (`DRAW_NEAR`), so opening it draws a screenful, not every chart.

The figures and their ids are plotly's own; only when they are drawn changes.
Measured the same way: 600 products' charts 61 s before, 31-33 s after.
"""

from __future__ import annotations

from typing import Final

__all__ = ["BASE", "BEFORE_CHARTS", "DRAW_ALL", "DRAW_NEAR"]

BASE: Final = "<base>"
"""An empty base element: plotly's lookup of one stops in the head."""

BEFORE_CHARTS: Final = """(function () {
  var drawn = [], query = Document.prototype.querySelectorAll, plot = Plotly.newPlot;
  document.querySelectorAll = function (selector) {
    return selector === "defs" ? drawn.slice() : query.call(this, selector);
  };
  function draw(div) {
    var done;
    try {  // one chart that fails leaves the others drawn, as one inline script each did
      done = plot.apply(Plotly, arguments);
    } catch (error) {
      console.error(error);
      return undefined;
    }
    var node = typeof div === "string" ? document.getElementById(div) : div;
    if (node && node._fullLayout && node._fullLayout._uid) {
      drawn.push({id: "defs-" + node._fullLayout._uid});
    }
    return done;
  }
  var queued = [];
  Plotly.newPlot = function () { queued.push(arguments); return Promise.resolve(); };
  function drawAll() {
    for (var i = 0; i < queued.length; i++) { if (queued[i]) { draw.apply(null, queued[i]); } }
    queued = [];
  }
  window.lpDrawCharts = function (lazy) {
    Plotly.newPlot = draw;
    if (!lazy || !("IntersectionObserver" in window)) { drawAll(); return; }
    var place = {};
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var i = place[entry.target.id];
        if (!entry.isIntersecting || i === undefined || !queued[i]) { return; }
        near.unobserve(entry.target);
        var args = queued[i];
        queued[i] = null;
        draw.apply(null, args);
      });
    }, {rootMargin: "1500px 0px"});
    for (var i = 0; i < queued.length; i++) {
      var node = document.getElementById(queued[i][0]);
      if (node) { place[node.id] = i; near.observe(node); } else { queued[i] = null; }
    }
    window.addEventListener("beforeprint", function () { near.disconnect(); drawAll(); });
  };
})();"""
"""Run right after plotly.js: queue each chart, and answer plotly's "defs" query."""

DRAW_ALL: Final = "window.lpDrawCharts(false);"
"""The print layout's last script: draw every queued chart, in document order."""

DRAW_NEAR: Final = "window.lpDrawCharts(true);"
"""The screen layout's last script: draw each chart as it comes within 1,500 px of the
window (and every one left before the browser prints), so a pack of hundreds of products
opens at once instead of drawing hundreds of charts first."""
