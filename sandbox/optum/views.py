"""The sandbox's Optum Claim Status v2 at /sandbox/optum/ (OPTUM_BASE_URL = SITE_URL + /sandbox/optum).

- ``POST apip/auth/v2/token``: JSON (or form) ``client_id``, ``client_secret``,
  ``grant_type=client_credentials``; exactly the portal's OPTUM_CLIENT_ID and OPTUM_CLIENT_SECRET
  (constant-time), else 401 ``{"error": "invalid_client", ...}``. Answers a signed bearer token
  (``sandbox.optum.tokens``: any process accepts it) with ``expires_in`` =
  SANDBOX_OPTUM_TOKEN_SECONDS (3600 by default).
- ``POST medicalnetwork/claimstatus/v2/``: the bearer token checked (401 when expired or unknown),
  the body validated (``sandbox.optum.schema``: 400 with Optum's top-level ``errors[]``), the
  answer chosen by ``tradingPartnerServiceId`` (``sandbox.optum.answers``: Optum's canned payers
  00001, 000002, 00003, 00004, and the demo payers of ``sandbox.insurers``), built once as an
  ``x12.StatusReport`` and served as Optum's JSON (``x12.report_to_optum``).
- ``POST medicalnetwork/claimstatus/v2/raw-x12``: ``{"x12": <276>}`` read by ``x12.parse_276``,
  answered with ``{"x12": <277>}`` built by ``x12.build_277`` from the same report.
- ``GET medicalnetwork/claimstatus/v2/healthcheck``: ``{"status", "version"}``.
- Faults, like the Claims API sandbox's: the ``X-Sandbox-Fault`` header (``503``, ``500``,
  ``drop``, ``malformed``, ``latency=MS``, ``times=N``, ...) plus Optum's own: ``401`` (the token
  refused), ``aaa42`` (AAA 42 "unable to respond at current time" in a top-level ``errors[]``),
  ``aaa42-wrapped`` (the same inside ``errorResponse``), ``aaa42-final`` (with "do not resubmit"),
  ``down`` (Optum's "Http Header" message). Optum's own faults apply to the claim status
  endpoints only, never to the token. Process-wide: SANDBOX_OPTUM_FAULT_RATE with
  SANDBOX_OPTUM_FAULT_STATUS.
"""

from __future__ import annotations

import hmac
import json
import logging
import random
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError

import x12
from sandbox import insurers
from sandbox.api import faults
from sandbox.api.problems import ApiProblem
from sandbox.optum import answers, tokens
from sandbox.optum.schema import RequestIn, field_error, problems

log = logging.getLogger("sandbox.optum")

OPTUM_FAULTS = ("401", "aaa42", "aaa42-wrapped", "aaa42-final", "down")
HEALTH_TYPE = "application/vnd.changehealthcare.claimstatus-v2+json"


def _fault(request: HttpRequest, *, api: bool) -> tuple[faults.Fault, str | None]:
    """The generic fault and Optum's own (only on the API, not the token endpoint)."""
    header = request.headers.get(faults.HEADER)
    if header:
        items = [item.strip().lower() for item in header.split(",") if item.strip()]
        own = [item for item in items if item in OPTUM_FAULTS] if api else []
        wanted, times = faults.parse(",".join(item for item in items if item not in OPTUM_FAULTS))
        fault = faults.Fault(latency_ms=wanted.latency_ms)
        if (wanted.status or wanted.drop or wanted.malformed or own) and faults._within_times(request, header, times):
            fault.status, fault.drop, fault.malformed = wanted.status, wanted.drop, wanted.malformed
            return fault, (own[0] if own else None)
        return fault, None
    fault = faults.Fault()
    if settings.SANDBOX_OPTUM_FAULT_RATE > 0 and random.random() < settings.SANDBOX_OPTUM_FAULT_RATE:
        choices = [c.strip() for c in settings.SANDBOX_OPTUM_FAULT_STATUS.lower().split(",") if c.strip()]
        choice = random.choice(choices or ["503"])
        if choice == "drop":
            fault.drop = True
        elif choice in faults.STATUS_FAULTS:
            fault.status = choice
        elif api and choice in OPTUM_FAULTS:
            return fault, choice
    return fault, None


def _errors(errors: list[dict[str, str]], status: int = 400, **extra: Any) -> JsonResponse:
    return JsonResponse({**extra, "errors": errors}, status=status)


