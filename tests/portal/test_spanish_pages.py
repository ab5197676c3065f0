"""Every page and partial in Spanish, as alice and as hana, against the same page in English.

A text a person reads (a text between tags, or an attribute read aloud or shown: aria-label,
title, placeholder, alt, a button's value, the session dialog's ``data-text-*``) that is the same
on the English and the Spanish page was not translated: either never marked for translation, or
missing from the catalog. What is not the portal's own text is left out: passages marked
``lang="en"`` (claim data from the API and the insurers, shown as sent), ``<code>`` (ids and
codes), and texts with no word but names, acronyms and numbers. Pages only reached by doing
something (sending a receipt, asking the insurer, resolving a denial) are checked in Spanish alone
for English words. The last test fails if a template of the portal was never rendered in Spanish
here, so a new page or partial cannot skip the check.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.utils import translation

from insurance.payers import load_demo_payers
from portal.models import Profile
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, ReceiptStatus
from sandbox.seed import ADMINS, EMPLOYERS, MEMBERS
from tests.helpers import csrf, portal_sign_in, upload_token
from tests.insurance.test_cards import save_card
from tests.insurance.test_checks import DENTAL, MEDICAL, VISION, _ask, _until_answered
from tests.portal.test_sessions import signed_in_client
from tests.receipts.workers import start_worker

__all__ = ["start_worker"]  # the fixture

HTMX = {"HX-Request": "true"}
TEMPLATES = Path(settings.BASE_DIR, "templates")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
# Proper names: the demo's people (and their usernames), employers, and alice's son.
NAMES = (
    {w for user, first, last, *_ in [*MEMBERS, *ADMINS] for w in (user or "", first, last)}
    | {w for name, _code in EMPLOYERS.values() for w in name.split()}
    | {"Minh"}
)  # alice's son on her insurance card
# Words that only English has (none is Spanish): one of them outside a passage marked lang="en"
# means English text on a Spanish page.
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|and|with|this|that|these|is|are|was|were|will|please|from|have|been|which|"
    r"claim|claims|receipt|receipts|upload|uploaded|insurer|denied|paid|pending|amount|share|"
    r"what|when|why|how|need|needs|yet|our|here|there|check|send)\b",
    re.I,
)

RENDERED_IN_SPANISH: set[str] = set()


@pytest.fixture(autouse=True)
def _record_templates() -> Iterator[None]:
    def seen(sender, template, context, **kwargs):  # type: ignore[no-untyped-def]
        if (translation.get_language() or "").startswith("es") and template.name:
            RENDERED_IN_SPANISH.add(template.name)

    template_rendered.connect(seen, dispatch_uid="spanish-pages")
    yield
    template_rendered.disconnect(dispatch_uid="spanish-pages")
    translation.activate(settings.LANGUAGE_CODE)


class _Texts(HTMLParser):
    """What a person reads on a page, outside passages marked lang="en", <code>, scripts, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        # The page's own language is on <html>; inside it, a passage marked English is claim data.
        english = tag != "html" and (found.get("lang") or "").startswith("en")
        skip = self._skipping() or tag in {"script", "style", "code"} or english
        if not skip:
            for name, value in attrs:
                shown = name in SHOWN_ATTRIBUTES or name.startswith("data-text-")
                button = name == "value" and tag == "input" and found.get("type") in {"submit", "button"}
                if value and (shown or button):
                    self.texts.append(" ".join(value.split()))
        if tag not in VOID:
            self._open.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skipping():
            self.texts.append(text)


def texts(html: str) -> list[str]:
    reader = _Texts()
    reader.feed(html)
    return [t for t in reader.texts if not _neutral(t)]


# Words spelled the same in both languages, which may stand alone on a page.
SAME_IN_BOTH = {"Plan", "Total", "No", "Email", "Dental"}
FILE_NAME = re.compile(r"^\S+\.(pdf|jpe?g|png|gif|heic|heif|tiff?|bmp|webp)$", re.I)


def _neutral(text: str) -> bool:
    """No word but names, acronyms (FSA, NPI), codes and numbers; or a file's name (the member's own)."""
    if FILE_NAME.match(text) or text in SAME_IN_BOTH:
        return True
    words = re.findall(r"[^\W\d_]{2,}", text)
    return all(w in NAMES or w.isupper() for w in words)


def lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def english_words(html: str) -> list[str]:
    return sorted({t for t in texts(html) if ENGLISH_WORDS.search(t)})


