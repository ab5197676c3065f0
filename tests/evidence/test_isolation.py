"""``import evidence`` stays light (web processes import its model classes), and nothing is downloaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from evidence.samples import make_document

ROOT = Path(__file__).resolve().parents[2]
_NO_NETWORK = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("network blocked by the test")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
"""


def test_import_evidence_loads_no_ocr_no_pdf_engine() -> None:
    script = (
        "import sys, evidence, evidence.model, evidence.serialize;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'rapidocr', 'onnxruntime', 'pypdfium2', 'cv2', 'numpy', 'PIL', 'django', 'requests'}))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_cli_reads_a_photo_with_the_network_blocked(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(_NO_NETWORK)
    data, _, truth = make_document("pharmacy_receipt", variant="photo", seed=3, turn=0)
    photo = tmp_path / "receipt.jpg"
    photo.write_bytes(data)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 and nothing else")
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "evidence", "read", str(photo), str(broken), "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    assert first["fields"]["total"]["value"] == str(truth["total"])
    assert first["fields"]["date_of_service"]["value"] == truth["date_of_service"].isoformat()
    assert first["seconds"] > 0
    assert (second["readability"], second["problem"]) == ("damaged", "damaged_pdf")


def test_the_cli_says_why_and_fails_only_when_a_file_cannot_be_opened(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    out = subprocess.run(
        [sys.executable, "-m", "evidence", "read", str(empty), str(tmp_path / "missing.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert "problem: empty_file" in out.stdout
    assert "missing.pdf: cannot open" in out.stderr
