"""The sandbox Claims API v1: the ten endpoints of claims-api-v1.md, plus liveness and OpenAPI."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sandbox.api import serializers
from sandbox.api.auth import Caller, authenticate
from sandbox.api.files import ACCEPTED, MAX_FILE_BYTES, bad_file_name, normalise_mime
from sandbox.api.problems import ApiProblem, from_exception, json_response, problem_response
from sandbox.api.services import (
    REALLOCATION_FIELDS,
    Reallocation,
    denial_reallocate,
    purge_idempotency_records,
    receipt_storage,
    receipt_store,
)
from sandbox.models import (
    AccountType,
    Claim,
    Denial,
    ExpenseCategory,
    IdempotencyRecord,
    Payee,
    Person,
    Receipt,
)

API_ROOT = "/sandbox/api"
OPENAPI_PATH = Path(__file__).with_name("openapi.json")
View = Callable[..., HttpResponseBase]


def instance_of(request: HttpRequest) -> str:
    return request.path.removeprefix(API_ROOT) or "/"


def endpoint(route: str, *methods: str, scope: str | None = None, auth: bool = True) -> Callable[[View], View]:
    """Method check (405), bearer auth (401), scope (403) and Problem Details for one endpoint."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            request.sandbox_route = route  # type: ignore[attr-defined]
            if request.method not in methods:
                return problem_response(
                    405,
                    f"{request.method} is not allowed here; use {', '.join(methods)}.",
                    instance=instance_of(request),
                    headers={"Allow": ", ".join(methods)},
                )
            try:
                if not auth:
                    return view(request, **kwargs)
                caller = authenticate(request)
                if scope:
                    caller.require_scope(scope)
                return view(request, caller, **kwargs)
            except ApiProblem as exc:
                return from_exception(exc, instance_of(request))

        return wrapper

    return decorate


# --- Parameter parsing -------------------------------------------------------------------------


def _uuid_param(request: HttpRequest, name: str, *, required: bool) -> uuid.UUID | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if required:
            raise ApiProblem(400, f"The '{name}' query parameter is required.")
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiProblem(400, f"The '{name}' query parameter must be a UUID.") from None


def _int_param(request: HttpRequest, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiProblem(400, f"The '{name}' query parameter must be a whole number.") from None
    if not low <= value <= high:
        raise ApiProblem(400, f"The '{name}' query parameter must be between {low} and {high}.")
    return value


def _page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    serialize: Callable[[Any], dict[str, Any]],
    *,
    when_empty: Callable[[], object] | None = None,
) -> HttpResponse:
    """One page of `queryset`; `when_empty` runs for an empty page (to tell "none" from "404")."""
    index = _int_param(request, "index", 0, 0, 1_000_000)
    page_size = _int_param(request, "page_size", 10, 1, 100)
    assert index is not None and page_size is not None
    start = index * page_size
    rows = list(queryset[start : start + page_size + 1])
    if not rows and when_empty is not None:
        when_empty()
    return json_response(
        {
            "index": index,
            "page_size": page_size,
            "has_next": len(rows) > page_size,
            "items": [serialize(row) for row in rows[:page_size]],
        }
    )


# --- Permissions -------------------------------------------------------------------------------


def _visible_claims(caller: Caller, *, details: bool = True) -> QuerySet[Claim]:
    # Plain lists (to_attr): no queryset is built per claim when serializing a page. Without
    # details (a claim's denials or receipts asked for), the claim is only looked up.
    claims = Claim.objects.all()
    if details:
        claims = claims.prefetch_related(
            Prefetch("denial_reasons", to_attr="reasons_list"), Prefetch("rmis", to_attr="rmis_list")
        )
    if caller.business_entity_id is not None:
        # The claim's own employer column: one walk of the (employer, date) index per page.
        return claims.filter(employer_id=caller.business_entity_id)
    if caller.person_id is not None:
        return claims.filter(person_id=caller.person_id)
    return claims.none()


def _person_id_for(caller: Caller, person_id: uuid.UUID) -> uuid.UUID:
    """`_person_for` where only the id is needed: a member acting for themselves asks nothing of
    the database (their token names them); an admin's employee is looked up."""
    if caller.person_id is not None and caller.person_id == person_id:
        return person_id
    return _person_for(caller, person_id).pk  # type: ignore[no-any-return]


def _person_for(caller: Caller, person_id: uuid.UUID) -> Person:
    """The person the caller may act for, or 403: members for themselves, admins for employees."""
    person = Person.objects.filter(pk=person_id).first()
    allowed = person is not None and (
        (caller.person_id is not None and caller.person_id == person_id)
        or (caller.business_entity_id is not None and person.employer_id == caller.business_entity_id)
    )
    if not allowed or person is None:
        raise ApiProblem(403, "The access token does not permit acting for this person_id.")
    return person


