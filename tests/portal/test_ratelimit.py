"""Rate limits: sign-in starts, uploads and denial updates, answered with 429 and Retry-After."""

from __future__ import annotations

import uuid
from http import HTTPStatus

import requests
from django.test import RequestFactory

from portal.ratelimit import client_address
from sandbox.demo_files import receipt_pdf
from sandbox.models import Claim, Receipt, ReceiptStatus
from tests.helpers import csrf as _csrf
from tests.helpers import portal_sign_in


def _starts(demo, browser: requests.Session, page: requests.Response, count: int) -> list[int]:
    codes = []
    for _ in range(count):
        response = browser.post(
            f"{demo.base_url}/accounts/oidc/benefits/login/",
            data={"csrfmiddlewaretoken": _csrf(page.text)}, allow_redirects=False, timeout=10,
        )  # fmt: skip
        codes.append(response.status_code)
    browser.last_response = response  # type: ignore[attr-defined]
    return codes


def test_sign_in_starts_are_limited_per_browser(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (3, 100, 300)}
    browser = requests.Session()
    page = browser.get(f"{demo.base_url}/signin/", timeout=10)
    assert "portal_browser" in browser.cookies
    codes = _starts(demo, browser, page, 4)
    response = browser.last_response  # type: ignore[attr-defined]
    assert codes[:3] == [HTTPStatus.FOUND] * 3 and codes[3] == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many attempts" in response.text and "Please wait" in response.text


def test_one_browsers_sign_in_starts_do_not_lock_out_others_on_the_same_address(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (3, 3, 300)}
    flooding = requests.Session()
    page = flooding.get(f"{demo.base_url}/signin/", timeout=10)
    assert _starts(demo, flooding, page, 30)[-1] == HTTPStatus.TOO_MANY_REQUESTS
    colleague = requests.Session()  # another browser behind the same address
    page = colleague.get(f"{demo.base_url}/signin/", timeout=10)
    assert _starts(demo, colleague, page, 3) == [HTTPStatus.FOUND] * 3


def test_without_a_browser_id_the_address_is_counted_and_new_ids_per_address_are_bounded(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (100, 2, 300)}
    settings.RATE_LIMIT_NEW_BROWSERS = (2, 300)
    known = requests.Session()
    known_page = known.get(f"{demo.base_url}/signin/", timeout=10)  # had its id before the flood
    for _ in range(3):  # a flood of new "browsers" from one address
        requests.get(f"{demo.base_url}/signin/", timeout=10)
    cookieless = requests.Session()
    page = cookieless.get(f"{demo.base_url}/signin/", timeout=10)
    assert "portal_browser" not in cookieless.cookies  # this address had its share of new ids
    assert _starts(demo, cookieless, page, 3) == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    assert _starts(demo, known, known_page, 3) == [HTTPStatus.FOUND] * 3


def test_a_forged_browser_id_counts_as_none(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (100, 1, 300)}
    browser = requests.Session()
    page = browser.get(f"{demo.base_url}/signin/", timeout=10)
    browser.cookies.set("portal_browser", "chosen-by-me")
    assert _starts(demo, browser, page, 2) == [HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]


def test_one_members_uploads_do_not_hold_back_another_member_on_the_same_address(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (1, 1, 600)}
    for name, person in (("alice", demo.alice), ("bob", demo.bob)):
        browser, _ = portal_sign_in(demo.base_url, name)
        claim = Claim.objects.filter(person__id=person, receipt_status=ReceiptStatus.REQUIRED).first()
        page = browser.get(f"{demo.base_url}/claims/", timeout=10).text
        response = browser.post(
            f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
            data={"csrfmiddlewaretoken": _csrf(page), "upload_token": str(uuid.uuid4())},
            files={"receipt_files": ("r.pdf", receipt_pdf(["r"]), "application/pdf")},
            allow_redirects=False, timeout=20,
        )  # fmt: skip
        assert response.status_code == HTTPStatus.FOUND, name


def test_uploads_are_limited_per_user_and_nothing_is_sent_when_limited(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 100, 600)}
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    url = f"{demo.base_url}/claims/{claim.claim_number}/receipts/"
    codes = []
    for n in range(3):
        page = browser.get(f"{demo.base_url}/claims/", timeout=10).text
        token = str(uuid.uuid4())  # a new form each time
        response = browser.post(
            url, data={"csrfmiddlewaretoken": _csrf(page), "upload_token": token},
            files={"receipt_files": (f"r{n}.pdf", receipt_pdf([str(n)]), "application/pdf")},
            allow_redirects=False, timeout=20,
        )  # fmt: skip
        codes.append(response.status_code)
    assert codes == [HTTPStatus.FOUND, HTTPStatus.FOUND, HTTPStatus.TOO_MANY_REQUESTS]
    assert Receipt.objects.filter(claims=claim).count() == 2


