"""The reading task on real workers (subprocesses, not eager mode), in the profile under test:
SQLite and the embedded broker, or PostgreSQL and Redis."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from receipts import checks
from receipts.filetypes import TXT, CheckedFile
from receipts.models import ReceiptCheck
from tests.receipts.workers import LEASE_SECONDS, start_worker, wait_for

__all__ = ["start_worker"]  # the fixture

pytestmark = pytest.mark.slow
State = ReceiptCheck.State
AMOUNT = b"73.19"


@pytest.fixture
def member(transactional_db):
    return get_user_model().objects.create(username="worker-member")


def _check(member) -> ReceiptCheck:
    (check,) = checks.start_checks(
        user_id=member.pk, claim_number="CLM-9", upload_token="form-w",
        files=[CheckedFile(name="pharmacy.txt", kind=TXT, data=AMOUNT)],
    )  # fmt: skip
    return check


def _state(check: ReceiptCheck) -> ReceiptCheck:
    check.refresh_from_db()
    return check


def test_a_worker_reads_a_check_and_its_row_says_so(start_worker, member):
    worker = start_worker("tests.receipts.fake_readers.fast")
    check = _check(member)
    wait_for(lambda: _state(check).state == State.READ, 20, "the check to be read")
    assert check.attempts == 1 and check.started_at and check.finished_at and check.error_code == ""
    (listed,) = checks.checks_for(user_id=member.pk, upload_token="form-w")
    assert str(listed.reading.value("amount")) == AMOUNT.decode()
    assert AMOUNT.decode() not in worker.text() and "pharmacy" not in worker.text()


def test_a_check_survives_its_worker_killed_mid_read(start_worker, member, tmp_path):
    reader = "tests.receipts.fake_readers.slow"
    first = start_worker(reader, FAKE_READER_SECONDS="1.5")
    check = _check(member)
    started = tmp_path / "started"
    wait_for(started.exists, 20, "the reader to start")
    first.kill()
    assert _state(check).state == State.READING and check.started_at is not None
    # A new worker and its scheduler: the watchdog queues the check again once its lease passes
    # (the embedded broker lost the message; Redis would give it back only much later).
    start_worker(reader, beat=True, FAKE_READER_SECONDS="1.5")
    wait_for(lambda: _state(check).state == State.READ, LEASE_SECONDS + 25, "the check to be read after all")
    assert check.attempts == 2 and len(started.read_text().split()) == 2
    assert str(check.reading.value("amount")) == AMOUNT.decode()


def test_a_reader_that_keeps_failing_is_retried_with_backoff_then_the_check_fails(start_worker, member, tmp_path):
    worker = start_worker("tests.receipts.fake_readers.always_raises")
    check = _check(member)
    wait_for(lambda: _state(check).state == State.FAILED, 30, "the check to fail")
    assert (check.attempts, check.error_code) == (4, "reader_failed") and check.error_words
    calls = [float(line) for line in (tmp_path / "calls").read_text().split()]
    assert len(calls) == 4
    # Retries 0.3 s, 0.6 s and 1.2 s apart (each give or take a fifth), however the broker polls.
    assert calls[-1] - calls[0] >= (0.3 + 0.6 + 1.2) * 0.8
    log = worker.text()
    assert log.count("receipt reader failed") == 4 and "ValueError" in log
    assert AMOUNT.decode() not in log  # the reader's message quoted the file: never logged


def test_a_reader_that_fails_once_reads_on_its_retry(start_worker, member):
    start_worker("tests.receipts.fake_readers.raises_once")
    check = _check(member)
    wait_for(lambda: _state(check).state == State.READ, 20, "the check to be read on its retry")
    assert check.attempts == 2 and check.error_code == ""
