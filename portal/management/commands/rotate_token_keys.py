"""Re-encrypt every stored token (and receipt check) with the first key of TOKEN_ENCRYPTION_KEYS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from portal import crypto
from portal.models import OidcTokens
from receipts.models import ReceiptCheck


class Command(BaseCommand):
    help = "Re-encrypt stored tokens with the newest key (put it first in TOKEN_ENCRYPTION_KEYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = unreadable = 0
        for row in OidcTokens.objects.all().iterator():
            try:
                row.access_token = crypto.rotate(row.access_token)
                row.refresh_token = crypto.rotate(row.refresh_token) if row.refresh_token else ""
            except Exception:  # noqa: BLE001 - a row no key opens: its user signs in again
                row.delete()
                unreadable += 1
                continue
            row.save(update_fields=["access_token", "refresh_token"])
            done += 1
        self.stdout.write(f"Re-encrypted {done} token records; removed {unreadable} unreadable ones.")
        done = unreadable = 0
        for check in ReceiptCheck.objects.all().iterator(chunk_size=20):
            try:
                check.content_encrypted = crypto.rotate_bytes(bytes(check.content_encrypted))
                check.reading_encrypted = crypto.rotate(check.reading_encrypted) if check.reading_encrypted else ""
            except Exception:  # noqa: BLE001 - a check no key opens: the member chooses the file again
                check.delete()
                unreadable += 1
                continue
            check.save(update_fields=["content_encrypted", "reading_encrypted"])
            done += 1
        self.stdout.write(f"Re-encrypted {done} receipt checks; removed {unreadable} unreadable ones.")
