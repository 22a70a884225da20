"""The test OIDC provider refuses what a real one refuses, and its ID tokens verify."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc_provider import Provider, auth_secrets, oidc_provider

REDIRECT = "http://127.0.0.1:1/oauth2callback"
VERIFIER = "a" * 50


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
def provider() -> Iterator[Provider]:
    with oidc_provider() as p:
        yield p


def _code(provider: Provider, email: str = "viewer@example.com", **extra: str) -> str:
    """Walk /authorize and the sign-in form; returns the code sent to the redirect URI."""
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT,
        "scope": "openid email profile",
        "state": "st-1",
        "nonce": "n-1",
        **extra,
    }
    form = httpx.get(f"{provider.issuer}/authorize", params=params)
    assert form.status_code == 200
    assert "Sign in as" in form.text
    match = re.search(r'name="request_id" value="([^"]+)"', form.text)
    assert match is not None
    back = httpx.post(f"{provider.issuer}/authorize", data={"request_id": match[1], "email": email})
    assert back.status_code == 302
    location = back.headers["location"]
    assert location.startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def _token(provider: Provider, code: str, **extra: str) -> httpx.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **extra}
    return httpx.post(
        f"{provider.issuer}/token", data=data, auth=(provider.client_id, provider.client_secret)
    )


def test_discovery_names_the_endpoints(provider: Provider) -> None:
    meta = httpx.get(provider.metadata_url).json()
    assert meta["issuer"] == provider.issuer
    assert meta["token_endpoint"] == f"{provider.issuer}/token"
    assert meta["response_types_supported"] == ["code"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]


def test_code_exchange_gives_a_verifiable_id_token(provider: Provider) -> None:
    code = _code(provider, code_challenge=_challenge(VERIFIER), code_challenge_method="S256")
    answer = _token(provider, code, code_verifier=VERIFIER)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    keys = KeySet.import_key_set(httpx.get(f"{provider.issuer}/jwks").json())
    claims = jwt.decode(body["id_token"], keys).claims
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["nonce"] == "n-1"
    assert claims["email"] == "viewer@example.com"
    assert claims["email_verified"] is True
    assert claims["exp"] > claims["iat"]
    userinfo = httpx.get(
        f"{provider.issuer}/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
    ).json()
    assert userinfo["sub"] == claims["sub"]
    assert provider.logins == ["viewer@example.com"]
    assert provider.pkce_used == [True]


def test_a_code_works_once(provider: Provider) -> None:
    code = _code(provider)
    assert _token(provider, code).status_code == 200
    assert _token(provider, code).json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(provider: Provider) -> None:
    code = _code(provider)
    answer = httpx.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": provider.client_id,
            "client_secret": "not-the-secret",
        },
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"


def test_secret_in_the_body_is_accepted(provider: Provider) -> None:
    code = _code(provider)
    answer = httpx.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
    )
    assert answer.status_code == 200, answer.text


def test_pkce_verifier_must_match(provider: Provider) -> None:
    code = _code(provider, code_challenge=_challenge(VERIFIER), code_challenge_method="S256")
    answer = _token(provider, code, code_verifier="b" * 50)
    assert answer.json()["error"] == "invalid_grant"


def test_redirect_uri_must_match(provider: Provider) -> None:
    code = _code(provider)
    answer = _token(provider, code, redirect_uri="http://127.0.0.1:2/oauth2callback")
    assert answer.json()["error"] == "invalid_grant"


def test_unknown_client_gets_no_form(provider: Provider) -> None:
    answer = httpx.get(
        f"{provider.issuer}/authorize",
        params={"response_type": "code", "client_id": "other", "redirect_uri": REDIRECT},
    )
    assert answer.status_code == 400


def test_auth_secrets_point_at_the_provider(provider: Provider) -> None:
    import tomllib

    auth = tomllib.loads(auth_secrets(provider, "http://127.0.0.1:8765/"))["auth"]
    assert auth["redirect_uri"] == "http://127.0.0.1:8765/oauth2callback"
    assert auth["server_metadata_url"] == provider.metadata_url
    assert auth["client_id"] == provider.client_id
    assert auth["client_secret"] == provider.client_secret
    assert len(auth["cookie_secret"]) >= 32
