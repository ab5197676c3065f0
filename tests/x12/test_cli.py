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
    assert "provider HOME HOSPITAL PHYSICIANS (NPI 6166666666): E0:24:85, as of 2005-09-16" in result.stdout
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
        "  transaction 000000001: rejected (error codes 5)",
        "  transaction 000000001: segment NM1 at position 13, element 9 was refused (error code 8, 7).",
    ]
    data = json.loads(_run("parse", str(path), "--json").stdout)
    assert data["accepted"] is False and data["errors"][0]["segment_id"] == "NM1"


def _status_277(*claim: str) -> list[str]:
    return ["ST*277*0001*005010X212", "BHT*0010*08*1*20240315*1402*DG", "HL*1**20*1", "NM1*PR*2*PAYER A*****PI*94036",
            "HL*2*1*21*1", "NM1*41*2*RECEIVER*****46*X", "HL*3*2*19*1", "NM1*1P*2*CLINIC*****XX*1234567893",
            "HL*4*3*22*0", "NM1*QC*1*DOE*JANE****MI*M1", "TRN*2*ABCXYZ1", *claim, "SE*{n}*0001"]  # fmt: skip


def _file(*groups: list[str]) -> str:
    segments = [
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240315*1402*^*00501*000000123*0*T*:"
    ]
    for k, (gs, *sets) in enumerate(groups, start=1):
        body = [s.replace("{n}", str(len(sets))) for s in sets]
        segments += [gs.replace("{k}", str(k)), *body, f"GE*1*{k}"]
    segments.append(f"IEA*{len(groups)}*000000123")
    return "~\n".join(segments) + "~\n"


def test_a_999_then_a_277_in_one_file_are_both_read(tmp_path: Path) -> None:
    """Once the first set's kind decided what was read, and the 277's claim vanished with exit 0."""
    ack = ["GS*FA*SENDER*RECEIVER*20240315*1402*{k}*X*005010X231A1", "ST*999*0001*005010X231A1",
           "AK1*HR*7*005010X212", "AK2*276*0001", "IK5*A", "AK9*A*1*1*1", "SE*{n}*0001"]  # fmt: skip
    status = ["GS*HN*SENDER*RECEIVER*20240315*1402*{k}*X*005010X212", *_status_277("STC*F2:88:QC*20240312**150*0")]
    path = tmp_path / "both.x12"
    path.write_text(_file(ack, status))
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "999 acknowledgement: accepted (A)"
    assert "  claim ABCXYZ1 (payer claim -), service -" in lines
    assert "warning" not in result.stdout  # neither section calls the other's set "skipped"
    data = json.loads(_run("parse", str(path), "--json").stdout)
    assert data["999"]["accepted"] is True
    status_json = data["277"]["reports"][0]["claims"][0]["claimStatus"]
    # The code's meaning names whom STC01-3 names (QC, the patient).
    assert status_json["statusCodeValue"].startswith("The records show that the patient was not covered")


def test_a_ta1_alone_says_whether_the_interchange_was_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ta1.x12"
    path.write_text(
        "ISA*00*          *00*          *ZZ*OPTUM          *ZZ*PORTAL         *240315*1402*^*00501*000000907*0*T*:~"
        "TA1*000000907*240315*1402*R*022~IEA*0*000000907~"
    )
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "TA1 interchange acknowledgement for interchange 000000907: rejected (R), note code 022"
    ]


def test_utf16_and_records_padded_before_their_line_break_are_read(tmp_path: Path) -> None:
    text = _file(["GS*HN*SENDER*RECEIVER*20240315*1402*{k}*X*005010X212", *_status_277("STC*P1:20*20240315")])
    utf16 = tmp_path / "utf16.277"
    utf16.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as PowerShell's ">" writes
    padded = tmp_path / "padded.277"
    padded.write_text("".join(line.ljust(80) + "\n" for line in text.replace("~\n", "\n").splitlines()))
    for path in (utf16, padded):
        result = _run("parse", str(path))
        assert result.returncode == 0, (path.name, result.stderr)
        assert "    P1:20, as of 2024-03-15" in result.stdout.splitlines(), (path.name, result.stdout)


def test_two_interchanges_with_their_own_delimiters_in_one_file_are_both_read(tmp_path: Path) -> None:
    """Files from two senders put together: the second ISA declares | and >; its claim was lost."""
    first = _file(["GS*HN*SENDER*RECEIVER*20240315*1402*{k}*X*005010X212", *_status_277("STC*F1:65*20240315**10*10")])
    second = first.replace("*", "|").replace(":", ">").replace("ABCXYZ1", "SECOND1").replace("F1>65", "F2>88>QC")
    path = tmp_path / "two.277"
    path.write_text(first + second)
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    assert "  claim ABCXYZ1 (payer claim -), service -" in result.stdout.splitlines()
    assert "    F2:88:QC, as of 2024-03-15, billed 10.00, paid 10.00" in result.stdout.splitlines()
    assert "warning" not in result.stdout, result.stdout


def test_a_third_interchange_with_other_delimiters_after_two_alike_is_read(tmp_path: Path) -> None:
    first = _file(["GS*HN*SENDER*RECEIVER*20240315*1402*{k}*X*005010X212", *_status_277("STC*F1:65*20240315**10*10")])
    third = first.replace("*", "|").replace(":", ">").replace("ABCXYZ1", "THIRD01")
    path = tmp_path / "three.277"
    path.write_text(first + first.replace("ABCXYZ1", "SECOND1") + third)
    result = _run("parse", str(path))
    assert result.returncode == 0, result.stderr
    for trace in ("ABCXYZ1", "SECOND1", "THIRD01"):
        assert f"  claim {trace} (payer claim -), service -" in result.stdout.splitlines(), trace
