"""Receipt upload as one logical operation: each file at most once, however often it is submitted.

A form carries an ``upload_token``. Files already uploaded under that token are skipped on a
re-submit (a retry after a failure, a double click, the back button), and a submit that arrives
while the same token is still uploading is turned away instead of uploading in parallel.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache

from portal.gateway import ApiError, ClaimsApiClient, gather
from receipts.forms import CheckedFile

TOKEN_TTL = 6 * 3600


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
    if not cache.add(lock, 1, timeout=300):
        raise UploadInProgress
    try:
        done: dict[str, str] = cache.get(done_key) or {}
        outcome = UploadOutcome()
        todo = []
        for item in files:
            digest = hashlib.sha256(item.data).hexdigest()
            if digest in done:
                outcome.already.append(item.name)
            else:
                todo.append((digest, item))
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
                outcome.failed.append((item.name, result))
            elif isinstance(result, Exception):
                raise result
            else:
                done[digest] = result.receipt_id
                outcome.uploaded.append(item.name)
        cache.set(done_key, done, TOKEN_TTL)
        return outcome
    finally:
        cache.delete(lock)
