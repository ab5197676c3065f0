"""The sandbox's Integrex RCM claim-info API v2 (seeds/004) at /sandbox/integrex/api/v2/.

- ``POST auth``: OAuth2 client credentials (``grant_type=client_credentials``), the client
  authenticated with HTTP Basic or with ``client_id``/``client_secret`` in the form (or a JSON
  body): exactly the portal's INTEGREX_CLIENT_ID and INTEGREX_CLIENT_SECRET, compared in constant
  time, else 401 ``{"error": "invalid_client"}``. Answers the standard token response with
  ``expires_in`` SANDBOX_INTEGREX_TOKEN_SECONDS (3600). Tokens are signed (django.core.signing),
  so any process of the sandbox accepts them until they expire.
- ``POST claim-info``: the seed's request fields (``schema.ClaimInfoIn``; 400 ``{"message",
  "errors": [{"field", "message"}]}``), answered ``{"id"}``; the ticket is a database row, so a
  poll may reach another process. Its answer comes from ``store`` (see there which claim answers
  what).
- ``GET claim-info?id=``: 202 for SANDBOX_INTEGREX_DELAY_SECONDS after the POST ("forever": always),
  then 200 with the claim: a list of per-service-line objects (SANDBOX_INTEGREX_SHAPE=rows) or the
  claim with a ``lines`` list (object); dates yyyy-mm-dd or, with SANDBOX_INTEGREX_DATES=us,
  MM/DD/YYYY as in the v1 documentation. An unknown id is a 400 (the documented codes have no 404).
- 401 for a missing, bad or expired token; 402 ("Authentication Error") for a valid token of a
  disabled client.
- Faults, like the other sandboxes: the ``X-Sandbox-Fault`` header (``503``, ``500``, ``drop``,
  ``latency=MS``, ``times=N``, ...) plus Integrex's own: ``processing`` (GET answers 202 however
  long), ``expired`` (the token is taken as expired: 401), ``disabled`` (402). ``times=N`` counts
  only requests the fault applies to (the token endpoint takes only status and drop faults).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import math
import re
import secrets
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

from sandbox.api import faults
from sandbox.api.problems import ApiProblem
from sandbox.integrex import store
from sandbox.integrex.schema import ClaimInfoIn, problems
from sandbox.models import IntegrexTicket

log = logging.getLogger("sandbox.integrex")

OWN_FAULTS = frozenset({"processing", "expired", "disabled"})
_SALT = "sandbox.integrex.token"
LINE_FIELDS = (
    "svcLine", "procedureCdQual", "procedureCd", "revenueCd", "svcLnQty", "allowedAmount", "coInsuranceAmount",
    "coPaymentAmount", "nonCoveredAmount", "reasonSourceCd1", "reasonSourceCdDescTxt1", "reasonSourceCd2",
    "reasonSourceCdDescTxt2", "reasonSourceCd3", "reasonSourceCdDescTxt3",
)  # fmt: skip
DATE_FIELDS = ("responseDate", "dateOfService", "claimReceiptDate", "adjudicationDate", "checkDate", "dateCheckCashed")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class _Faults:
    def __init__(self, request: HttpRequest, *, own_apply: bool) -> None:
        header = request.headers.get(faults.HEADER, "")
        items = [item.strip().lower() for item in header.split(",") if item.strip()]
        wanted, times = faults.parse(",".join(item for item in items if item not in OWN_FAULTS))
        own = {item for item in items if item in OWN_FAULTS} if own_apply else set()
        self.latency_ms = wanted.latency_ms
        self.status: str | None = None
        self.drop = False
        self.own: set[str] = set()
        if (wanted.status or wanted.drop or own) and faults._within_times(request, header, times):
            self.status, self.drop, self.own = wanted.status, wanted.drop, own


def _message(text: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"message": text, **extra}, status=status)


Handler = Callable[[HttpRequest, set[str]], HttpResponse]


def _serve(request: HttpRequest, handler: Handler, *, own_apply: bool) -> HttpResponseBase:
    request_id = request.headers.get("X-Request-Id", "")
    try:
        fault = _Faults(request, own_apply=own_apply)
    except ApiProblem as exc:
        return _message(exc.detail, 400)
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    if fault.status:
        code = int(fault.status[:3])
        response: HttpResponseBase = _message(f"Injected sandbox fault {code}.", code)
        if code == 429 and fault.status == "429":
            response["Retry-After"] = "1"
    else:
        response = handler(request, fault.own)
    if request_id:
        response["X-Request-Id"] = request_id[:128]
    response["Cache-Control"] = "no-store"
    return faults.dropped(response) if fault.drop else response  # type: ignore[arg-type]


# --- the token endpoint -------------------------------------------------------------------------


@csrf_exempt
def auth(request: HttpRequest) -> HttpResponseBase:
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request", "error_description": "POST only"}, status=405)
    return _serve(request, _token, own_apply=False)


def _token(request: HttpRequest, own: set[str]) -> HttpResponse:
    fields = _credentials(request)
    if fields.get("grant_type") != "client_credentials":
        return JsonResponse(
            {"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"},
            status=400,
        )
    if not _known_client(fields.get("client_id", ""), fields.get("client_secret", "")):
        response = JsonResponse(
            {"error": "invalid_client", "error_description": "Unknown client or wrong secret"}, status=401
        )
        response["WWW-Authenticate"] = 'Basic realm="integrex"'
        return response
    lifetime = settings.SANDBOX_INTEGREX_TOKEN_SECONDS
    token = signing.dumps({"c": settings.INTEGREX_CLIENT_ID, "n": secrets.token_hex(8)}, salt=_SALT)
    return JsonResponse({"access_token": token, "token_type": "Bearer", "expires_in": lifetime})


def _credentials(request: HttpRequest) -> dict[str, str]:
    """The token request's fields, wherever the client put them: the form, a JSON body, and the
    client's id and secret from HTTP Basic (RFC 6749 §2.3.1)."""
    fields: dict[str, str] = {key: str(value) for key, value in request.POST.items()}
    if not fields and request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict):
            fields = {key: str(value) for key, value in body.items() if isinstance(value, str | int)}
    basic = request.headers.get("Authorization", "")
    if basic.lower().startswith("basic "):
        try:
            pair = base64.b64decode(basic[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            pair = ""
        client_id, _, secret = pair.partition(":")
        fields["client_id"], fields["client_secret"] = client_id, secret
    return fields


def _known_client(client_id: str, secret: str) -> bool:
    wanted_id, wanted_secret = settings.INTEGREX_CLIENT_ID, settings.INTEGREX_CLIENT_SECRET
    if not wanted_id or not wanted_secret:
        return False
    same_id = hmac.compare_digest(client_id.encode(), wanted_id.encode())
    return hmac.compare_digest(secret.encode(), wanted_secret.encode()) and same_id


def _bearer_client(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    try:
        claims = signing.loads(header[7:].strip(), salt=_SALT, max_age=settings.SANDBOX_INTEGREX_TOKEN_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    client = claims.get("c") if isinstance(claims, dict) else None
    return client if client == settings.INTEGREX_CLIENT_ID else None


# --- claim info ---------------------------------------------------------------------------------


@csrf_exempt
def claim_info(request: HttpRequest) -> HttpResponseBase:
    if request.method not in ("GET", "POST"):
        return _message("Method not allowed.", 405)
    return _serve(request, _claim_info, own_apply=True)


def _claim_info(request: HttpRequest, own: set[str]) -> HttpResponse:
    client = _bearer_client(request)
    if client is None or "expired" in own:
        return _message("Unauthorized: the access token is missing, invalid or expired.", 401)
    if "disabled" in own:
        return _message("Authentication Error: this client is disabled.", 402)
    if request.method == "POST":
        return _submit(request, client)
    return _read(request, client, forever="processing" in own)


def _submit(request: HttpRequest, client: str) -> HttpResponse:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _message("Some error with the data submitted: the body is not JSON.", 400)
    if not isinstance(data, dict):
        return _message("Some error with the data submitted: the body is not a JSON object.", 400)
    try:
        query = ClaimInfoIn.model_validate(data)
    except ValidationError as exc:
        return _message("Some error with the data submitted.", 400, errors=problems(exc))
    rows = store.answer(query.model_dump(), today=timezone.localdate())
    delay = settings.SANDBOX_INTEGREX_DELAY_SECONDS
    ticket = IntegrexTicket.objects.create(
        id=str(secrets.randbelow(9 * 10**11) + 10**11),
        client_id=client,
        request=query.model_dump(mode="json"),
        answer=[_jsonable(row) for row in rows],
        ready_at=None if math.isinf(delay) else timezone.now() + timedelta(seconds=max(0.0, delay)),
    )
    log.info("integrex_claim_info_submitted", extra={"rows": len(rows)})
    return JsonResponse({"id": ticket.id})


def _read(request: HttpRequest, client: str, *, forever: bool) -> HttpResponse:
    ticket_id = request.GET.get("id", "").strip()
    if not ticket_id:
        return _message("Some error with the data submitted.", 400, errors=[{"field": "id", "message": "is missing"}])
    ticket = IntegrexTicket.objects.filter(id=ticket_id, client_id=client).first()
    if ticket is None:
        return _message("Some error with the data submitted: no claim-info request has this id.", 400)
    if forever or ticket.ready_at is None or timezone.now() < ticket.ready_at:
        return JsonResponse({"id": ticket.id, "message": "Processing. Poll after some time again."}, status=202)
    rows = [_dated(row) for row in ticket.answer]
    return JsonResponse(_shaped(rows), safe=False)


def _shaped(rows: list[dict[str, Any]]) -> Any:
    if settings.SANDBOX_INTEGREX_SHAPE != "object":
        return rows
    if len(rows) == 1 and rows[0].get("svcLine") is None:
        return rows[0]
    claim = {key: value for key, value in rows[0].items() if key not in LINE_FIELDS}
    return {**claim, "lines": [{key: row.get(key) for key in LINE_FIELDS} for row in rows]}


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in row.items()}


def _dated(row: dict[str, Any]) -> dict[str, Any]:
    if settings.SANDBOX_INTEGREX_DATES != "us":
        return row
    dated = dict(row)
    for key in DATE_FIELDS:
        match = _ISO.match(str(dated.get(key) or ""))
        if match:
            dated[key] = f"{match.group(2)}/{match.group(3)}/{match.group(1)}"
    return dated
