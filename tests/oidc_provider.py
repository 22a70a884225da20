"""A small but real OpenID Connect provider for tests of Streamlit's `st.login`.

It serves the authorization-code flow on 127.0.0.1 from a background thread:
discovery (`/.well-known/openid-configuration`), `/authorize` (a one-field
"Sign in as" form: whoever types an e-mail address is that user), `/token`
(client secret by HTTP Basic or in the body, redirect URI and PKCE S256
checked), `/jwks`, `/userinfo`. ID tokens are RS256-signed with a key made at
start, so Streamlit (Authlib) verifies them exactly as it would a real
provider's.

    with oidc_provider() as provider:
        secrets = auth_secrets(provider, "http://127.0.0.1:8501")
        ...

Nothing here is safe outside tests: there is no password, codes live in memory.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

__all__ = ["Provider", "auth_secrets", "oidc_provider", "sign_in"]

CLIENT_ID = "learning-portfolio-tests"
_CODE_LIFETIME_S = 120
_TOKEN_LIFETIME_S = 3600


@dataclass
class _Grant:
    """What an issued authorization code stands for until `/token` redeems it."""

    client_id: str
    redirect_uri: str
    email: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    scope: str
    expires_at: float


@dataclass
class Provider:
    """A running provider: its URLs, its one client and what it has issued.

    `logins` lists the e-mail address of every code redeemed at `/token`, and
    `pkce_used` whether each of those exchanges was bound by a PKCE verifier.
    """

    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    logins: list[str] = field(default_factory=list)
    pkce_used: list[bool] = field(default_factory=list)
    _key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(
            2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}
        ),
        repr=False,
    )
    _pending: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _codes: dict[str, _Grant] = field(default_factory=dict, repr=False)
    _access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "name"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self._key.as_dict(private=False)]}

    def user_claims(self, email: str) -> dict[str, Any]:
        """The identity claims for one e-mail address (`sub` is stable per address)."""
        sub = hashlib.sha256(email.lower().encode()).hexdigest()[:24]
        name = email.split("@", 1)[0].replace(".", " ").title()
        return {"sub": sub, "email": email, "email_verified": True, "name": name}

    def id_token(self, grant: _Grant, access_token: str) -> str:
        now = int(time.time())
        digest = hashlib.sha256(access_token.encode("ascii")).digest()
        at_hash = base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + _TOKEN_LIFETIME_S,
            "auth_time": now,
            "at_hash": at_hash,
            **self.user_claims(grant.email),
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        header = {"alg": "RS256", "kid": self._key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet (the default writes every request to stderr)."""

    # --- plumbing -----------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: dict[str, Any], **headers: str) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json", **headers)

    def _oauth_error(self, status: int, error: str, description: str) -> None:
        self._json(status, {"error": error, "error_description": description})

    def _page(self, status: int, body: str) -> None:
        head = "<!doctype html><html><head><title>Test OIDC provider</title></head>"
        doc = f"{head}<body>{body}</body></html>"
        self._send(status, doc.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/plain", Location=location)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8")
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    # --- routes -------------------------------------------------------------------

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        provider = self.server.provider
        if route == "/.well-known/openid-configuration":
            self._json(200, provider.metadata())
        elif route == "/jwks":
            self._json(200, provider.jwks())
        elif route == "/authorize":
            self._authorize(self._query())
        elif route == "/userinfo":
            self._userinfo()
        else:
            self._page(404, "<p>Not found</p>")

    def do_POST(self) -> None:
        route = urlsplit(self.path).path
        if route == "/authorize":
            self._sign_in(self._form())
        elif route == "/token":
            self._token(self._form())
        elif route == "/userinfo":
            self._userinfo()
        else:
            self._page(404, "<p>Not found</p>")

    def _authorize(self, params: dict[str, str]) -> None:
        provider = self.server.provider
        if params.get("client_id") != provider.client_id:
            self._page(400, "<p>Unknown client_id</p>")
            return
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            self._page(400, "<p>redirect_uri must be an absolute URL</p>")
            return
        if params.get("response_type") != "code":
            self._redirect_with(redirect_uri, error="unsupported_response_type", **_state(params))
            return
        if "openid" not in params.get("scope", "").split():
            self._redirect_with(redirect_uri, error="invalid_scope", **_state(params))
            return
        method = params.get("code_challenge_method")
        if params.get("code_challenge") and method not in (None, "S256"):
            self._redirect_with(redirect_uri, error="invalid_request", **_state(params))
            return
        request_id = secrets.token_urlsafe(16)
        with provider._lock:
            provider._pending[request_id] = params
        self._page(
            200,
            '<h1>Sign in as</h1><form method="post" action="/authorize">'
            f'<input type="hidden" name="request_id" value="{html.escape(request_id)}">'
            '<label for="email">E-mail</label> '
            '<input type="email" id="email" name="email" required autofocus> '
            '<button type="submit">Sign in</button></form>',
        )

    def _sign_in(self, form: dict[str, str]) -> None:
        provider = self.server.provider
        with provider._lock:
            params = provider._pending.pop(form.get("request_id", ""), None)
        email = form.get("email", "").strip()
        if params is None:
            self._page(400, "<p>Unknown or used sign-in request</p>")
            return
        if "@" not in email:
            self._page(400, "<p>Type an e-mail address</p>")
            return
        code = secrets.token_urlsafe(24)
        grant = _Grant(
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            email=email,
            nonce=params.get("nonce"),
            code_challenge=params.get("code_challenge"),
            code_challenge_method=params.get("code_challenge_method") or None,
            scope=params.get("scope", ""),
            expires_at=time.monotonic() + _CODE_LIFETIME_S,
        )
        with provider._lock:
            provider._codes[code] = grant
        self._redirect_with(params["redirect_uri"], code=code, **_state(params))

    def _redirect_with(self, redirect_uri: str, **extra: str) -> None:
        parts = urlsplit(redirect_uri)
        query = f"{parts.query}&{urlencode(extra)}" if parts.query else urlencode(extra)
        self._redirect(urlunsplit(parts._replace(query=query)))

    def _client_credentials(self, form: dict[str, str]) -> tuple[str | None, str | None]:
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            decoded = base64.b64decode(auth[6:]).decode("utf-8")
            client_id, _, client_secret = decoded.partition(":")
            return unquote(client_id), unquote(client_secret)
        return form.get("client_id"), form.get("client_secret")

    def _token(self, form: dict[str, str]) -> None:
        provider = self.server.provider
        client_id, client_secret = self._client_credentials(form)
        if client_id != provider.client_id or not secrets.compare_digest(
            client_secret or "", provider.client_secret
        ):
            self._oauth_error(401, "invalid_client", "client authentication failed")
            return
        if form.get("grant_type") != "authorization_code":
            self._oauth_error(400, "unsupported_grant_type", "only authorization_code")
            return
        with provider._lock:
            grant = provider._codes.pop(form.get("code", ""), None)
        if grant is None or grant.expires_at < time.monotonic():
            self._oauth_error(400, "invalid_grant", "unknown, used or expired code")
            return
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            self._oauth_error(400, "invalid_grant", "redirect_uri or client does not match")
            return
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode("ascii")).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not verifier or not secrets.compare_digest(expected, grant.code_challenge):
                self._oauth_error(400, "invalid_grant", "PKCE verification failed")
                return
        access_token = secrets.token_urlsafe(32)
        with provider._lock:
            provider._access_tokens[access_token] = provider.user_claims(grant.email)
            provider.logins.append(grant.email)
            provider.pkce_used.append(grant.code_challenge is not None)
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": _TOKEN_LIFETIME_S,
                "scope": grant.scope,
                "id_token": provider.id_token(grant, access_token),
            },
            Pragma="no-cache",
        )

    def _userinfo(self) -> None:
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        provider = self.server.provider
        with provider._lock:
            claims = provider._access_tokens.get(token)
        if claims is None:
            self._json(
                401, {"error": "invalid_token"}, WWW_Authenticate='Bearer error="invalid_token"'
            )
            return
        self._json(200, claims)