def _claim_or_404(
    caller: Caller, claim_number: str, person_id: uuid.UUID | None = None, *, details: bool = True
) -> Claim:
    claims = _visible_claims(caller, details=details)
    if person_id is not None:
        claims = claims.filter(person_id=person_id)
    found = next(iter(claims.filter(claim_number=claim_number).order_by()[:1]), None)  # claim numbers are unique
    if found is None:
        raise ApiProblem(404, f"Claim '{claim_number}' was not found.")
    return found


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


# --- Endpoints ---------------------------------------------------------------------------------


@endpoint("/claims/health/liveness", "GET", auth=False)
def liveness(request: HttpRequest) -> HttpResponse:
    return json_response({"status": "UP"})


@endpoint("/openapi.json", "GET", auth=False)
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(OPENAPI_PATH.read_bytes(), content_type="application/json")


# Reference: claims-api-v1.md endpoint 1
@endpoint("/v1/claims", "GET", scope="claims:read")
def claims_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=False)
    business_entity_id = _uuid_param(request, "business_entity_id", required=False)
    if (person_id is None) == (business_entity_id is None):
        raise ApiProblem(400, "Exactly one of 'person_id' or 'business_entity_id' must be provided.")
    claims = _visible_claims(caller)
    if person_id is not None:
        claims = claims.filter(person_id=_person_id_for(caller, person_id))
    elif caller.business_entity_id != business_entity_id:
        raise ApiProblem(403, "The access token does not permit reading this business's claims.")
    return _page(request, claims, serializers.claim)


# Reference: claims-api-v1.md endpoint 2
@endpoint("/v1/claims/{claim_number}", "GET", scope="claims:read")
def claim_detail(request: HttpRequest, caller: Caller, claim_number: str) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=False)
    return json_response(serializers.claim(_claim_or_404(caller, claim_number, person_id)))


# Reference: claims-api-v1.md endpoint 3
@endpoint("/v1/claims/{claim_number}/denials", "GET", scope="claims:read")
def claim_denials(request: HttpRequest, caller: Caller, claim_number: str) -> HttpResponse:
    claim = _claim_or_404(caller, claim_number, details=False)
    return json_response(
        {
            "claim_number": claim.claim_number,
            "denials": [serializers.denial(d) for d in claim.denials.all()],
        }
    )


