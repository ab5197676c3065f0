"""Receipt checks as the view uses them, and the reading task's rules, run in the test process.
(tests/receipts/test_workers.py runs the same task on real workers.)"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from celery.exceptions import Retry
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from receipts import checks, tasks
from receipts.filetypes import PDF, TXT, CheckedFile
from receipts.models import ReceiptCheck

State = ReceiptCheck.State
SECRET = b"41.17"  # the fake readers read a file that is just an amount


@pytest.fixture
def member(db):
    return get_user_model().objects.create(username="check-member")


@pytest.fixture
def other(db):
    return get_user_model().objects.create(username="check-other")


@pytest.fixture(autouse=True)
def _fast_reader(settings, tmp_path, monkeypatch):
    settings.EVIDENCE_READER = "tests.receipts.fake_readers.fast"
    monkeypatch.setenv("FAKE_READER_DIR", str(tmp_path))


def _start(user, *files: CheckedFile, token: str = "form-1") -> list[ReceiptCheck]:
    return checks.start_checks(user_id=user.pk, claim_number="CLM-1", upload_token=token, files=list(files))


def _txt(data: bytes = SECRET, name: str = "receipt.txt") -> CheckedFile:
    return CheckedFile(name=name, kind=TXT, data=data)


def test_start_stores_the_file_encrypted_and_queues_after_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        (check,) = _start(member, _txt())
    assert len(queued) == 1
    check.refresh_from_db()
    assert check.state == State.QUEUED and check.attempts == 0 and check.size == len(SECRET)
    assert check.mime_type == "text/plain" and check.claim_number == "CLM-1"
    assert SECRET not in bytes(check.content_encrypted) and check.content == SECRET
    assert check.expires_at - check.created_at == timedelta(hours=2)
    with connection.cursor() as cursor:  # nothing of the file in any plain column
        cursor.execute("SELECT * FROM receipts_receiptcheck")
        row = cursor.fetchone()
    assert not any(SECRET in (bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()) for v in row)


def test_the_same_file_chosen_again_under_the_same_token_keeps_its_check(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        (first,) = _start(member, _txt())
        second, new = _start(member, _txt(name="renamed.txt"), _txt(b"9.99"))
        (other_form,) = _start(member, _txt(), token="form-2")
    assert second.pk == first.pk and new.pk != first.pk and other_form.pk != first.pk
    assert len(queued) == 3  # the file chosen again queued nothing
    assert ReceiptCheck.objects.count() == 3


def test_a_failed_check_chosen_again_is_read_again(member):
    (check,) = _start(member, _txt())
    ReceiptCheck.objects.filter(pk=check.pk).update(state=State.FAILED, attempts=4, error_code="reader_failed")
    (again,) = _start(member, _txt())
    assert again.pk == check.pk and again.state == State.QUEUED and again.attempts == 0 and again.error_code == ""


def test_checks_are_the_users_own_and_read_ones_carry_their_reading(member, other):
    mine, _ = _start(member, _txt(), _txt(b"2.00"))
    _start(other, _txt())
    tasks.read_receipt.run(str(mine.pk))
    listed = checks.checks_for(user_id=member.pk, upload_token="form-1")
    assert [c.state for c in listed] == [State.READ, State.QUEUED]
    assert listed[0].reading.value("amount") == Decimal("41.17") and listed[1].reading is None
    assert checks.checks_for(user_id=other.pk, upload_token="form-2") == []


def test_files_for_sending_decrypts_only_the_users_own_in_the_order_asked(member, other):
    first, second = _start(member, _txt(name="a.txt"), CheckedFile(name="b.pdf", kind=PDF, data=b"%PDF-1.4 x"))
    (theirs,) = _start(other, _txt())
    asked = [second.pk, str(first.pk), theirs.pk, "not-an-id", uuid.uuid4()]
    files = checks.files_for_sending(user_id=member.pk, upload_token="form-1", check_ids=asked)
    assert [(f.name, f.kind, f.data) for f in files] == [("b.pdf", PDF, b"%PDF-1.4 x"), ("a.txt", TXT, SECRET)]


def test_forget_deletes_the_forms_checks_only(member, other):
    _start(member, _txt(), _txt(b"1.00"))
    _start(member, _txt(), token="form-2")
    _start(other, _txt())
    assert checks.forget(user_id=member.pk, upload_token="form-1") == 2
    assert ReceiptCheck.objects.count() == 2


def test_a_check_read_already_is_left_alone(member, settings):
    (check,) = _start(member, _txt())
    tasks.read_receipt.run(str(check.pk))
    settings.EVIDENCE_READER = "tests.receipts.fake_readers.always_raises"  # would fail if called
    tasks.read_receipt.run(str(check.pk))
    check.refresh_from_db()
    assert check.state == State.READ and check.attempts == 1


def test_a_check_being_read_elsewhere_is_not_taken_until_its_lease_passes(member):
    (check,) = _start(member, _txt())
    now = timezone.now()
    ReceiptCheck.objects.filter(pk=check.pk).update(
        state=State.READING, attempts=1, started_at=now, lease_expires_at=now + timedelta(seconds=60)
    )
    tasks.read_receipt.run(str(check.pk))
    check.refresh_from_db()
    assert check.state == State.READING and check.attempts == 1
    ReceiptCheck.objects.filter(pk=check.pk).update(lease_expires_at=now - timedelta(seconds=1))
    tasks.read_receipt.run(str(check.pk))
    check.refresh_from_db()
    assert check.state == State.READ and check.attempts == 2


def test_a_reader_failure_is_retried_later_then_fails_with_a_code_in_words(member, settings):
    settings.EVIDENCE_READER = "tests.receipts.fake_readers.always_raises"
    settings.RECEIPT_CHECK_MAX_ATTEMPTS = 3
    (check,) = _start(member, _txt())
    delays = []
    for _ in range(2):
        with pytest.raises(Retry):
            tasks.read_receipt.run(str(check.pk))
        check.refresh_from_db()
        assert check.state == State.QUEUED and check.error_code == "reader_failed"
        # Left alone by the watchdog until the retry is due and its lease has passed too.
        delays.append((check.lease_expires_at - timezone.now()).total_seconds() - settings.RECEIPT_CHECK_LEASE_SECONDS)
    assert delays[1] > delays[0]  # exponential: about 2 s, then about 4 s
    tasks.read_receipt.run(str(check.pk))
    check.refresh_from_db()
    assert (check.state, check.attempts, check.error_code) == (State.FAILED, 3, "reader_failed")
    assert check.finished_at is not None and check.reading is None
    assert "You can still send it" in check.error_words


def test_retry_delays_double(settings):
    settings.RECEIPT_CHECK_RETRY_SECONDS = 2.0
    ratios = [tasks.retry_delay(n) / (2.0 * 2 ** (n - 1)) for n in (1, 2, 3)]
    assert all(0.8 <= ratio <= 1.2 for ratio in ratios)


def test_the_watchdog_requeues_stuck_checks_and_fails_those_out_of_attempts(member, django_capture_on_commit_callbacks):
    stuck_reading, stuck_queued, fresh, worn = _start(member, _txt(b"1"), _txt(b"2"), _txt(b"3"), _txt(b"4"))
    past = timezone.now() - timedelta(seconds=1)
    ReceiptCheck.objects.filter(pk=stuck_reading.pk).update(state=State.READING, attempts=1, lease_expires_at=past)
    ReceiptCheck.objects.filter(pk=stuck_queued.pk).update(lease_expires_at=past)
    ReceiptCheck.objects.filter(pk=worn.pk).update(state=State.READING, attempts=4, lease_expires_at=past)
    sent = []
    tasks.read_receipt.delay, original = (lambda check_id: sent.append(check_id)), tasks.read_receipt.delay
    try:
        assert tasks.requeue_stuck_checks.run() == 2
        assert tasks.requeue_stuck_checks.run() == 0  # their leases were renewed
    finally:
        tasks.read_receipt.delay = original
    assert sorted(sent) == sorted([str(stuck_reading.pk), str(stuck_queued.pk)])
    states = dict(ReceiptCheck.objects.values_list("pk", "state"))
    assert states == {stuck_reading.pk: State.QUEUED, stuck_queued.pk: State.QUEUED, fresh.pk: State.QUEUED,
                      worn.pk: State.FAILED}  # fmt: skip
    assert ReceiptCheck.objects.get(pk=worn.pk).error_code == "worker_lost"


def test_expired_checks_are_deleted_and_no_longer_listed(member):
    old, current = _start(member, _txt(), _txt(b"5.00"))
    ReceiptCheck.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert [c.pk for c in checks.checks_for(user_id=member.pk, upload_token="form-1")] == [current.pk]
    assert checks.files_for_sending(user_id=member.pk, upload_token="form-1", check_ids=[old.pk]) == []
    assert tasks.delete_expired_checks.run() == 1
    assert list(ReceiptCheck.objects.values_list("pk", flat=True)) == [current.pk]
    tasks.read_receipt.run(str(old.pk))  # a message for a deleted check does nothing


def test_an_expired_check_of_the_same_file_makes_way_for_a_new_one(member):
    (old,) = _start(member, _txt())
    ReceiptCheck.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    (new,) = _start(member, _txt())
    assert new.pk != old.pk and ReceiptCheck.objects.count() == 1


def test_rotating_the_keys_re_encrypts_checks(member, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    (check,) = _start(member, _txt())
    tasks.read_receipt.run(str(check.pk))
    new_key = Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [new_key, *settings.TOKEN_ENCRYPTION_KEYS]
    call_command("rotate_token_keys", stdout=open("/dev/null", "w"))
    settings.TOKEN_ENCRYPTION_KEYS = [new_key]  # the old key is gone now
    check.refresh_from_db()
    assert check.content == SECRET and check.reading.value("amount") == Decimal("41.17")
