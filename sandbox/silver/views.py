"""The sandbox's Silver Claims API (seeds/003) at /sandbox/silver/v1/claims.

- ``apiKey`` header: exactly the portal's SILVER_API_KEY, compared in constant time; else 403
  ``{"detail": "Invalid or missing API key"}``.
- ``POST``: the seed's required fields and types (400 ``{"detail": [...]}`` naming each bad
  field), a duplicate ``claim_number`` is 400 with the existing ``claim_id``, else ``{"claim_id"}``;
  adjudication is queued for SANDBOX_SILVER_DELAY_SECONDS later (sandbox.silver.tasks).
- ``GET ?id=``: the claim as submitted plus ``id``, the four parsed-evidence categories and
  ``adjudication_results`` (null until adjudicated).
- Faults, like the Claims API sandbox's: the ``X-Sandbox-Fault`` header (``503``, ``500``, ``drop``,
  ``latency=MS``, ``times=N``...) and, process-wide, SANDBOX_SILVER_FAULT_RATE with
  SANDBOX_SILVER_FAULT_STATUS (``503,drop`` by default).
"""

from __future__ import annotations

import hmac
import json
import logging
import random
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from sandbox.api import faults
from sandbox.models import SilverClaim
from sandbox.silver.schema import ClaimIn, problems

log = logging.getLogger("sandbox.silver")


def _forbidden() -> JsonResponse:
    return JsonResponse({"detail": "Invalid or missing API key"}, status=403)


def _fault(request: HttpRequest) -> faults.Fault:
    header = request.headers.get(faults.HEADER)
    if header:
        wanted, times = faults.parse(header)
        fault = faults.Fault(latency_ms=wanted.latency_ms)
        if (wanted.status or wanted.drop) and faults._within_times(request, header, times):
            fault.status, fault.drop = wanted.status, wanted.drop
        return fault
    fault = faults.Fault()
    if settings.SANDBOX_SILVER_FAULT_RATE > 0 and random.random() < settings.SANDBOX_SILVER_FAULT_RATE:
        choice = random.choice([c.strip() for c in settings.SANDBOX_SILVER_FAULT_STATUS.split(",") if c.strip()])
        if choice == "drop":
            fault.drop = True
        else:
            fault.status = choice
    return fault


def claim_json(claim: SilverClaim) -> dict[str, Any]:
    """What GET answers and what the webhook carries: the claim, its parsed evidence, its results."""
    categories: dict[str, list[Any]] = {
        name: [] for name in ("receipts", "medical_invoices", "dependent_care_invoices", "statement_of_accounts")
    }
    return {
        "id": str(claim.id),
        **claim.body,
        **categories,
        **(claim.parsed or {}),
        "adjudication_results": claim.results,
    }


@csrf_exempt
def claims(request: HttpRequest) -> HttpResponseBase:
    request_id = request.headers.get("X-Request-Id", "")
    key = request.headers.get("apiKey", "")
    if not settings.SILVER_API_KEY or not hmac.compare_digest(key.encode(), settings.SILVER_API_KEY.encode()):
        return _forbidden()
    fault = _fault(request)
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    if fault.status:
        return JsonResponse({"detail": f"Injected sandbox fault {fault.status}."}, status=int(fault.status[:3]))
    if request.method == "POST":
        response: HttpResponseBase = _submit(request)
    elif request.method == "GET":
        response = _read(request)
    else:
        response = JsonResponse({"detail": "Method Not Allowed"}, status=405)
    if request_id:
        response["X-Request-Id"] = request_id[:128]
    return faults.dropped(response) if fault.drop else response  # type: ignore[arg-type]


def _submit(request: HttpRequest) -> HttpResponse:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"detail": [{"loc": ["body"], "msg": "is not JSON", "type": "json_invalid"}]}, status=400)
    if not isinstance(data, dict):
        return JsonResponse({"detail": [{"loc": ["body"], "msg": "is not an object", "type": "type"}]}, status=400)
    try:
        claim_in = ClaimIn.model_validate(data)
    except ValidationError as exc:
        return JsonResponse({"detail": problems(exc)}, status=400)
    body = claim_in.model_dump(mode="json", exclude={"evidence"})
    evidence = [item.model_dump() for item in claim_in.evidence]
    try:
        with transaction.atomic():
            claim = SilverClaim.objects.create(claim_number=claim_in.claim_number, body=body, evidence=evidence)
    except IntegrityError:
        existing = SilverClaim.objects.get(claim_number=claim_in.claim_number)
        return JsonResponse(
            {"error": "A claim with this claim_number already exists", "claim_id": str(existing.id)}, status=400
        )
    from sandbox.silver.tasks import queue_adjudication

    transaction.on_commit(lambda: queue_adjudication(claim.id), robust=True)
    log.info("silver_claim_submitted", extra={"documents": len(evidence)})
    return JsonResponse({"claim_id": str(claim.id)})


def _read(request: HttpRequest) -> HttpResponse:
    try:
        claim_id = uuid.UUID(request.GET.get("id", ""))
    except ValueError:
        return JsonResponse({"detail": [{"loc": ["query", "id"], "msg": "is not a UUID", "type": "uuid"}]}, status=400)
    claim = SilverClaim.objects.filter(id=claim_id).first()
    if claim is None:
        return JsonResponse({"detail": "Claim not found"}, status=404)
    return JsonResponse(claim_json(claim))