def _json_object(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ApiProblem(400, "The request body must be a JSON object.")
    return body


def _parse_reallocation(request: HttpRequest) -> tuple[Reallocation, dict[str, str]]:
    body = _json_object(request)
    unknown = sorted(set(body) - set(REALLOCATION_FIELDS))
    if unknown:
        raise ApiProblem(400, f"Unknown field(s): {', '.join(unknown)}.")
    given = {k: v for k, v in body.items() if v is not None}
    if not given:
        raise ApiProblem(400, "Give at least one of: " + ", ".join(REALLOCATION_FIELDS) + ".")
    amounts: dict[str, Decimal] = {}
    for name, value in given.items():
        if not isinstance(value, str) or not re.fullmatch(r"\d{1,12}\.\d{2}", value):
            raise ApiProblem(400, f"'{name}' must be a string with exactly two decimals, such as \"75.00\".")
        amount = Decimal(value)
        if amount <= 0:
            raise ApiProblem(400, f"'{name}' must be greater than zero.")
        amounts[name] = amount
    reallocation = Reallocation(
        pending=amounts.get("reallocate_to_pending_amount", Decimal("0.00")),
        paid=amounts.get("reallocate_to_paid_amount", Decimal("0.00")),
        deductible=amounts.get("reallocate_to_deductible_applied_amount", Decimal("0.00")),
        coinsurance=amounts.get("reallocate_to_coinsurance_applied_amount", Decimal("0.00")),
        copay=amounts.get("reallocate_to_copay_applied_amount", Decimal("0.00")),
    )
    return reallocation, {k: str(v) for k, v in sorted(given.items())}


def _idempotency_key(request: HttpRequest) -> uuid.UUID:
    raw = request.headers.get("Idempotency-Key")
    if not raw:
        raise ApiProblem(400, "The Idempotency-Key header is required for this operation.")
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ApiProblem(400, "The Idempotency-Key header must be a UUID (v4).") from None


def _replay(record: IdempotencyRecord, request_hash: str) -> HttpResponse:
    if record.request_hash != request_hash:
        raise ApiProblem(422, "This Idempotency-Key was already used with a different request.")
    if not record.completed:
        raise ApiProblem(409, "A request with this Idempotency-Key is still being processed. Retry later.")
    if record.response_status and record.response_status >= 400:
        body = record.response_body or {}
        response = HttpResponse(
            json.dumps(body), status=record.response_status, content_type="application/problem+json"
        )
    else:
        response = json_response(record.response_body, status=record.response_status or 200)
    response["Idempotent-Replayed"] = "true"
    return response


# Reference: claims-api-v1.md endpoint 4, and "Idempotency"
@endpoint("/v1/claims/{claim_number}/denials/{denial_id}", "PATCH", scope="denials:write")
def denial_update(request: HttpRequest, caller: Caller, claim_number: str, denial_id: str) -> HttpResponse:
    if caller.business_entity_id is None:
        raise ApiProblem(403, "Only an administrator of the claim's employer may update denials.")
    key = _idempotency_key(request)
    reallocation, canonical = _parse_reallocation(request)
    fingerprint = json.dumps([claim_number, denial_id, canonical], sort_keys=True)
    request_hash = hashlib.sha256(fingerprint.encode()).hexdigest()

    purge_idempotency_records()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(caller=caller.sub, key=key, request_hash=request_hash)
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(caller=caller.sub, key=key)
        return _replay(existing, request_hash)

    fault = getattr(request, "sandbox_fault", None)
    if fault and fault.latency_ms:
        time.sleep(fault.latency_ms / 1000)  # the work takes time while the key is held
    try:
        claim = _claim_or_404(caller, claim_number, details=False)
        try:
            denial_uuid = uuid.UUID(denial_id)
        except ValueError:
            raise ApiProblem(400, "The 'denial_id' path parameter must be a UUID.") from None
        if not Denial.objects.filter(pk=denial_uuid, claim=claim).exists():
            raise ApiProblem(404, f"Denial '{denial_id}' was not found on claim '{claim_number}'.")
        result = denial_reallocate(claim_id=claim.pk, denial_id=denial_uuid, amounts=reallocation)
    except ApiProblem as exc:
        response = from_exception(exc, instance_of(request))
        record.response_status = exc.status
        record.response_body = json.loads(response.content)
        record.completed = True
        record.save(update_fields=["response_status", "response_body", "completed"])
        return response
    except Exception:
        record.delete()  # nothing was applied: let a retry with the same key try again
        raise
    record.response_status = 200
    record.response_body = result
    record.completed = True
    record.save(update_fields=["response_status", "response_body", "completed"])
    return json_response(result)


denial_update.latency_inside = True  # type: ignore[attr-defined]


def _claim_numbers() -> Prefetch:
    """A receipt shows only the numbers of its claims: read just those, not every claim column."""
    return Prefetch("claims", queryset=Claim.objects.only("claim_number").order_by())


# Reference: claims-api-v1.md endpoint 5
@endpoint("/v1/claims/{claim_number}/receipts", "GET", scope="receipts:read")
def claim_receipts(request: HttpRequest, caller: Caller, claim_number: str) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=True)
    assert person_id is not None
    person_id = _person_id_for(caller, person_id)
    months = _int_param(request, "number_of_months_back", None, 1, 120)
    # The receipts of the claim, if the caller may see it, in one query; only an empty page asks
    # whether the claim is there at all (404) or just has no receipts.
    visible = _visible_claims(caller, details=False).filter(person_id=person_id, claim_number=claim_number)
    receipts = Receipt.objects.filter(person_id=person_id, claims__in=visible).prefetch_related(_claim_numbers())
    if months is not None:
        receipts = receipts.filter(upload_date__gte=timezone.now() - timedelta(days=30 * months))
    base = _base_url(request)
    return _page(
        request,
        receipts,
        lambda r: serializers.receipt(r, base_url=base),
        when_empty=lambda: _claim_or_404(caller, claim_number, person_id, details=False),
    )


def _receipt_or_404(person_id: uuid.UUID, *, with_claims: bool = True, **lookup: str) -> Receipt:
    receipts = Receipt.objects.prefetch_related(_claim_numbers()) if with_claims else Receipt.objects.all()
    receipt = next(iter(receipts.filter(person_id=person_id, **lookup).order_by()[:1]), None)  # ids are unique
    if receipt is None:
        raise ApiProblem(404, "The receipt was not found.")
    return receipt


# Reference: claims-api-v1.md endpoint 6
@endpoint("/v1/claims/receipts/{receipt_id}", "GET", scope="receipts:read")
def receipt_detail(request: HttpRequest, caller: Caller, receipt_id: str) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=True)
    assert person_id is not None
    receipt = _receipt_or_404(_person_id_for(caller, person_id), receipt_id=receipt_id)
    return json_response(serializers.receipt(receipt, base_url=_base_url(request)))