def _state(params: dict[str, str]) -> dict[str, str]:
    return {"state": params["state"]} if "state" in params else {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    provider: Provider


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """Serve a fresh provider on a free port of 127.0.0.1 for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    host, port = server.server_address[:2]
    server.provider = Provider(issuer=f"http://{host}:{port}")
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield server.provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def auth_secrets(provider: Provider, app_url: str) -> str:
    """The `secrets.toml` text that points a Streamlit app at `provider`.

    `app_url` must be the exact origin the browser uses (`http://127.0.0.1:PORT`
    and `http://localhost:PORT` are different origins to Streamlit's cookie check).
    """
    values = {
        "redirect_uri": app_url.rstrip("/") + "/oauth2callback",
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "server_metadata_url": provider.metadata_url,
    }
    lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in values.items())]
    return "\n".join(lines) + "\n"


def sign_in(page: Any, app_url: str, email: str, *, timeout_ms: int = 60_000) -> None:
    """Sign in through the app's own button and the provider's form, as a person would.

    Opens `app_url` in the Playwright `page` unless it is already there, clicks the
    first button whose text starts with "Sign in" or "Log in", types `email` into the
    provider's form and waits until the browser is back on the app (a new page load;
    the new session's script may still be running). Call it on a settled page: right
    after `st.logout` the old page can still show its button while the browser leaves.
    """
    import re

    origin = app_url.rstrip("/")
    if not page.url.startswith(origin):
        page.goto(origin)
    page.wait_for_load_state()
    button = page.get_by_role("button", name=re.compile(r"^\s*(Sign in|Log in)"))
    button.first.click(timeout=timeout_ms)
    page.wait_for_selector("input[name='email']", timeout=timeout_ms)
    page.fill("input[name='email']", email)
    with page.expect_navigation(
        url=lambda url: url.startswith(origin) and "/oauth2callback" not in url,
        timeout=timeout_ms,
    ):
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
