"""The claim's situation as the portal shows it: today's date in the person's own time zone and
the plan's contact text from the settings, around the pure ``claims.situation.situation``."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from claims.selectors import ClaimList, ClaimPage
from claims.situation import Audience, Situation, situation
from portal.gateway.models import Claim, DenialHistory, Receipt


def claim_situation(
    claim: Claim,
    *,
    audience: Audience,
    history: DenialHistory | None = None,
    receipts: Sequence[Receipt] | None = None,
) -> Situation:
    return situation(
        claim,
        today=timezone.localdate(),
        history=history,
        receipts=receipts,
        plan_contact=settings.PLAN_CONTACT,
        audience=audience,
    )


def list_situations(claims: ClaimList, *, audience: Audience) -> list[Situation]:
    """Every claim of a list with its situation, in the list's order."""
    today = timezone.localdate()
    return [
        situation(
            claim,
            today=today,
            receipts=claims.receipts_of(claim.claim_number),
            plan_contact=settings.PLAN_CONTACT,
            audience=audience,
        )
        for claim in claims.claims
    ]


def page_situation(page: ClaimPage) -> Situation:
    return claim_situation(
        page.claim, audience=Audience.MEMBER, history=page.denial_history, receipts=page.receipt_items
    )
