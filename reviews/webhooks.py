"""``POST /webhooks/silver/``: Silver's webhook deliveries (research §3.5).

The ``apiKey`` header carries the webhook secret itself (no signature): compared in constant time
with SILVER_WEBHOOK_SECRET, else 403 and nothing changes. The body is ``{eventId, eventType,
eventPayload}``. Each event is taken once: its id is stored under a unique constraint in the same
transaction as the review's result, and the 2xx is sent only after that commits (a delivery that
fails before is simply not taken; the poll finds the result). A repeated event is acknowledged and
changes nothing; an event type we do not know is acknowledged and logged; a result for a claim
that is not ours changes nothing. Never logs the payload.
"""

from __future__ import annotations

import hmac
import json
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.gateway.errors import MalformedResponseError
from portal.gateway.silver import WebhookEvent
from reviews.models import WebhookDelivery
from reviews.services import take_result

log = logging.getLogger(__name__)
KNOWN = {"adjudication_complete"}


@csrf_exempt
@require_POST
def silver(request: HttpRequest) -> JsonResponse:
    secret = settings.SILVER_WEBHOOK_SECRET
    given = request.headers.get("apiKey", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        log.warning("silver webhook refused: wrong key")
        return JsonResponse({"detail": "Invalid or missing API key"}, status=403)
    try:
        event = WebhookEvent.from_json(json.loads(request.body, parse_float=Decimal))
        claim = event.event_payload if event.event_type in KNOWN else None
        if claim is not None:
            event.claim()  # its shape is checked before anything is recorded
    except (ValueError, UnicodeDecodeError, MalformedResponseError):
        log.warning("silver webhook refused: not an event")
        return JsonResponse({"detail": "Not a webhook event."}, status=400)
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(event_id=event.event_id, event_type=event.event_type[:100])
            recorded = take_result(claim) if claim is not None else False
    except IntegrityError:
        log.info("silver webhook repeated", extra={"event_type": event.event_type[:100]})
        return JsonResponse({"status": "already received"})
    if claim is None:
        log.info("silver webhook of an unknown type", extra={"event_type": event.event_type[:100]})
    else:
        log.info("silver webhook taken", extra={"recorded": recorded})
    return JsonResponse({"status": "received"})
