"""``python -m x12 parse FILE [--json]`` and ``python -m x12 build-276 REQUEST.json``, run as a
person runs them (a subprocess from the project root)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import x12
from tests.x12.helpers import DATA
from tests.x12.test_276 import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "x12", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_parse_prints_a_summary_with_the_warnings() -> None:
    result = _run("parse", str(DATA / "277-provider-level-status.277"))
    assert result.returncode == 0, result.stderr
    assert "payer ABC INSURANCE (12345)" in result.stdout
    assert "provider: E0:24:85, as of 2005-09-16" in result.stdout
    assert "P3:317, as of 2005-09-13, billed 8,513.88" in result.stdout
    assert "warning: segment 22 (STC): a component separator" in result.stdout
    assert "SMITH" not in result.stdout and "123456789A" not in result.stdout  # no names or member ids


def test_parse_json_is_optum_shaped() -> None:
    result = _run("parse", str(DATA / "277-claim-level-status.277"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (report,) = data["reports"]
    assert [c["claimStatus"]["statusCategoryCode"] for c in report["claims"]] == ["P3", "F0", "F2"]
    assert report["claims"][1]["claimStatus"]["amountPaid"] == "7599"
    assert x12.report_from_optum(report) == x12.parse_277((DATA / "277-claim-level-status.277").read_text()).reports[0]
    assert data["warnings"] == ["segment 40 (SE), element SE01: says 36 segments, but 38 were found."]


def test_parse_a_276() -> None:
    result = _run("parse", str(DATA / "276-provider-level-status.276"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["encounter"]["trackingNumber"] for r in data["requests"]] == ["ABCXYZ1", "ABCXYZ3"]


def test_parse_garbage_exits_1_with_the_reason(tmp_path: Path) -> None:
    pdf = tmp_path / "statement.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    result = _run("parse", str(pdf))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "x12: This is not X12: it looks like a PDF document."
    empty = tmp_path / "empty.x12"
    empty.write_bytes(b"")
    assert "The file is empty" in _run("parse", str(empty)).stderr
    missing = _run("parse", str(tmp_path / "nope.277"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_build_276_from_the_documented_request(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps(EXAMPLE))
    result = _run("build-276", str(request), "--test")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ISA*00*")
    assert "*000000001*0*T*:~" in result.stdout.splitlines()[0]
    (parsed,) = x12.parse_276(result.stdout).requests
    assert parsed == x12.StatusRequest.from_optum(EXAMPLE)


def test_build_276_refuses_a_bad_request_in_words(tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps({**EXAMPLE, "providers": [{"providerType": "Nurse"}]}))
    result = _run("build-276", str(request))
    assert result.returncode == 1
    assert result.stderr.strip() == "x12: providers[0].providerType: must be BillingProvider or ServiceProvider."
    request.write_text("not json")
    assert "is not JSON" in _run("build-276", str(request)).stderr


def test_parse_a_999(tmp_path: Path) -> None:
    from tests.x12.test_999 import _ack

    path = tmp_path / "ack.999"
    path.write_text(_ack("AK1*HR*1", "AK2*276*000000001", "IK3*NM1*13*2100D*8", "IK4*9*67*7", "IK5*R*5", "AK9*R*1*1*0"))
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "999 acknowledgement: rejected (R)",
        "  segment NM1 at position 13, element 9 was refused (error code 8, 7).",
    ]
    data = json.loads(_run("parse", str(path), "--json").stdout)
    assert data["accepted"] is False and data["errors"][0]["segment_id"] == "NM1"
