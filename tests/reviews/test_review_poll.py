"""While a claim's automated review is open, the member's status region asks again, each time a
little later, and stops once the review is answered or after REVIEW_POLLS asks."""

from __future__ import annotations

import re
import uuid

from claims.views import REVIEW_POLLS, review_poll_delay
from reviews.models import Review
from tests.helpers import claim_waiting_for_receipt, portal_sign_in

HTMX = {"HX-Request": "true"}


def _open_review(demo):
    """alice's claim waiting for a receipt with an open review; (claim, review, alice's session, page URL)."""
    claim = claim_waiting_for_receipt(demo)
    review = Review.objects.create(
        claim_number=claim.claim_number, person_id=demo.alice, silver_claim_number=f"poll-{uuid.uuid4().hex[:8]}",
        requested_by="member", state=Review.State.SUBMITTED, submission_encrypted=b"-",
    )  # fmt: skip
    alice, _ = portal_sign_in(demo.base_url, "alice")
    return claim, review, alice, f"{demo.base_url}/claims/{claim.claim_number}/"


def test_the_delays_grow_and_are_capped() -> None:
    delays = [review_poll_delay(n) for n in range(REVIEW_POLLS)]
    assert delays[0] == 3.0 and delays == sorted(delays) and max(delays) == 30.0
    assert 200 <= sum(delays) <= 400  # about five minutes in all


def test_the_status_region_asks_again_while_the_review_is_open(demo):
    claim, review, alice, url = _open_review(demo)
    page = alice.get(url, timeout=10).text
    region = re.search(r'<div id="claim-status"[^>]*>', page).group(0)
    assert f'hx-get="/claims/{claim.claim_number}/?review_poll=1"' in region
    assert 'hx-trigger="load delay:3.0s"' in region and 'hx-swap="outerHTML"' in region

    again = alice.get(url, params={"review_poll": "5"}, headers=HTMX, timeout=10)
    assert again.status_code == 200 and "<html" not in again.text  # the region alone
    assert again.text.strip().startswith('<div id="claim-status"') and "Sent for automated review" in again.text
    assert "review_poll=6" in again.text and f"load delay:{review_poll_delay(5)}s" in again.text
    last = alice.get(url, params={"review_poll": str(REVIEW_POLLS)}, headers=HTMX, timeout=10).text
    assert "hx-get" not in re.search(r'<div id="claim-status"[^>]*>', last).group(0)  # gave up asking

    Review.objects.filter(pk=review.pk).update(state=Review.State.FAILED)  # answered (not available)
    answered = alice.get(url, params={"review_poll": "6"}, headers=HTMX, timeout=10).text
    assert "Automated review not available" in answered
    assert "hx-get" not in re.search(r'<div id="claim-status"[^>]*>', answered).group(0)
    full = alice.get(url, params={"review_poll": "2"}, timeout=10).text  # without htmx: the page
    assert "<html" in full


def test_an_answer_found_by_asking_again_is_said_to_screen_readers(demo):
    """The redrawn panel is not announced by itself: the last ask fills the page's live region."""
    _, review, alice, url = _open_review(demo)
    page = alice.get(url, timeout=10).text
    live = re.search(r'<div id="claim-status-news"[^>]*>(.*?)</div>', page)
    assert live and 'role="status"' in live.group(0) and live.group(1) == ""  # there, empty, before any change
    still_open = alice.get(url, params={"review_poll": "1"}, headers=HTMX, timeout=10).text
    assert "claim-status-news" not in still_open  # nothing to say while it is open

    Review.objects.filter(pk=review.pk).update(state=Review.State.FAILED)
    answered = alice.get(url, params={"review_poll": "2"}, headers=HTMX, timeout=10).text
    news = re.search(r'<div id="claim-status-news" hx-swap-oob="innerHTML">(.*?)</div>', answered)
    assert news and news.group(1) == "Automated review updated: Automated review not available"
