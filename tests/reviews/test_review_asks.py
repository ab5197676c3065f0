"""Which claims' latest automated review asks the member for more: asked on every list page, so
it first finds the reviews that ask, then checks each is its claim's latest."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from reviews.models import Review
from reviews.services import claims_review_asks

pytestmark = pytest.mark.django_db
ALICE, BOB = uuid.uuid4(), uuid.uuid4()


def _review(claim: str, person: uuid.UUID, recommendation: str, *, minutes_ago: int, state: str = "complete") -> None:
    review = Review.objects.create(
        claim_number=claim, person_id=person, silver_claim_number=f"{claim}-{uuid.uuid4().hex[:8]}",
        requested_by="member", state=state, recommendation=recommendation, submission_encrypted=b"-",
    )  # fmt: skip
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_only_the_claims_whose_latest_review_asks() -> None:
    _review("C-1", ALICE, "request_more_information", minutes_ago=5)  # asks
    _review("C-2", ALICE, "request_more_information", minutes_ago=10)
    _review("C-2", ALICE, "approve", minutes_ago=1)  # answered by a newer review
    _review("C-3", ALICE, "approve", minutes_ago=3)
    _review("C-4", ALICE, "request_more_information", minutes_ago=9)
    _review("C-4", ALICE, "", minutes_ago=0, state="queued")  # new evidence, under review
    _review("C-5", BOB, "request_more_information", minutes_ago=2)  # someone else's
    numbers = ["C-1", "C-2", "C-3", "C-4", "C-5", "C-6"]
    assert claims_review_asks(numbers, person_id=ALICE) == {"C-1"}
    assert claims_review_asks(numbers, person_id=str(BOB)) == {"C-5"}
    assert claims_review_asks(numbers) == {"C-1", "C-5"}  # HR's lists: by claim number
    assert claims_review_asks(["C-2", "C-3"], person_id=ALICE) == frozenset()
    assert claims_review_asks([], person_id=ALICE) == frozenset()


def test_a_member_without_asking_reviews_costs_one_query(django_assert_num_queries) -> None:
    _review("C-3", ALICE, "approve", minutes_ago=3)
    with django_assert_num_queries(1):
        assert claims_review_asks([f"C-{n}" for n in range(300)], person_id=ALICE) == frozenset()


def test_a_member_whose_reviews_ask_costs_one_query_too(django_assert_num_queries) -> None:
    _review("C-1", ALICE, "request_more_information", minutes_ago=5)
    _review("C-2", ALICE, "request_more_information", minutes_ago=10)
    _review("C-2", BOB, "approve", minutes_ago=1)  # a newer review of the claim, whoever asked it
    with django_assert_num_queries(1):
        assert claims_review_asks(["C-1", "C-2"], person_id=ALICE) == {"C-1"}


def test_two_reviews_made_in_the_same_instant_agree_with_the_claim_page() -> None:
    """The list and the claim page take the same review as the latest (the greater id on a tie)."""
    from reviews.services import latest_review

    _review("C-7", ALICE, "request_more_information", minutes_ago=4)
    _review("C-7", ALICE, "approve", minutes_ago=4)
    when = Review.objects.filter(claim_number="C-7").first().created_at
    Review.objects.filter(claim_number="C-7").update(created_at=when)
    latest = latest_review("C-7")
    assert latest is not None and latest.pk == max(
        Review.objects.filter(claim_number="C-7").values_list("pk", flat=True)
    )
    asks = claims_review_asks(["C-7"], person_id=ALICE)
    assert asks == ({"C-7"} if latest.recommendation == "request_more_information" else frozenset())
    assert claims_review_asks(["C-7"]) == asks  # HR's way (the ORM) says the same
    assert latest_review("C-nothing") is None
