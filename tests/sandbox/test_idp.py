"""The sandbox identity provider over HTTP: discovery, JWKS, code + PKCE, refresh, client credentials."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.conf import settings

SCOPES = "openid profile email claims:read receipts:read receipts:write denials:write"


def _discovery(demo) -> dict:
    response = requests.get(f"{settings.OIDC_ISSUER_URL}/.well-known/openid-configuration", timeout=10)
    assert response.status_code == HTTPStatus.OK
    return response.json()


def _decode(token: str) -> dict:
    jwks = jwt.PyJWKClient(_discovery(None)["jwks_uri"])
    key = jwks.get_signing_key_from_jwt(token).key
    return jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        audience=settings.CLAIMS_API_AUDIENCE,
        issuer=settings.OIDC_ISSUER_URL,
    )


def sign_in_and_get_code(username: str, password: str = "sandbox-demo") -> tuple[str, str, requests.Session]:
    """Drive the browser side of the authorization code flow with PKCE; returns (code, verifier)."""
    browser = requests.Session()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = f"{settings.SITE_URL}/accounts/oidc/{settings.OIDC_PROVIDER_ID}/login/callback/"
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": SCOPES,
        "state": "st4te",
        "nonce": "n0nce",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    authorize = _discovery(None)["authorization_endpoint"]
    first = browser.get(authorize, params=params, allow_redirects=False, timeout=10)
    assert first.status_code == HTTPStatus.FOUND
    login_url = requests.compat.urljoin(authorize, first.headers["Location"])
    assert "/sandbox/o/login/" in login_url
    page = browser.get(login_url, timeout=10)
    assert username in page.text  # the sign-in page lists the demo accounts
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = re.search(r'name="next" value="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    posted = browser.post(
        login_url,
        data={"csrfmiddlewaretoken": csrf, "username": username, "password": password, "next": next_url},
        allow_redirects=False,
        timeout=10,
    )
    assert posted.status_code == HTTPStatus.FOUND, posted.text
    back = browser.get(
        requests.compat.urljoin(login_url, posted.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert back.status_code == HTTPStatus.FOUND
    location = urlsplit(back.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == redirect_uri
    query = parse_qs(location.query)
    assert query["state"] == ["st4te"]
    return query["code"][0], verifier, browser


def _exchange(code: str, verifier: str) -> requests.Response:
    return requests.post(
        _discovery(None)["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": f"{settings.SITE_URL}/accounts/oidc/{settings.OIDC_PROVIDER_ID}/login/callback/",
            "client_id": settings.OIDC_CLIENT_ID,
            "client_secret": settings.OIDC_CLIENT_SECRET,
        },
        timeout=10,
    )


def test_discovery_and_jwks(demo):
    doc = _discovery(demo)
    assert doc["issuer"] == settings.OIDC_ISSUER_URL
    assert "S256" in doc.get("code_challenge_methods_supported", ["S256"])
    keys = requests.get(doc["jwks_uri"], timeout=10).json()["keys"]
    assert keys and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]


def test_member_code_flow_with_pkce_gives_a_jwt_the_api_accepts(demo):
    code, verifier, _ = sign_in_and_get_code("alice")
    response = _exchange(code, verifier)
    assert response.status_code == HTTPStatus.OK, response.text
    tokens = response.json()
    assert {"access_token", "refresh_token", "id_token", "expires_in"} <= set(tokens)
    assert tokens["expires_in"] == settings.SANDBOX_ACCESS_TOKEN_LIFETIME
    claims = _decode(tokens["access_token"])
    assert claims["person_id"] == demo.alice
    assert claims["employer_id"] == demo.acme and "FSA" in claims["account_types"]
    assert "business_entity_id" not in claims
    assert set(claims["scope"].split()) >= {"claims:read", "receipts:write"}
    assert "denials:write" not in claims["scope"].split()  # members never get it
    assert claims["exp"] - claims["iat"] == settings.SANDBOX_ACCESS_TOKEN_LIFETIME
    api = demo.get(f"/v1/claims?person_id={demo.alice}", token=tokens["access_token"])
    assert api.status_code == HTTPStatus.OK


def test_id_token_and_userinfo_identify_the_member(demo):
    code, verifier, _ = sign_in_and_get_code("alice")
    tokens = _exchange(code, verifier).json()
    id_claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert id_claims["nonce"] == "n0nce" and id_claims["aud"] == settings.OIDC_CLIENT_ID
    info = requests.get(
        _discovery(None)["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()
    assert info["person_id"] == demo.alice and info["preferred_username"] == "alice"


def test_code_exchange_without_the_verifier_fails(demo):
    code, _verifier, _ = sign_in_and_get_code("alice")
    response = _exchange(code, "wrong-verifier-" + "x" * 40)
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_admin_token_carries_business_and_denials_scope(demo):
    code, verifier, _ = sign_in_and_get_code("hana")
    claims = _decode(_exchange(code, verifier).json()["access_token"])
    assert claims["business_entity_id"] == demo.acme and "person_id" not in claims
    assert "denials:write" in claims["scope"].split() and "receipts:write" not in claims["scope"].split()


def test_refresh_token_grant(demo):
    code, verifier, _ = sign_in_and_get_code("alice")
    first = _exchange(code, verifier).json()
    refreshed = requests.post(
        _discovery(None)["token_endpoint"],
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "client_id": settings.OIDC_CLIENT_ID,
            "client_secret": settings.OIDC_CLIENT_SECRET,
        },
        timeout=10,
    )
    assert refreshed.status_code == HTTPStatus.OK, refreshed.text
    body = refreshed.json()
    assert body["access_token"] != first["access_token"]
    assert body["refresh_token"] != first["refresh_token"]  # rotated
    assert _decode(body["access_token"])["person_id"] == demo.alice


def test_client_credentials_for_a_service_account(demo):
    response = requests.post(
        _discovery(None)["token_endpoint"],
        data={
            "grant_type": "client_credentials",
            "client_id": "acme-reporting",
            "client_secret": "sandbox-demo-service",
            "scope": "claims:read denials:write",
        },
        timeout=10,
    )
    assert response.status_code == HTTPStatus.OK, response.text
    token = response.json()["access_token"]
    claims = _decode(token)
    assert claims["business_entity_id"] == demo.acme
    assert claims["scope"] == "claims:read"  # denials:write is not for service accounts here
    assert demo.get(f"/v1/claims?business_entity_id={demo.acme}", token=token).status_code == HTTPStatus.OK


def test_wrong_password_shows_an_error_in_words(demo):
    browser = requests.Session()
    login = f"{settings.OIDC_ISSUER_URL}/login/"
    page = browser.get(login, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        login, data={"csrfmiddlewaretoken": csrf, "username": "alice", "password": "nope"}, timeout=10
    )
    assert response.status_code == HTTPStatus.OK
    assert "do not match" in response.text


def test_provider_sign_in_does_not_sign_in_to_the_portal(demo):
    """The provider keeps its own cookie: being signed in there is not a portal session."""
    _code, _verifier, browser = sign_in_and_get_code("alice")
    assert "sessionid" not in browser.cookies
    cookie = next(c for c in browser.cookies if c.name == "sandbox_idp")
    assert cookie.path == "/sandbox/o/" and cookie.has_nonstandard_attr("HttpOnly")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/portal-page"])
def test_sign_in_next_cannot_leave_the_provider(demo, target):
    browser = requests.Session()
    login = f"{settings.OIDC_ISSUER_URL}/login/"
    page = browser.get(login, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post(
        login,
        data={"csrfmiddlewaretoken": csrf, "username": "alice", "password": "sandbox-demo", "next": target},
        allow_redirects=False,
        timeout=10,
    )
    assert response.headers["Location"].startswith("/sandbox/o/")


def test_a_provider_cookie_signed_with_the_once_published_key_signs_no_one_in(demo):
    """The embedded setup's secret key was a published default; it is made on first run now."""
    from django.contrib.auth import get_user_model
    from django.core import signing

    hana = get_user_model().objects.get(username="hana")
    published = "insecure-embedded-development-key-change-me"
    forged = signing.dumps(hana.pk, key=published, salt="sandbox.idp.session")
    page = requests.get(f"{demo.base_url}/sandbox/o/signed-in/", cookies={"sandbox_idp": forged}, timeout=10)
    assert "You are not signed in at the sandbox identity provider" in page.text
    assert settings.SECRET_KEY != published


