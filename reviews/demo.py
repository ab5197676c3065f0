"""The demo's automated reviews (development profile with the sandbox): see demo_reviews."""

from __future__ import annotations

import io

import jwt
from django.core.management import call_command

from portal.gateway import ApiError, ClaimsApiClient, StaticToken
from portal.gateway.models import ClaimStatus
from portal.gateway.silver import Evidence
from reviews.services import start_review

SETTLED = {ClaimStatus.PAID, ClaimStatus.SCHEDULED_REIMBURSEMENT, ClaimStatus.BANKING_FAILED, ClaimStatus.FREEZE}


def send_demo_reviews(username: str) -> int:
    """Review each of the member's open claims that has receipts on file; how many were started.
    An ApiError (the server not up yet) propagates: the task retries."""
    out = io.StringIO()
    call_command("sandbox_token", username, stdout=out)  # by name: portal code never imports the sandbox
    token = out.getvalue().strip()
    person_id = jwt.decode(token, options={"verify_signature": False}).get("person_id")
    if not person_id:
        return 0
    client = ClaimsApiClient(tokens=StaticToken(token))
    started = 0
    for claim in client.iter_claims(person_id=person_id):
        if claim.claim_status in SETTLED:
            continue
        files = []
        for receipt in client.iter_claim_receipts(claim.claim_number, person_id=person_id):
            download = client.download_receipt(receipt.download_id, person_id=person_id)
            try:
                files.append(Evidence(download.content_type.split(";")[0].strip(), b"".join(download.chunks())))
            finally:
                download.close()
        if files and start_review(claim=claim, person_id=person_id, files=files, requested_by="member"):
            started += 1
    return started


__all__ = ["ApiError", "send_demo_reviews"]
