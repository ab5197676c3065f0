"""The Claims API v1 client: one method per endpoint of claims-api-v1.md, typed results.

Knows nothing of views or templates; usable from a management command:

    client = ClaimsApiClient(tokens=StaticToken(token))
    for claim in client.iter_claims(person_id=pid): ...
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import requests
from django.conf import settings

from portal.gateway.concurrency import gather
from portal.gateway.errors import MalformedResponseError, TransportError, UnauthorizedError
from portal.gateway.models import (
    AccountType,
    Claim,
    DenialHistory,
    DenialUpdate,
    DenialUpdateResult,
    ExpenseCategory,
    Page,
    Payee,
    Receipt,
)
from portal.gateway.transport import RetryMode, RetryPolicy, Transport

T = TypeVar("T")
MAX_PAGE_SIZE = 100


class TokenProvider(Protocol):
    """Where the client gets the caller's access token, and a fresh one after a 401."""

    def get(self) -> str: ...

    def refresh(self, stale: str) -> str: ...


class StaticToken:
    """A fixed token (scripts, tests): a 401 cannot be cured by refreshing."""

    def __init__(self, token: str) -> None:
        self._token = token

    def get(self) -> str:
        return self._token

    def refresh(self, stale: str) -> str:
        raise UnauthorizedError(detail="The access token was refused and cannot be refreshed.")


def default_policy() -> RetryPolicy:
    return RetryPolicy(
        retries=settings.GATEWAY_RETRIES,
        backoff_initial=settings.GATEWAY_BACKOFF_INITIAL,
        backoff_max=settings.GATEWAY_BACKOFF_MAX,
        retry_after_cap=settings.GATEWAY_RETRY_AFTER_CAP,
        connect_timeout=settings.GATEWAY_CONNECT_TIMEOUT,
        read_timeout=settings.GATEWAY_READ_TIMEOUT,
        overall_timeout=settings.GATEWAY_OVERALL_TIMEOUT,
    )


@dataclass
class ReceiptFile:
    """A receipt's bytes: iterate ``chunks()`` and ``close()`` when done. Small files arrive read
    whole (``body``); large ones stream from ``response``."""

    response: requests.Response | None
    content_type: str
    filename: str
    size: int | None
    body: bytes | None = None

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        if self.body is not None:
            for start in range(0, len(self.body), size):
                yield self.body[start : start + size]
            return
        assert self.response is not None
        try:
            yield from self.response.iter_content(size)
        finally:
            self.response.close()

    def close(self) -> None:
        if self.response is not None:
            self.response.close()


# Receipts up to this size are read whole before the portal answers: a connection dropped halfway
# through is then retried like any failed GET, instead of cutting the member's download short.
DOWNLOAD_BUFFER_BYTES = 4 * 1024 * 1024
DOWNLOAD_ATTEMPTS = 3


# RFC 5987 ext-value: charset'language'percent-encoded, which holds no ";", quote or space.
_EXT_FILENAME = re.compile(r"(?:^|;)\s*filename\*\s*=\s*([^;\s]+)", re.IGNORECASE)


def _filename(disposition: str, fallback: str) -> str:
    """The file name in a Content-Disposition header (RFC 6266): ``filename*`` when given, else
    ``filename`` read with the standard library's header parser (quoted strings and escapes;
    never a pattern that stops at a ``;`` inside the quotes)."""
    from email.message import EmailMessage
    from email.utils import decode_rfc2231
    from urllib.parse import unquote

    extended = _EXT_FILENAME.search(disposition or "")
    if extended:
        charset, _, encoded = decode_rfc2231(extended.group(1))
        if encoded and charset:
            try:
                return unquote(encoded, encoding=charset, errors="strict") or fallback
            except (LookupError, UnicodeDecodeError):
                pass  # an unknown charset or bytes that are not in it: try the plain name
    message = EmailMessage()
    try:
        message["Content-Disposition"] = disposition or "attachment"
        name = message.get_filename()
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return fallback
    return str(name) if name else fallback


def _seg(value: str) -> str:
    """A path segment, percent-encoded (claim numbers and ids come from users and URLs)."""
    return quote(str(value), safe="")