# --- As strict as a real provider (issue 15, finding 6) -------------------------------------------


def _authorize_params(**overrides: str) -> dict:
    verifier = secrets.token_urlsafe(48)
    params = {
        "response_type": "code", "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": f"{settings.SITE_URL}/accounts/oidc/{settings.OIDC_PROVIDER_ID}/login/callback/",
        "scope": "openid", "state": "st4te", "nonce": "n0nce", "code_challenge": verifier,
        "code_challenge_method": "plain",
    }  # fmt: skip
    params.update(overrides)
    return params


def _signed_in_browser(username: str = "alice") -> requests.Session:
    _, _, browser = sign_in_and_get_code(username)
    return browser


def test_pkce_plain_is_refused(demo):
    browser = _signed_in_browser()
    answer = browser.get(_discovery(None)["authorization_endpoint"], params=_authorize_params(),
                         allow_redirects=False, timeout=10)  # fmt: skip
    assert "code=" not in answer.headers.get("Location", "")
    assert answer.status_code == HTTPStatus.BAD_REQUEST or "error=invalid_request" in answer.headers["Location"]
    assert _discovery(None)["code_challenge_methods_supported"] == ["S256"]


def test_a_redirect_uri_on_another_port_gets_no_code(demo):
    browser = _signed_in_browser()
    site = urlsplit(settings.SITE_URL)
    elsewhere = f"{site.scheme}://{site.hostname}:{site.port + 1}/accounts/oidc/benefits/login/callback/"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(b"v" * 50).digest()).rstrip(b"=").decode()
    answer = browser.get(
        _discovery(None)["authorization_endpoint"],
        params=_authorize_params(redirect_uri=elsewhere, code_challenge=challenge, code_challenge_method="S256"),
        allow_redirects=False, timeout=10,
    )  # fmt: skip
    assert not answer.headers.get("Location", "").startswith(elsewhere)
    assert "code=" not in answer.headers.get("Location", "")


