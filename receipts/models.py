"""A receipt check: one file chosen in an upload form, read by a task worker before it is sent.

The row is the task's state (no Celery result backend): what was chosen, where the reading is,
and what it found. The file and the reading are Fernet-encrypted; no plain column holds anything
read from the file. Rows expire (RECEIPT_CHECK_TTL_SECONDS) and are deleted once the upload is sent.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import crypto

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from evidence.model import Reading


class ReceiptCheck(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        READING = "reading", _("Being read")
        READ = "read", _("Read")
        FAILED = "failed", _("Could not be read")

    class Error(models.TextChoices):
        READER_FAILED = "reader_failed", _("The reader kept failing on this file.")
        WORKER_LOST = "worker_lost", _("Reading this file kept stopping before it finished.")
        TOO_SLOW = "too_slow", _("Reading this file took too long.")

    # What the member is told for each error (the page adds that the file can still be sent).
    ERROR_WORDS: dict[str, StrOrPromise] = {
        Error.READER_FAILED: _("We could not read this file just now. You can still send it."),
        Error.WORKER_LOST: _("Reading this file did not finish. You can still send it."),
        Error.TOO_SLOW: _("Reading this file took too long. You can still send it."),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claim_number = models.CharField(max_length=64)
    upload_token = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=127)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_encrypted = models.BinaryField()  # Fernet token of the file's bytes
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    reading_encrypted = models.TextField(blank=True)  # Fernet token of Reading.to_json()
    error_code = models.CharField(max_length=32, choices=Error.choices, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)  # the latest attempt's start
    finished_at = models.DateTimeField(null=True, blank=True)
    # Until when the queued or running attempt is left alone; past it the watchdog queues it again.
    lease_expires_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "upload_token", "sha256"], name="receipt_check_once_per_form"),
        ]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"], name="receipt_check_due"),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"receipt check {self.id} ({self.state})"

    @property
    def content(self) -> bytes:
        return crypto.decrypt_bytes(bytes(self.content_encrypted))

    @property
    def reading(self) -> Reading | None:
        """What the reader found, or None while it is not read (or could not be)."""
        if self.state != self.State.READ or not self.reading_encrypted:
            return None
        from evidence.model import Reading

        return Reading.from_json(json.loads(crypto.decrypt(self.reading_encrypted)))

    @property
    def error_words(self) -> str:
        """Why the check failed, for the member ("" unless it failed)."""
        if self.state != self.State.FAILED:
            return ""
        return str(self.ERROR_WORDS.get(self.error_code, self.ERROR_WORDS[self.Error.READER_FAILED]))

    @property
    def done(self) -> bool:
        return self.state in (self.State.READ, self.State.FAILED)