def _decode_upload(request: HttpRequest) -> tuple[str, str, str, bytes]:
    """(file_name, mime_type, content_type label, bytes) of a valid upload body, or a problem."""
    body = _json_object(request)
    for name in ("file_name", "file_content_base64", "mime_type"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise ApiProblem(400, f"'{name}' is required and must be a non-empty string.")
    problem = bad_file_name(body["file_name"])
    if problem:
        raise ApiProblem(400, problem)
    mime_type = normalise_mime(body["mime_type"])
    if mime_type not in ACCEPTED:
        raise ApiProblem(415, f"Files of type '{mime_type}' are not accepted.")
    encoded = "".join(body["file_content_base64"].split())
    if len(encoded) > (MAX_FILE_BYTES * 4) // 3 + 8:
        raise ApiProblem(400, "The file is larger than the 10 MiB limit.")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ApiProblem(400, "'file_content_base64' is not valid base64.") from None
    if not data:
        raise ApiProblem(400, "The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise ApiProblem(400, "The file is larger than the 10 MiB limit.")
    declared = body.get("content_length")
    if declared is not None:
        if not isinstance(declared, int) or isinstance(declared, bool):
            raise ApiProblem(400, "'content_length' must be a whole number of bytes.")
        if declared != len(data):
            raise ApiProblem(400, f"'content_length' is {declared} but the decoded file has {len(data)} bytes.")
    label, matches = ACCEPTED[mime_type]
    if not matches(data):
        raise ApiProblem(400, f"The file's content is not a valid {label} file.")
    return body["file_name"], mime_type, label, data


# Reference: claims-api-v1.md endpoint 7
@endpoint("/v1/claims/receipts/upload-file-to-cloud", "POST", scope="receipts:write")
def receipt_upload(request: HttpRequest, caller: Caller) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=True)
    assert person_id is not None
    person_id = _person_id_for(caller, person_id)
    claim_number = request.GET.get("claim_number")
    claim = _claim_or_404(caller, claim_number, person_id, details=False) if claim_number else None
    file_name, mime_type, label, data = _decode_upload(request)
    receipt = receipt_store(
        person_id=person_id,
        claim=claim,
        file_name=file_name,
        mime_type=mime_type,
        content_type=label,
        data=data,
    )
    claim_numbers = [claim.claim_number] if claim is not None else []  # a new receipt has no other claims
    return json_response(
        serializers.receipt(receipt, base_url=_base_url(request), with_external_id=True, claim_numbers=claim_numbers)
    )


# Reference: claims-api-v1.md endpoint 8
@endpoint("/v1/claims/receipts/download-file-from-cloud/{external_id}", "GET", scope="receipts:read")
def receipt_download(request: HttpRequest, caller: Caller, external_id: str) -> HttpResponseBase:
    person_id = _uuid_param(request, "person_id", required=True)
    assert person_id is not None
    receipt = _receipt_or_404(_person_id_for(caller, person_id), with_claims=False, external_id=external_id)
    storage = receipt_storage()
    if not storage.exists(receipt.storage_name):
        raise ApiProblem(404, "The receipt's file is no longer stored.")
    response = FileResponse(
        storage.open(receipt.storage_name, "rb"),
        as_attachment=True,
        filename=receipt.file_name,
        content_type=receipt.mime_type,
    )
    response["Content-Length"] = str(receipt.file_size)
    return response


# Reference: claims-api-v1.md endpoint 9
@endpoint("/v1/claims/payees", "GET", scope="claims:read")
def payees(request: HttpRequest, caller: Caller) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=True)
    assert person_id is not None
    return _page(request, Payee.objects.filter(person_id=_person_id_for(caller, person_id)), serializers.payee)


# Reference: claims-api-v1.md endpoint 10
@endpoint("/v1/claims/expense-categories-and-types", "GET", scope="claims:read")
def expense_categories(request: HttpRequest, caller: Caller) -> HttpResponse:
    person_id = _uuid_param(request, "person_id", required=True)
    account_type = request.GET.get("account_type")
    if not account_type:
        raise ApiProblem(400, "The 'account_type' query parameter is required.")
    if account_type not in AccountType.values:
        raise ApiProblem(400, f"'account_type' must be one of {', '.join(AccountType.values)}.")
    employer_id = _uuid_param(request, "employer_id", required=True)
    assert person_id is not None
    person = _person_for(caller, person_id)
    if person.employer_id != employer_id:
        raise ApiProblem(404, "No such employer for this participant.")
    categories = ExpenseCategory.objects.filter(account_type=account_type)
    own = categories.filter(employer_id=employer_id)
    chosen = own if own.exists() else categories.filter(Q(employer__isnull=True))
    return json_response(
        {"items": [{"category_name": c.category_name, "category_types": list(c.category_types)} for c in chosen]}
    )


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    request.sandbox_route = "unknown"  # type: ignore[attr-defined]
    return problem_response(
        404, f"There is no API resource at '{instance_of(request)}'.", instance=instance_of(request)
    )