def _refresh(token: str) -> requests.Response:
    return requests.post(
        _discovery(None)["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": token, "client_id": settings.OIDC_CLIENT_ID,
              "client_secret": settings.OIDC_CLIENT_SECRET},
        timeout=10,
    )  # fmt: skip


def test_a_reused_refresh_token_revokes_the_whole_family(demo):
    code, verifier, _ = sign_in_and_get_code("alice")
    first = _exchange(code, verifier).json()
    second = _refresh(first["refresh_token"])
    assert second.status_code == HTTPStatus.OK
    assert _refresh(first["refresh_token"]).status_code == HTTPStatus.BAD_REQUEST  # reused: stolen?
    assert _refresh(second.json()["refresh_token"]).status_code == HTTPStatus.BAD_REQUEST  # the family is gone


def _try_password(browser: requests.Session, username: str, password: str) -> requests.Response:
    login = f"{settings.OIDC_ISSUER_URL}/login/"
    page = browser.get(login, timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(login, data={"csrfmiddlewaretoken": csrf, "username": username, "password": password},
                        allow_redirects=False, timeout=10)  # fmt: skip


def test_wrong_passwords_are_limited_per_account_with_a_message_in_words(demo):
    browser = requests.Session()
    for _ in range(5):
        assert _try_password(browser, "bob", "wrong").status_code == HTTPStatus.OK
    refused = _try_password(browser, "bob", "sandbox-demo")  # even the right one, for now
    assert refused.status_code == HTTPStatus.OK and "sandbox_idp" not in refused.cookies
    assert "Too many wrong passwords for this account" in refused.text and "minutes" in refused.text
    assert _try_password(requests.Session(), "alice", "sandbox-demo").status_code == HTTPStatus.FOUND


def test_wrong_passwords_are_limited_per_address(demo):
    for n in range(20):
        _try_password(requests.Session(), f"nobody{n}", "wrong")
    refused = _try_password(requests.Session(), "alice", "sandbox-demo")
    assert "Too many wrong passwords from this address" in refused.text


def test_logout_by_a_plain_get_ends_nothing(demo):
    browser = _signed_in_browser()
    answer = browser.get(f"{settings.OIDC_ISSUER_URL}/logout/", timeout=10)
    assert answer.status_code == HTTPStatus.OK and "Sign out of the provider" in answer.text
    page = browser.get(f"{settings.OIDC_ISSUER_URL}/signed-in/", timeout=10)
    assert "You are signed in at the sandbox identity provider as <strong>alice</strong>" in page.text


def test_logout_with_the_id_token_as_hint_or_by_post_ends_the_provider_session(demo):
    code, verifier, browser = sign_in_and_get_code("alice")
    id_token = _exchange(code, verifier).json()["id_token"]
    back = f"{settings.SITE_URL}/signin/"
    answer = browser.get(f"{settings.OIDC_ISSUER_URL}/logout/",
                         params={"id_token_hint": id_token, "post_logout_redirect_uri": back},
                         allow_redirects=False, timeout=10)  # fmt: skip
    assert answer.status_code == HTTPStatus.FOUND and answer.headers["Location"] == back
    page = browser.get(f"{settings.OIDC_ISSUER_URL}/signed-in/", timeout=10)
    assert "You are not signed in" in page.text
    browser = _signed_in_browser()
    form = browser.get(f"{settings.OIDC_ISSUER_URL}/logout/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    browser.post(f"{settings.OIDC_ISSUER_URL}/logout/", data={"csrfmiddlewaretoken": csrf}, timeout=10)
    assert "You are not signed in" in browser.get(f"{settings.OIDC_ISSUER_URL}/signed-in/", timeout=10).text