def test_a_checked_file_sent_counts_once_against_uploads(demo, settings):
    """The receipt check has its own count: checking a file, then sending it, is one upload."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (2, 100, 600), "receipt_check": (2, 100, 600)}
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    base = f"{demo.base_url}/claims/{claim.claim_number}/receipts/check/"
    codes = []
    for n in range(2):
        csrf, token = (
            _csrf(browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text),
            str(uuid.uuid4()),
        )
        checked = browser.post(
            base, data={"csrfmiddlewaretoken": csrf, "upload_token": token},
            files={"receipt_files": (f"c{n}.pdf", receipt_pdf(["Pharmacy", f"${n + 1}.00"]), "application/pdf")},
            allow_redirects=False, timeout=20,
        )  # fmt: skip
        sent = browser.post(
            f"{base}{token}/send/", data={"csrfmiddlewaretoken": csrf}, allow_redirects=False, timeout=20
        )
        codes += [checked.status_code, sent.status_code]
    assert codes == [HTTPStatus.FOUND] * 4  # two files checked and sent: within both limits of 2
    assert Receipt.objects.filter(claims=claim).count() == 2
    csrf = _csrf(browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text)
    third = browser.post(
        base, data={"csrfmiddlewaretoken": csrf, "upload_token": str(uuid.uuid4())},
        files={"receipt_files": ("c3.pdf", receipt_pdf(["Pharmacy", "$3.00"]), "application/pdf")},
        allow_redirects=False, timeout=20,
    )  # fmt: skip
    assert third.status_code == HTTPStatus.TOO_MANY_REQUESTS  # a third check in the window


def test_htmx_gets_the_limit_inline(demo, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (0, 100, 600)}
    browser, _ = portal_sign_in(demo.base_url, "alice")
    claim = Claim.objects.filter(person__id=demo.alice, receipt_status=ReceiptStatus.REQUIRED).first()
    page = browser.get(f"{demo.base_url}/claims/{claim.claim_number}/", timeout=10).text
    response = browser.post(
        f"{demo.base_url}/claims/{claim.claim_number}/receipts/",
        data={"csrfmiddlewaretoken": _csrf(page)}, headers={"HX-Request": "true"}, timeout=10,
    )  # fmt: skip
    assert response.status_code == HTTPStatus.OK and "Too many attempts" in response.text
    assert "Retry-After" in response.headers


def test_client_address_trusts_only_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.RATE_LIMIT_PROXY_HOPS = 0
    assert client_address(request) == "10.0.0.9"  # a spoofed header changes nothing
    settings.RATE_LIMIT_PROXY_HOPS = 1
    assert client_address(request) == "203.0.113.7"  # what the one trusted proxy saw
    settings.RATE_LIMIT_PROXY_HOPS = 2
    assert client_address(request) == "6.6.6.6"
    settings.RATE_LIMIT_PROXY_HOPS = 3  # more proxies configured than the request went through
    assert client_address(request) == "10.0.0.9"


def _hits(key: str, limit: int, window: int, times: list[float]) -> list[int | None]:
    from portal.ratelimit import _over

    return [_over(key, limit, window, now=t) for t in times]


def test_a_burst_across_a_window_boundary_is_still_one_burst():
    """Fixed windows let two at 599 s and two more at 601 s through a limit of 2 per 600 s."""
    key, start = f"test:{uuid.uuid4()}", 1_800_000_000  # a multiple of 600
    waits = _hits(key, 2, 600, [start + 598.0, start + 599.0, start + 601.0, start + 602.0])
    assert waits[:2] == [None, None]
    assert waits[2] is not None and waits[3] is not None  # the last window's hits still count
    assert 590 <= waits[2] <= 600  # until the two at 598-599 s have faded enough for one more


def test_old_hits_fade_and_the_wait_is_honest():
    key, start = f"test:{uuid.uuid4()}", 1_800_000_000
    assert _hits(key, 2, 600, [start + 10.0, start + 20.0]) == [None, None]
    wait = _hits(key, 2, 600, [start + 30.0])[0]  # a third: over, and counted
    assert wait is not None and wait > 570  # three in this window: wait into the next one
    # late in the next window, the three have faded to less than one: one more is allowed
    assert _hits(key, 2, 600, [start + 600 + 500.0]) == [None]
    # two windows on, nothing from before counts
    assert _hits(f"{key}-b", 2, 600, [start + 10.0, start + 20.0, start + 30.0])[2] is not None
    assert _hits(f"{key}-b", 2, 600, [start + 1200 + 1.0, start + 1200 + 2.0]) == [None, None]


def test_a_limit_of_nothing_refuses_every_time():
    key, start = f"test:{uuid.uuid4()}", 1_800_000_000
    waits = _hits(key, 0, 600, [start + 1.0, start + 599.5, start + 600.5])
    assert all(w is not None for w in waits) and waits[0] == 599 and waits[1] == 1