def _try_later(kind: str) -> JsonResponse:
    if kind == "down":
        detail = {
            "field": "Http Header",
            "description": "Claim Status is temporarily unavailable. Please try again later.",
            "code": "",
            "followupAction": "Please Resubmit Original Transaction",
            "location": "Header",
        }
    else:
        action = "Please Resubmit Original Transaction"
        if kind == "aaa42-final":
            action = "Do Not Resubmit; We Will Hold Your Request and Respond Again Shortly"
        detail = {
            "field": "AAA",
            "description": "Unable to Respond at Current Time",
            "code": "42",
            "followupAction": action,
            "location": "Loop 2100A",
        }
    if kind == "aaa42-wrapped":
        return JsonResponse({"errorResponse": {"code": "42", "description": detail["description"], "errors": [detail]}})
    return JsonResponse({"errors": [detail]})


def _unauthorized() -> JsonResponse:
    return JsonResponse(
        {"error": "invalid_token", "error_description": "The access token is invalid or has expired."}, status=401
    )


def _bearer_ok(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and bool(token) and tokens.valid(token.strip(), settings.OPTUM_CLIENT_ID)


def _finish(request: HttpRequest, response: HttpResponseBase, fault: faults.Fault) -> HttpResponseBase:
    request_id = request.headers.get("X-Request-Id", "")
    if request_id:
        response["X-Request-Id"] = request_id[:128]
    return faults.dropped(response) if fault.drop else response  # type: ignore[arg-type]


def _generic(fault: faults.Fault) -> HttpResponse | None:
    if fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)
    if fault.status:
        code = int(fault.status[:3])
        response = JsonResponse({"error": "sandbox_fault", "message": f"Injected sandbox fault {code}."}, status=code)
        if fault.status == "429":
            response["Retry-After"] = "1"
        return response
    if fault.malformed:
        return HttpResponse("<html><body>Bad gateway</body></html>", content_type="text/html")
    return None


@csrf_exempt
def token(request: HttpRequest) -> HttpResponseBase:
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request", "error_description": "Use POST."}, status=405)
    try:
        fault, _ = _fault(request, api=False)
    except ApiProblem as problem:
        return JsonResponse({"error": "invalid_request", "error_description": problem.detail}, status=400)
    early = _generic(fault)
    if early is not None:
        return _finish(request, early, fault)
    try:
        body = json.loads(request.body) if request.content_type == "application/json" else request.POST.dict()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": "invalid_request", "error_description": "The body is not JSON."}, status=400)
    if body.get("grant_type") != "client_credentials":
        return JsonResponse(
            {"error": "unsupported_grant_type", "error_description": "Only client_credentials is supported."},
            status=400,
        )
    client_id, secret = str(body.get("client_id") or ""), str(body.get("client_secret") or "")
    expected_id, expected_secret = settings.OPTUM_CLIENT_ID or "", settings.OPTUM_CLIENT_SECRET or ""
    if not (
        expected_id
        and expected_secret
        and hmac.compare_digest(client_id.encode(), expected_id.encode())
        and hmac.compare_digest(secret.encode(), expected_secret.encode())
    ):
        return JsonResponse(
            {"error": "invalid_client", "error_description": "The client id or secret is not valid."}, status=401
        )
    lifetime = int(settings.SANDBOX_OPTUM_TOKEN_SECONDS)
    log.info("optum_token_issued", extra={"expires_in": lifetime})
    response = JsonResponse(
        {"access_token": tokens.mint(expected_id, lifetime), "expires_in": lifetime, "token_type": "bearer"}
    )
    return _finish(request, response, fault)


def _guard(request: HttpRequest, method: str) -> tuple[HttpResponse | None, faults.Fault]:
    """Method, bearer token, then faults: a response to send at once, or None to go on."""
    if request.method != method:
        return JsonResponse({"error": "method_not_allowed", "message": f"Use {method}."}, status=405), faults.Fault()
    if not _bearer_ok(request):
        return _unauthorized(), faults.Fault()
    try:
        fault, own = _fault(request, api=True)
    except ApiProblem as problem:
        return _errors([field_error(faults.HEADER, problem.detail or "")]), faults.Fault()
    if own == "401":
        return _unauthorized(), fault
    if own:
        return _try_later(own), fault
    return _generic(fault), fault


