"""The review in words (pure logic): what the member reads never promises the plan's decision."""

from __future__ import annotations

from decimal import Decimal

from reviews.words import review_words
from tests.gateway.test_silver_models import PAYLOAD


def test_an_approving_review_tells_the_member_the_receipt_checks_out_not_that_the_plan_will_approve() -> None:
    member = review_words("complete", PAYLOAD, admin=False, claimed=Decimal("150.00"))
    said = f"{member.headline} {member.detail}".lower()
    assert member.headline == "Your receipt checks out"
    # On a claim the plan has decided already (partly paid, say) a promise would contradict its status.
    assert "waiting for approval" not in said and "approves" not in said and "will be approved" not in said
    assert not member.needs_member and not member.open
    hr = review_words("complete", PAYLOAD, admin=True, claimed=Decimal("150.00"))
    assert hr.headline == "Silver recommends approving"
