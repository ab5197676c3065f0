"""Receipt upload as one logical operation: each file at most once, however often it is submitted.

A form carries an ``upload_token``. Files already uploaded under that token are skipped on a
re-submit (a retry after a failure, a double click, the back button), and a submit that arrives
while the same token is still uploading is turned away instead of uploading in parallel.

The Claims API has no idempotency key for uploads, so an upload whose answer was lost (a dropped
connection, a 5xx) may or may not have been stored. Such a file is not simply sent again: the
claim's receipts are read first, and a receipt with the same name and size stored since the first
attempt counts as this upload.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from portal.gateway import ApiError, ClaimsApiClient, gather
from receipts.filetypes import CheckedFile

TOKEN_TTL = 6 * 3600
# How far the API's clock may be behind ours when matching a possibly stored upload.
CLOCK_SKEW = timedelta(minutes=2)


class UploadInProgress(Exception):
    """The same form is already being uploaded (a second click)."""


@dataclass
class UploadOutcome:
    uploaded: list[str] = field(default_factory=list)  # file names uploaded now
    already: list[str] = field(default_factory=list)  # uploaded by an earlier submit of this form
    failed: list[tuple[str, ApiError]] = field(default_factory=list)

    @property
    def any_success(self) -> bool:
        return bool(self.uploaded or self.already)


def receipt_upload(
    *,
    client: ClaimsApiClient,
    user_id: int,
    person_id: str,
    claim_number: str,
    files: list[CheckedFile],
    upload_token: str,
) -> UploadOutcome:
    lock = f"portal:upload-lock:{user_id}:{upload_token}"
    done_key = f"portal:upload-done:{user_id}:{upload_token}"
    names_key = _names_key(user_id, upload_token)
    uncertain_key = f"portal:upload-uncertain:{user_id}:{upload_token}"
    if not cache.add(lock, 1, timeout=300):
        raise UploadInProgress
    try:
        done: dict[str, str] = cache.get(done_key) or {}
        names: dict[str, str] = cache.get(names_key) or {}  # digest -> the file's name, once stored
        # digest -> when a send of that file ended without a usable answer (it may be stored)
        uncertain: dict[str, str] = cache.get(uncertain_key) or {}
        outcome = UploadOutcome()
        todo = []
        for item in files:
            digest = hashlib.sha256(item.data).hexdigest()
            if digest in done:
                outcome.already.append(item.name)
            else:
                todo.append((digest, item))
        if todo and any(digest in uncertain for digest, _ in todo):
            stored = _stored_since(client, claim_number, person_id, min(uncertain.values()))
            still = []
            for digest, item in todo:
                found = stored.get((item.name, len(item.data))) if digest in uncertain else None
                if found is not None:
                    done[digest], names[digest] = found, item.name
                    uncertain.pop(digest, None)
                    outcome.already.append(item.name)
                else:
                    still.append((digest, item))
            todo = still
        started = timezone.now().isoformat()
        results = gather(
            *[
                (
                    lambda item=item: client.upload_receipt(
                        person_id=person_id,
                        file_name=item.name,
                        content=item.data,
                        mime_type=item.kind.mime_type,
                        claim_number=claim_number,
                    )
                )
                for _, item in todo
            ],
            return_exceptions=True,
        )
        for (digest, item), result in zip(todo, results, strict=True):
            if isinstance(result, ApiError):
                if _outcome_unknown(result):
                    uncertain.setdefault(digest, started)
                outcome.failed.append((item.name, result))
            elif isinstance(result, Exception):
                raise result
            else:
                done[digest], names[digest] = result.receipt_id, item.name
                uncertain.pop(digest, None)
                outcome.uploaded.append(item.name)
        cache.set(done_key, done, TOKEN_TTL)
        cache.set(names_key, names, TOKEN_TTL)
        cache.set(uncertain_key, uncertain, TOKEN_TTL)
        return outcome
    finally:
        cache.delete(lock)


def _names_key(user_id: int, upload_token: str) -> str:
    return f"portal:upload-names:{user_id}:{upload_token}"


def sent_names(*, user_id: int, upload_token: str) -> list[str]:
    """The names of the files this form has stored (to answer a send repeated after its answer was
    lost, once the files themselves are forgotten)."""
    return list((cache.get(_names_key(user_id, upload_token)) or {}).values())


def _outcome_unknown(error: ApiError) -> bool:
    """A 4xx was refused for sure; a lost connection, a timeout or a 5xx may have been stored."""
    return error.status is None or error.status >= 500


def _stored_since(client: ClaimsApiClient, claim_number: str, person_id: str, since_iso: str) -> dict:  # type: ignore[type-arg]
    """(file name, size) -> receipt id of the claim's receipts stored since ``since`` (less skew).
    If they cannot be read just now, the ApiError propagates: the submit fails and sends nothing."""
    since = datetime.fromisoformat(since_iso) - CLOCK_SKEW
    page = client.list_claim_receipts(claim_number, person_id=person_id, page_size=100)
    return {
        (receipt.file_name, receipt.file_size): receipt.receipt_id
        for receipt in page.items
        if receipt.upload_date is None or receipt.upload_date >= since
    }