def _body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _report(question: x12.StatusRequest) -> x12.StatusReport | JsonResponse:
    """The answer to one question, or Optum's field error when it cannot be asked."""
    today = timezone.localdate()
    payer = question.payer_id or ""
    if payer in answers.CANNED_PAYERS:
        claim = answers.canned(question, today)
        assert claim is not None
        return answers.report(question, [claim], payer_name=answers.CANNED_PAYERS[payer])
    card = insurers.CARDS.get(payer)
    if card is None:
        return _errors([field_error("tradingPartnerServiceId", "is not a payer this sandbox answers for")])
    encounter = question.encounter
    if encounter.beginning_date_of_service is None:
        return _errors([field_error("encounter.beginningDateOfService", "is required", "MISSING")])
    if (question.subscriber.member_id or "").strip() != card.member_id:
        claims = [answers.wrong_member(question, today)]
    else:
        patient = question.dependent or question.subscriber
        found = insurers.find(
            payer,
            card.member_id,
            patient.first_name or "",
            patient.last_name or "",
            encounter.beginning_date_of_service,
            encounter.submitted_amount,
            today=today,
        )
        tracking = encounter.tracking_number or ""
        claims = [insurers.claim_status(claim, tracking, today) for claim in found]
        claims = claims or [answers.not_found(question, today)]
    return answers.report(question, claims, payer_name=card.payer_name, phone=card.phone)


def _question(data: dict[str, Any]) -> x12.StatusRequest | JsonResponse:
    try:
        RequestIn.model_validate(data)
    except ValidationError as exc:
        return _errors(problems(exc))
    try:
        return x12.StatusRequest.from_optum(data)
    except x12.X12Error as exc:
        return _errors([field_error("", str(exc))])


@csrf_exempt
def claim_status(request: HttpRequest) -> HttpResponseBase:
    early, fault = _guard(request, "POST")
    if early is not None:
        return _finish(request, early, fault)
    data = _body(request)
    if data is None:
        return _finish(request, _errors([field_error("", "The body is not a JSON object.")]), fault)
    question = _question(data)
    if isinstance(question, JsonResponse):
        return _finish(request, question, fault)
    report = _report(question)
    if isinstance(report, JsonResponse):
        return _finish(request, report, fault)
    body = x12.report_to_optum(report, control_number=question.control_number)
    body["meta"] = {"applicationMode": "sandbox", "traceId": request.headers.get("X-Request-Id", "")[:128]}
    log.info("optum_status_answered", extra={"claims": len(report.claims), "channel": "json"})
    return _finish(request, JsonResponse(body), fault)


@csrf_exempt
def raw_x12(request: HttpRequest) -> HttpResponseBase:
    early, fault = _guard(request, "POST")
    if early is not None:
        return _finish(request, early, fault)
    data = _body(request)
    text = data.get("x12") if data else None
    if not isinstance(text, str) or not text.strip():
        return _finish(request, _errors([field_error("x12", "is required: the 276 as text", "MISSING")]), fault)
    try:
        parsed = x12.parse_276(text)
    except x12.X12Error as exc:
        return _finish(request, _errors([field_error("x12", str(exc))]), fault)
    if len(parsed.requests) != 1:
        return _finish(request, _errors([field_error("x12", "must ask about exactly one claim")]), fault)
    question = _question(parsed.requests[0].to_optum())
    if isinstance(question, JsonResponse):
        return _finish(request, question, fault)
    report = _report(question)
    if isinstance(report, JsonResponse):
        return _finish(request, report, fault)
    try:
        answer = x12.build_277(report, control_number=question.control_number, sender_id=question.payer_id)
    except x12.X12Error as exc:
        return _finish(request, _errors([field_error("x12", str(exc))]), fault)
    body = {
        "controlNumber": question.control_number,
        "tradingPartnerServiceId": question.payer_id,
        "x12": answer,
        "meta": {"applicationMode": "sandbox", "traceId": request.headers.get("X-Request-Id", "")[:128]},
    }
    log.info("optum_status_answered", extra={"claims": len(report.claims), "channel": "x12"})
    return _finish(request, JsonResponse(body), fault)


@csrf_exempt
def healthcheck(request: HttpRequest) -> HttpResponseBase:
    early, fault = _guard(request, "GET")
    if early is not None:
        return _finish(request, early, fault)
    return _finish(request, JsonResponse({"status": "healthy", "version": "v2"}, content_type=HEALTH_TYPE), fault)