class Pages:
    """The same pages fetched in English and in Spanish, compared text by text."""

    def __init__(self) -> None:
        self.english: dict[str, list[str]] = {}
        self.untranslated: dict[str, list[str]] = {}
        self.count = 0

    def english_page(self, key: str, html: str) -> None:
        assert lang(html) == "en", key
        self.english[key] = texts(html)
        assert self.english[key], f"{key}: no text read from the English page"

    def spanish_page(self, key: str, html: str) -> None:
        assert lang(html) == "es", key
        spanish = texts(html)
        same = sorted(set(self.english[key]) & set(spanish))
        left = sorted({t for t in spanish if ENGLISH_WORDS.search(t)} | set(same))
        if left:
            self.untranslated[key] = left
        self.count += 1

    def assert_all_translated(self, at_least: int) -> None:
        assert not self.untranslated, "\n".join(f"{k}: {v}" for k, v in self.untranslated.items())
        assert self.count >= at_least


def _fragment(html: str, language: str = "es") -> str:
    """A partial, wrapped as a page of ``language`` so it can be read like one."""
    return f'<html lang="{language}">{html}</html>'


def _both(pages: Pages, fetch, paths: list[tuple[str, dict[str, str]]], set_language) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "es"):
        set_language(language)
        for path, headers in paths:
            html = fetch(path, headers)
            if headers.get("HX-Request"):
                html = f'<html lang="{language}">{html}</html>'
            key = f"{path} {headers}"
            (pages.english_page if language == "en" else pages.spanish_page)(key, html)


# --- The member's pages ------------------------------------------------------------------------


def test_every_page_alice_can_open_reads_in_spanish(portal_member, demo):
    from insurance.models import Payer

    load_demo_payers()
    client = signed_in_client(portal_member)
    saved = client.post("/insurance/", {**MEDICAL, "payer": str(Payer.objects.get(payer_id="SUMMT").pk)})
    assert saved.status_code == HTTPStatus.FOUND  # saved, then back to the cards
    claims = list(Claim.objects.filter(person__id=demo.alice).order_by("-submission_date"))
    medical = next(c for c in claims if c.category == "Medical")
    first = client.get("/claims/").content.decode()
    filters = re.search(r'<select name="status".*?</select>', first, re.S).group(0)
    statuses = [v for v in re.findall(r'value="([^"]*)"', filters) if v]
    paths: list[tuple[str, dict[str, str]]] = [
        ("/claims/", {}),
        ("/claims/", HTMX),
        *[(f"/claims/?status={s}", {}) for s in statuses],
        ("/claims/?q=zzzz-nothing", {}),
        *[(f"/claims/{c.claim_number}/", {}) for c in claims],
        ("/receipts/", {}),
        ("/payees/", {}),
        ("/eligible-expenses/", {}),
        ("/insurance/", {}),
        (f"/insurance/?coverage=dental&next=/claims/{medical.claim_number}/", {}),
        (f"/claims/{medical.claim_number}/insurer/", {}),
        ("/no-such-page/", {}),
        ("/claims/NOPE0000000/", {}),
        ("/employer/claims/", {}),  # not hers: the 403 page
        ("/claims/?" + "&".join(f"f{i}=1" for i in range(1200)), {}),  # the 400 page
    ]

    def set_language(language: str) -> None:
        Profile.objects.filter(user=portal_member).update(language=language)

    def fetch(path: str, headers: dict[str, str]) -> str:
        response = client.get(path, headers=headers)
        assert response.status_code in {200, 400, 403, 404}, (path, response.status_code)
        return response.content.decode()

    pages = Pages()
    _both(pages, fetch, paths, set_language)
    pages.assert_all_translated(at_least=len(claims) + 10)


# --- The employer's pages ----------------------------------------------------------------------


