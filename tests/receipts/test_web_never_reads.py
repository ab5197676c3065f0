"""A web process never loads the receipt reader (its OCR model is ~100 MB and seconds to load):
only task workers import it, inside the task body."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.receipts.workers import worker_database_url
from tests.test_production import _SERVICES, _production_env

ROOT = Path(__file__).resolve().parents[2]
READER_MODULES = ("onnxruntime", "rapidocr", "rapidocr_onnxruntime", "evidence.reader", "tests.receipts.fake_readers")

_WEB_PROCESS = """
import json, sys
from portal.wsgi import application  # what gunicorn or waitress loads
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)  # the pages name hashed static files
from django.contrib.auth import get_user_model
from django.test import Client
import receipts.tasks  # the web side queues tasks, so it imports their module
from receipts.checks import checks_for, files_for_sending, start_checks
from receipts.filetypes import TXT, CheckedFile

client = Client(HTTP_HOST="portal.example.com")
statuses = [client.get(path, secure=True).status_code for path in
            ("/healthz", "/signin/", "/claims/", "/claims/CLM-1/", "/receipts/", "/employer/claims/")]
user = get_user_model().objects.create(username="web-only")
client.force_login(user)
statuses.append(client.get("/signin/", secure=True).status_code)
(check,) = start_checks(user_id=user.pk, claim_number="CLM-1", upload_token="t",
                        files=[CheckedFile(name="r.txt", kind=TXT, data=b"1.00")])
listed = checks_for(user_id=user.pk, upload_token="t")
sent = files_for_sending(user_id=user.pk, upload_token="t", check_ids=[check.pk])
print(json.dumps({"statuses": statuses, "checks": len(listed), "files": len(sent),
                  "loaded": [name for name in READER_MODULES if name in sys.modules]}))
"""


def test_a_production_web_process_never_imports_the_reader(transactional_db, tmp_path):
    env = _production_env(
        tmp_path, **_SERVICES, SANDBOX_ENABLED="0", DATABASE_URL=worker_database_url(),
        EVIDENCE_READER="tests.receipts.fake_readers.fast",  # a reader the web would load if it loaded any
    )  # fmt: skip
    script = f"READER_MODULES = {READER_MODULES!r}\n" + _WEB_PROCESS
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(status < 500 for status in answer["statuses"]), answer
    assert (answer["checks"], answer["files"]) == (1, 1)
    assert answer["loaded"] == []