class ClaimsApiClient:
    def __init__(
        self,
        *,
        tokens: TokenProvider | None = None,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        self.transport = Transport(base_url or settings.CLAIMS_API_BASE_URL, policy or default_policy(), extra_headers)
        self.tokens = tokens

    # --- plumbing -------------------------------------------------------------------------------

    def _send(self, method: str, path: str, route: str, **kwargs: Any) -> requests.Response:
        """One call with the caller's token; a 401 earns exactly one refresh and one retry."""
        token = self.tokens.get() if self.tokens else None
        try:
            return self.transport.request(method, path, route=route, token=token, **kwargs)
        except UnauthorizedError:
            if self.tokens is None or token is None:
                raise
            fresh = self.tokens.refresh(token)
            return self.transport.request(method, path, route=route, token=fresh, **kwargs)

    def _json(self, method: str, path: str, route: str, **kwargs: Any) -> Any:
        response = self._send(method, path, route, **kwargs)
        try:
            return json.loads(response.content, parse_float=Decimal)
        except (ValueError, UnicodeDecodeError):
            raise MalformedResponseError(
                status=response.status_code,
                detail=f"{route} answered with a body that is not JSON.",
                request_id=response.headers.get("X-Request-Id"),
            ) from None

    @staticmethod
    def _paging(index: int, page_size: int) -> dict[str, int]:
        if index < 0 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"index must be >= 0 and page_size 1..{MAX_PAGE_SIZE}")
        return {"index": index, "page_size": page_size}

    # --- endpoints ------------------------------------------------------------------------------

    # Reference: claims-api-v1.md, "Also GET /claims/health/liveness"
    def liveness(self) -> bool:
        body = self._json("GET", "/claims/health/liveness", "/claims/health/liveness")
        return isinstance(body, dict) and body.get("status") == "UP"

    # Reference: claims-api-v1.md endpoint 1
    def list_claims(
        self,
        *,
        person_id: uuid.UUID | str | None = None,
        business_entity_id: uuid.UUID | str | None = None,
        index: int = 0,
        page_size: int = 10,
    ) -> Page[Claim]:
        if (person_id is None) == (business_entity_id is None):
            raise ValueError("give exactly one of person_id and business_entity_id")
        params: dict[str, Any] = self._paging(index, page_size)
        if person_id is not None:
            params["person_id"] = str(person_id)
        else:
            params["business_entity_id"] = str(business_entity_id)
        body = self._json("GET", "/v1/claims", "/v1/claims", params=params)
        return Page.from_json(body, Claim.from_json)

    # Reference: claims-api-v1.md endpoint 2
    def get_claim(self, claim_number: str, *, person_id: uuid.UUID | str | None = None) -> Claim:
        params = {"person_id": str(person_id)} if person_id else None
        body = self._json("GET", f"/v1/claims/{_seg(claim_number)}", "/v1/claims/{claim_number}", params=params)
        return Claim.from_json(body)

    # Reference: claims-api-v1.md endpoint 3
    def get_denials(self, claim_number: str) -> DenialHistory:
        body = self._json("GET", f"/v1/claims/{_seg(claim_number)}/denials", "/v1/claims/{claim_number}/denials")
        return DenialHistory.from_json(body)

    # Reference: claims-api-v1.md endpoint 4 (and "Idempotency")
    def update_denial(
        self,
        claim_number: str,
        denial_id: uuid.UUID | str,
        update: DenialUpdate,
        *,
        idempotency_key: uuid.UUID | str,
    ) -> DenialUpdateResult:
        """Reallocate a denial. ``idempotency_key`` is minted once per logical operation by the
        caller and reused on every retry (here and by the caller), with the same body."""
        payload = update.to_json()
        if not payload:
            raise ValueError("a denial update needs at least one amount above zero")
        body = self._json(
            "PATCH",
            f"/v1/claims/{_seg(claim_number)}/denials/{_seg(str(denial_id))}",
            "/v1/claims/{claim_number}/denials/{denial_id}",
            json=payload,
            headers={"Idempotency-Key": str(idempotency_key), "Content-Type": "application/json"},
            mode=RetryMode.KEYED_WRITE,
        )
        return DenialUpdateResult.from_json(body)

    # Reference: claims-api-v1.md endpoint 5
    def list_claim_receipts(
        self,
        claim_number: str,
        *,
        person_id: uuid.UUID | str,
        index: int = 0,
        page_size: int = 10,
        months_back: int | None = None,
    ) -> Page[Receipt]:
        params: dict[str, Any] = {"person_id": str(person_id), **self._paging(index, page_size)}
        if months_back is not None:
            params["number_of_months_back"] = months_back
        body = self._json(
            "GET",
            f"/v1/claims/{_seg(claim_number)}/receipts",
            "/v1/claims/{claim_number}/receipts",
            params=params,
        )
        return Page.from_json(body, Receipt.from_json)

    # Reference: claims-api-v1.md endpoint 6
    def get_receipt(self, receipt_id: str, *, person_id: uuid.UUID | str) -> Receipt:
        body = self._json(
            "GET",
            f"/v1/claims/receipts/{_seg(receipt_id)}",
            "/v1/claims/receipts/{receipt_id}",
            params={"person_id": str(person_id)},
        )
        return Receipt.from_json(body)

    # Reference: claims-api-v1.md endpoint 7
    def upload_receipt(
        self,
        *,
        person_id: uuid.UUID | str,
        file_name: str,
        content: bytes,
        mime_type: str,
        claim_number: str | None = None,
    ) -> Receipt:
        """Upload a receipt (linked to ``claim_number`` when given). Not retried once sent: the
        API has no idempotency key for uploads, so a lost response must not upload twice."""
        params = {"person_id": str(person_id)}
        if claim_number:
            params["claim_number"] = claim_number
        payload = {
            "file_name": file_name,
            "file_content_base64": base64.b64encode(content).decode("ascii"),
            "mime_type": mime_type,
            "content_length": len(content),
        }
        body = self._json(
            "POST",
            "/v1/claims/receipts/upload-file-to-cloud",
            "/v1/claims/receipts/upload-file-to-cloud",
            params=params,
            json=payload,
            mode=RetryMode.UNSAFE_WRITE,
        )
        return Receipt.from_json(body)

    # Reference: claims-api-v1.md endpoint 8
    def download_receipt(self, external_id: str, *, person_id: uuid.UUID | str) -> ReceiptFile:
        route = "/v1/claims/receipts/download-file-from-cloud/{external_id}"
        cut_short: requests.RequestException | None = None
        request_id = None
        for _ in range(DOWNLOAD_ATTEMPTS):
            response = self._send(
                "GET",
                f"/v1/claims/receipts/download-file-from-cloud/{_seg(external_id)}",
                route,
                params={"person_id": str(person_id)},
                headers={"Accept": "*/*"},
                stream=True,
            )
            length = response.headers.get("Content-Length")
            size = int(length) if length and length.isdigit() else None
            file = ReceiptFile(
                response=response,
                content_type=response.headers.get("Content-Type", "application/octet-stream"),
                filename=_filename(response.headers.get("Content-Disposition", ""), external_id),
                size=size,
            )
            if size is None or size > DOWNLOAD_BUFFER_BYTES:
                return file  # streamed: a drop now can only cut the download short
            request_id = response.headers.get("X-Request-Id")
            try:
                file.body = response.content
            except requests.RequestException as exc:  # the connection dropped mid-file: ask again
                cut_short = exc
                response.close()
                continue
            file.response = None
            return file
        raise TransportError(detail=f"receipt download cut short ({type(cut_short).__name__})", request_id=request_id)

    # Reference: claims-api-v1.md endpoint 9
    def list_payees(self, *, person_id: uuid.UUID | str, index: int = 0, page_size: int = 10) -> Page[Payee]:
        params = {"person_id": str(person_id), **self._paging(index, page_size)}
        body = self._json("GET", "/v1/claims/payees", "/v1/claims/payees", params=params)
        return Page.from_json(body, Payee.from_json)

    # Reference: claims-api-v1.md endpoint 10
    def expense_categories(
        self, *, person_id: uuid.UUID | str, account_type: AccountType | str, employer_id: uuid.UUID | str
    ) -> list[ExpenseCategory]:
        params = {
            "person_id": str(person_id),
            "account_type": AccountType(account_type).value,
            "employer_id": str(employer_id),
        }
        route = "/v1/claims/expense-categories-and-types"
        body = self._json("GET", route, route, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise MalformedResponseError(detail="expense categories: 'items' is missing")
        return [ExpenseCategory.from_json(item) for item in body["items"]]

    # --- walking every page ---------------------------------------------------------------------

    def iter_claims(
        self,
        *,
        person_id: uuid.UUID | str | None = None,
        business_entity_id: uuid.UUID | str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        concurrency: int = 4,
    ) -> Iterator[Claim]:
        return walk_pages(
            lambda index: self.list_claims(
                person_id=person_id, business_entity_id=business_entity_id, index=index, page_size=page_size
            ),
            concurrency=concurrency,
        )

    def iter_payees(self, *, person_id: uuid.UUID | str) -> Iterator[Payee]:
        return walk_pages(lambda index: self.list_payees(person_id=person_id, index=index, page_size=100))

    def iter_claim_receipts(self, claim_number: str, *, person_id: uuid.UUID | str) -> Iterator[Receipt]:
        return walk_pages(
            lambda index: self.list_claim_receipts(claim_number, person_id=person_id, index=index, page_size=100)
        )


def walk_pages(fetch: Callable[[int], Page[T]], *, concurrency: int = 1) -> Iterator[T]:
    """Every item of every page, in order. With ``concurrency`` > 1 the following pages are
    fetched ahead in parallel batches (the API gives no total, so a batch may overshoot by a
    few empty pages)."""
    first = fetch(0)
    yield from first.items
    if not first.has_next:
        return
    index = 1
    while True:
        batch = list(range(index, index + max(1, concurrency)))
        pages = gather(*[(lambda i=i: fetch(i)) for i in batch])
        for page in pages:
            yield from page.items
            if not page.has_next or not page.items:
                return
        index += len(batch)