def _switch(browser, base_url: str, language: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.get(f"{base_url}/claims/", timeout=20)
    browser.post(
        f"{base_url}/language/",
        data={"csrfmiddlewaretoken": csrf(page.text), "language": language, "return_to": "/"},
        headers={"Referer": f"{base_url}/"},
        timeout=20,
    )


def test_every_page_hana_can_open_reads_in_spanish(demo):
    hana, _home = portal_sign_in(demo.base_url, "hana")
    listing = hana.get(f"{demo.base_url}/employer/claims/", timeout=20).text
    filters = re.search(r'<select name="status".*?</select>', listing, re.S).group(0)
    statuses = [v for v in re.findall(r'value="([^"]*)"', filters) if v]
    acme = Claim.objects.filter(employer__id=demo.acme)
    with_denials = list(acme.filter(denials__isnull=False).distinct().order_by("-submission_date")[:12])
    others = list(acme.filter(denials__isnull=True).order_by("-submission_date")[:12])
    paths: list[tuple[str, dict[str, str]]] = [
        ("/employer/claims/", {}),
        ("/employer/claims/", HTMX),
        *[(f"/employer/claims/?status={s}", {}) for s in statuses],
        ("/employer/claims/?min_amount=%24100&max_amount=1%2C000", {}),  # refused filters, in words
        ("/employer/claims/?min_amount=%24100&max_amount=1%2C000", HTMX),
        ("/employer/claims/?q=zzzz-nothing", {}),
        *[(f"/employer/claims/{c.claim_number}/", {}) for c in with_denials + others],
        ("/employer/audit/", {}),
        ("/claims/", {}),  # a member's page: hana is sent to hers
    ]

    def fetch(path: str, headers: dict[str, str]) -> str:
        response = hana.get(f"{demo.base_url}{path}", headers=headers, timeout=20)
        assert response.status_code in {200, 403}, (path, response.status_code)
        return response.text

    pages = Pages()
    _both(pages, fetch, paths, lambda language: _switch(hana, demo.base_url, language))
    pages.assert_all_translated(at_least=len(with_denials) + len(others) + 5)
    export = hana.get(f"{demo.base_url}/employer/claims/export.csv", timeout=20)
    assert export.content.decode("utf-8-sig").split(",", 1)[0] == "número_de_reclamo"


def test_hana_resolves_a_denial_in_spanish(demo):
    hana, _ = portal_sign_in(demo.base_url, "hana")
    _switch(hana, demo.base_url, "es")
    claim = next(
        c
        for c in Claim.objects.filter(person__id=demo.alice, claim_status="DENIED_STATUS", paid_amount=0)
        if c.denials.count() == 1
    )
    denial = claim.denials.get()
    form = hana.get(
        f"{demo.base_url}/employer/claims/{claim.claim_number}/denials/{denial.denial_id}/resolve/", timeout=20
    )
    assert lang(form.text) == "es" and english_words(form.text) == []
    refused = hana.post(
        form.url, data={"csrfmiddlewaretoken": csrf(form.text), "reallocate_to_paid_amount": "five"}, timeout=20
    )
    assert refused.url == form.url and english_words(refused.text) == []
    confirm = hana.post(
        form.url, data={"csrfmiddlewaretoken": csrf(form.text), "reallocate_to_paid_amount": "5.00"}, timeout=20
    )
    assert confirm.url.endswith("/confirm/") and english_words(confirm.text) == []
    done = hana.post(confirm.url, data={"csrfmiddlewaretoken": csrf(confirm.text)}, timeout=20)
    assert done.url.endswith("/result/") and lang(done.text) == "es"
    assert english_words(done.text) == []
    audit = hana.get(f"{demo.base_url}/employer/audit/", timeout=20).text
    assert claim.claim_number in audit and english_words(audit) == []


# --- What alice does: the receipt check, her insurance cards, the insurer check ---------------


def test_alice_checks_and_sends_a_receipt_in_spanish(demo, start_worker):
    start_worker("evidence.read")
    alice, _ = portal_sign_in(demo.base_url, "alice")
    _switch(alice, demo.base_url, "es")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = alice.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=20).text
    token = upload_token(page)
    files = [
        ("receipt_files", ("farmacia.pdf", receipt_pdf(["Corner Pharmacy", "Total $12.00"]), "application/pdf")),
        ("receipt_files", ("otro.pdf", receipt_pdf(["Hoja 2"]), "application/pdf")),
    ]
    started = alice.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/",
        data={"csrfmiddlewaretoken": csrf(page), "upload_token": token}, files=files, headers=HTMX, timeout=30,
    )  # fmt: skip
    assert started.status_code == 200 and english_words(_fragment(started.text)) == []
    review = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/{token}/"
    deadline = time.monotonic() + 90
    panel = started.text
    while "hx-trigger" in panel and time.monotonic() < deadline:
        time.sleep(0.5)
        panel = alice.get(review, headers=HTMX, timeout=20).text
    assert "hx-trigger" not in panel, "the reading never finished"
    assert english_words(_fragment(panel)) == []
    full = alice.get(review, timeout=20).text  # the same check without JavaScript
    assert lang(full) == "es" and english_words(full) == []
    other = re.search(r'name="check_id" value="([^"]+)"', panel).group(1)
    removed = alice.post(
        f"{review}remove/", data={"csrfmiddlewaretoken": csrf(page), "check_id": other}, headers=HTMX, timeout=20
    )
    assert english_words(_fragment(removed.text)) == []
    sent = alice.post(f"{review}send/", data={"csrfmiddlewaretoken": csrf(page)}, headers=HTMX, timeout=30)
    assert sent.status_code == 200 and english_words(_fragment(sent.text)) == []
    after = alice.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=20).text
    assert english_words(after) == []
    # A bad file is refused in words, in Spanish.
    bad = [("receipt_files", ("r.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "application/pdf"))]
    refused = alice.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/",
        data={"csrfmiddlewaretoken": csrf(after), "upload_token": upload_token(after)}, files=bad, headers=HTMX,
        timeout=30,
    )  # fmt: skip
    assert "recibo" in refused.text and english_words(_fragment(refused.text)) == []


@pytest.fixture
def quick(demo, settings):
    settings.SANDBOX_INTEGREX_DELAY_SECONDS = 1.0
    load_demo_payers()
    return demo


def test_alice_keeps_her_cards_and_asks_her_insurers_in_spanish(quick):
    alice, _ = portal_sign_in(quick.base_url, "alice")
    _switch(alice, quick.base_url, "es")
    bad = save_card(alice, quick.base_url, {**VISION, "member_id": "", "date_of_birth": "31/31/1988"}, "LKVSN")
    assert english_words(bad.text) == []
    for data, payer in ((VISION, "LKVSN"), (DENTAL, "EVGDN")):
        saved = save_card(alice, quick.base_url, data, payer)
        assert saved.status_code == 200 and english_words(saved.text) == []
    eye = Claim.objects.get(person__id=quick.alice, provider_name="ClearView Eye Care", expense_type="Eye Exam")
    _form, asked = _ask(alice, quick.base_url, eye.claim_number)
    assert lang(asked.text) == "es" and english_words(asked.text) == []
    answer = _until_answered(alice, asked.url)
    assert english_words(_fragment(answer)) == []
    page = alice.get(asked.url, timeout=20).text
    assert english_words(page) == []
    shared = alice.post(f"{asked.url}attach/", data={"csrfmiddlewaretoken": csrf(page)}, timeout=20)
    assert english_words(shared.text) == []
    dental = Claim.objects.filter(person__id=quick.alice, category="Dental").order_by("-submission_date")
    for claim in dental[:3]:  # Optum's JSON: status codes, their categories and entities in words
        form, asked = _ask(alice, quick.base_url, claim.claim_number)
        assert english_words(form) == [] and english_words(asked.text) == [], claim.claim_number
    refused = _ask(alice, quick.base_url, eye.claim_number, billed_amount="$abc", service_date="someday")[1]
    assert english_words(refused.text) == []
    hana, _ = portal_sign_in(quick.base_url, "hana")
    _switch(hana, quick.base_url, "es")
    theirs = hana.get(f"{quick.base_url}/employer/claims/{eye.claim_number}/", timeout=20).text
    assert "aseguradora" in theirs and english_words(theirs) == []


# --- Sign-in and the pages of failures --------------------------------------------------------


def test_sign_in_and_the_sandbox_provider_read_in_spanish(demo):
    import requests

    pages = Pages()
    for language in ("en", "es"):
        browser = requests.Session()
        browser.headers["Accept-Language"] = language
        signin = browser.get(f"{demo.base_url}/signin/", timeout=20).text
        at_provider = browser.post(
            f"{demo.base_url}/accounts/oidc/benefits/login/", data={"csrfmiddlewaretoken": csrf(signin)}, timeout=20
        )
        wrong = browser.post(
            at_provider.url,
            data={
                "csrfmiddlewaretoken": csrf(at_provider.text),
                "username": "alice",
                "password": "not-the-password",
                "next": re.search(r'name="next" value="([^"]+)"', at_provider.text).group(1).replace("&amp;", "&"),
            },
            timeout=20,
        )
        add = pages.english_page if language == "en" else pages.spanish_page
        for key, html in (("signin", signin), ("provider", at_provider.text), ("wrong", wrong.text)):
            add(key, html)
        add("provider-nobody", browser.get(f"{demo.base_url}/sandbox/o/signed-in/", timeout=20).text)
        at_provider_only = browser.post(
            at_provider.url,
            data={"csrfmiddlewaretoken": csrf(wrong.text), "username": "alice", "password": "sandbox-demo",
                  "next": "/sandbox/o/signed-in/"},
            timeout=20,
        )  # fmt: skip
        assert at_provider_only.url.endswith("/sandbox/o/signed-in/")
        add("provider-signed-in", at_provider_only.text)
        signed_out = browser.get(f"{demo.base_url}/sandbox/o/logout/", timeout=20)
        add("provider-signed-out", signed_out.text)
        refused = browser.get(f"{demo.base_url}/accounts/oidc/benefits/login/callback/?error=access_denied", timeout=20)
        add("sign-in-refused", refused.text)
    pages.assert_all_translated(at_least=7)


def _inline_and_limits(language: str) -> dict[str, str]:
    """Answers no test can cause cheaply through the served portal (a rate limit reached, the
    Claims API failing), drawn by the very code that answers them."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    from portal.gateway.errors import RateLimitedError, ServiceError
    from portal.middleware import UpstreamErrorMiddleware
    from portal.ratelimit import too_many

    def request(htmx: bool = False):  # type: ignore[no-untyped-def]
        made = RequestFactory().get("/claims/", headers=HTMX if htmx else {})
        made.user, made.session, made.htmx = AnonymousUser(), SessionStore(), htmx
        made.request_id, made.LANGUAGE_CODE = "req-1234", language
        return made

    middleware = UpstreamErrorMiddleware(lambda r: None)
    with translation.override(language):
        pages = {
            "429": too_many(request(), 600),
            "429-seconds": too_many(request(), 20),
            "upstream": middleware.process_exception(request(), ServiceError(status=502, request_id="up-1")),
            "upstream-limited": middleware.process_exception(request(), RateLimitedError(status=429)),
        }
        partials = {
            "429-inline": too_many(request(htmx=True), 90),
            "upstream-inline": middleware.process_exception(request(htmx=True), ServiceError(status=503)),
        }
        return {
            **{k: r.content.decode() for k, r in pages.items()},
            **{k: _fragment(r.content.decode(), language) for k, r in partials.items()},
        }


def test_the_pages_of_failures_read_in_spanish(demo, settings):
    from importlib import import_module
    from unittest import mock

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import OperationalError

    pages = Pages()
    for language in ("en", "es"):
        add = pages.english_page if language == "en" else pages.spanish_page
        for key, html in _inline_and_limits(language).items():
            add(key, html)
        client = Client(headers={"accept-language": language}, enforce_csrf_checks=True, raise_request_exception=False)
        client.get("/signin/")
        add("403-csrf", client.post("/language/", {"language": "es"}).content.decode())
        settings.REQUEST_MAX_BYTES = 1000

        def big() -> dict[str, SimpleUploadedFile]:
            return {"receipt_files": SimpleUploadedFile("receipt.pdf", b"%PDF-1.7\n" + b"x" * 4000)}

        too_big = client.post("/claims/CLM-2026-0001/receipts/", big())
        assert too_big.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        add("413", too_big.content.decode())
        add(
            "413-inline",
            _fragment(client.post("/claims/CLM-2026-0001/receipts/", big(), headers=HTMX).content.decode(), language),
        )
        settings.REQUEST_MAX_BYTES = 100 * 1024 * 1024
        store = import_module(settings.SESSION_ENGINE).SessionStore
        client.cookies["sessionid"] = "a" * 32
        with mock.patch.object(store, "load", side_effect=OperationalError("down")):
            outage = client.get("/claims/")
        assert outage.status_code == HTTPStatus.SERVICE_UNAVAILABLE
        add("503", outage.content.decode())
        del client.cookies["sessionid"]
        with mock.patch("portal.middleware.PermissionsPolicyMiddleware.__call__", side_effect=RuntimeError("bug")):
            broken = client.get("/signin/")
        assert broken.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
        add("500", broken.content.decode())
    pages.assert_all_translated(at_least=11)


# --- Nothing skipped -------------------------------------------------------------------------

# Templates rendered by something other than a page of the portal, with the reason.
NOT_PAGES: dict[str, str] = {}


def test_every_template_was_rendered_in_spanish():
    """Runs last in this module: every template of the portal was drawn in Spanish by a test
    above (so its text was compared with English), or is listed in NOT_PAGES with the reason."""
    every = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")}
    missing = sorted(every - RENDERED_IN_SPANISH - set(NOT_PAGES))
    assert not missing, f"never rendered in Spanish here: {missing}"
