"""``python -m x12 parse FILE [--json]`` (a 276, 277 or 999 in words or as JSON) and
``python -m x12 build-276 REQUEST.json`` (Optum's JSON request in, a 276 out).

A file holding several kinds (a 999 and a 277 in one interchange) is read kind by kind, in the
order met; its ``--json`` is then one object per kind ({"999": ..., "277": ...}). A file with
only a TA1 (the interchange acknowledgement) says whether the interchange was accepted.

The summary leaves out names, member ids and dates of birth (``--json`` has everything); a file
that cannot be read exits with status 1 and the reason in words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from x12.ack import Ack999, parse_999
from x12.errors import X12Error
from x12.model import Parsed276, Parsed277, ProviderId, Stc
from x12.optum import report_to_optum
from x12.request import build_276, parse_276
from x12.response import parse_277
from x12.tokens import tokenize


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _status_line(stc: Stc) -> str:
    code = ":".join(p for p in (stc.category, stc.code, stc.entity) if p)
    if stc.code_list_qualifier:
        code += f" ({stc.code_list_qualifier})"
    parts = [code]
    if stc.effective_date:
        parts.append(f"as of {stc.effective_date.isoformat()}")
    if stc.submitted_amount is not None or stc.amount_paid is not None:
        parts.append(f"billed {_money(stc.submitted_amount)}, paid {_money(stc.amount_paid)}")
    if stc.paid_date:
        parts.append(f"finalized {stc.paid_date.isoformat()}")
    if stc.check_number or stc.check_issue_date or stc.payment_method:
        parts.append(
            "payment {method}{number} on {day}".format(
                method=f"by {stc.payment_method} " if stc.payment_method else "",
                number=stc.check_number or "?",
                day=stc.check_issue_date.isoformat() if stc.check_issue_date else "?",
            )
        )
    if stc.secondary:
        also = [":".join(p for p in (t.category, t.code, t.entity) if p) for t in stc.secondary]
        parts.append("also " + ", ".join(also))
    if stc.message:
        parts.append(f"“{stc.message}”")
    return ", ".join(parts)


def _who(provider: ProviderId | None) -> str:
    """ " NAME (NPI 123...)": who a receiver's or provider's statuses are about ("" if unnamed)."""
    if provider is None:
        return ""
    name = provider.organization_name or " ".join(p for p in (provider.first_name, provider.last_name) if p)
    ids = [
        f"{label} {value}"
        for label, value in (
            ("NPI", provider.npi),
            ("TIN", provider.tax_id or provider.tin),
            ("ETIN", provider.etin),
            ("SPN", provider.spn),
        )
        if value
    ]
    said = " ".join(part for part in (name, f"({', '.join(ids)})" if ids else "") if part)
    return f" {said}" if said else ""


def _period(start: date | None, end: date | None) -> str:
    if start is None:
        return "-"
    return start.isoformat() if end is None else f"{start.isoformat()} to {end.isoformat()}"


def _summary_277(parsed: Parsed277) -> list[str]:
    lines = [f"277 claim status, interchange {parsed.control_number}: {len(parsed.reports)} report(s)"]  # fmt: skip
    for report in parsed.reports:
        lines.append("payer {name} ({id})".format(name=report.payer.name or "?", id=report.payer.id or "?"))
        receiver = _who(report.receiver)
        for stc in report.receiver_statuses:
            lines.append("  " + f"information receiver{receiver}: {_status_line(stc)}")
        provider = _who(report.providers[0] if report.providers else None)  # the one whose statuses they are
        for stc in report.provider_statuses:
            lines.append("  " + f"provider{provider}: {_status_line(stc)}")
        for claim in report.claims:
            lines.append(
                "  "
                + "claim {trace} (payer claim {number}), service {period}".format(
                    trace=claim.tracking_number or "?",
                    number=claim.payer_claim_number or "-",
                    period=_period(claim.service_date_from, claim.service_date_to),
                )
            )
            for stc in claim.statuses:
                lines.append("    " + _status_line(stc))
            for line in claim.service_lines:
                lines.append(
                    "    "
                    + "line {code}, billed {billed}, paid {paid}".format(
                        code=":".join(p for p in (line.qualifier, line.procedure_code, *line.modifiers) if p),
                        billed=_money(line.submitted_amount),
                        paid=_money(line.amount_paid),
                    )
                )
                for stc in line.statuses:
                    lines.append("      " + _status_line(stc))
    return lines


def _summary_276(parsed: Parsed276) -> list[str]:
    count = len(parsed.requests)
    lines = [f"276 claim status request, interchange {parsed.control_number}: {count} claim(s)"]
    for request in parsed.requests:
        e = request.encounter
        lines.append(
            "  "
            + "claim {trace} to payer {payer}, service {period}, billed {billed}".format(
                trace=e.tracking_number or "?",
                payer=request.payer_id or "?",
                period=_period(e.beginning_date_of_service, e.end_date_of_service),
                billed=_money(e.submitted_amount),
            )
        )
    return lines


# AK901 / IK501 in words.
_VERDICTS = {
    "A": "accepted",
    "E": "accepted with errors noted",
    "P": "partially accepted",
    "R": "rejected",
    "M": "rejected (message authentication code failed)",
    "W": "rejected (assurance failed validity tests)",
    "X": "rejected (content after decryption could not be analyzed)",
}


def _verdict(code: str) -> str:
    return _VERDICTS.get(code, "not accepted") if code else "no verdict (no AK9)"


def _summary_999(ack: Ack999) -> list[str]:
    if len(ack.groups) > 1:
        overall = "accepted" if ack.accepted else "not all accepted"
    else:
        overall = _verdict(ack.code)
    lines = ["999 acknowledgement: {verdict} ({code})".format(verdict=overall, code=ack.code or "?")]
    if len(ack.groups) > 1:
        for group in ack.groups:
            lines.append(
                "  group {number}: {verdict}".format(number=group.control_number or "?", verdict=_verdict(group.code))
            )
    for transaction in ack.transactions:
        line = "  transaction {number}: {verdict}".format(
            number=transaction.control_number or "?", verdict=_verdict(transaction.code)
        )
        if transaction.error_codes:
            line += " (error codes {codes})".format(codes=", ".join(transaction.error_codes))
        lines.append(line)
    for error in ack.errors:
        lines.append(
            "  transaction {number}: {what}".format(
                number=error.transaction_control_number or "?", what=error.describe()
            )
        )
    return lines


def _summary_ta1(rows: list[list[str]]) -> list[str]:
    """TA1, the interchange acknowledgement: TA104 A accepted, E accepted with errors, R rejected;
    TA105 the note code (000 no error, 001-031 what was wrong with the envelope)."""
    lines = []
    for row in rows:
        code = (row[4] if len(row) > 4 else "").upper()
        note = row[5] if len(row) > 5 else ""
        verdict = {"A": "accepted", "E": "accepted with errors", "R": "rejected"}.get(code, "unknown")
        lines.append(
            "TA1 interchange acknowledgement for interchange {number}: {verdict} ({code}), note code {note}".format(
                number=(row[1] if len(row) > 1 else "") or "?", verdict=verdict, code=code or "?", note=note or "?"
            )
        )
    return lines


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


_OTHER_SET = re.compile(r"^The transaction set at .*, not a (276|277|999); it was skipped\.$")


def _parse(path: Path, as_json: bool) -> int:
    """Each kind of transaction set the file holds (276, 277, 999; a TA1 alone), in the order met."""
    data = path.read_bytes()
    interchange = tokenize(data)
    kinds = list(dict.fromkeys(t.set_id for t in interchange.transactions if t.set_id in ("276", "277", "999")))
    if not kinds:
        ta1 = [row for row in interchange.rows if row[0] == "TA1"]
        if ta1 and not interchange.transactions:
            said = _summary_ta1(ta1)
            if as_json:
                json.dump({"ta1": [row[1:] for row in ta1], "summary": said}, sys.stdout, indent=2)
                sys.stdout.write("\n")
            else:
                sys.stdout.write("\n".join(said) + "\n")
            return 0
        found = ", ".join(dict.fromkeys(t.set_id or "?" for t in interchange.transactions)) or "none"
        raise X12Error(f"The interchange holds no 276, 277 or 999 transaction set (found: {found}).")
    sections: dict[str, Any] = {}
    lines: list[str] = []
    warnings: list[str] = []
    for kind in kinds:
        if kind == "276":
            p276 = parse_276(data)
            sections[kind] = {"requests": [r.to_optum() for r in p276.requests], "warnings": p276.warnings}
            lines += _summary_276(p276)
            found_warnings = p276.warnings
        elif kind == "999":
            ack = parse_999(data)
            sections[kind] = _plain(asdict(ack))
            lines += _summary_999(ack)
            found_warnings = ack.warnings
        else:
            p277 = parse_277(data)
            reports = [report_to_optum(r, control_number=None) for r in p277.reports]
            sections[kind] = {"controlNumber": p277.control_number, "reports": reports, "warnings": p277.warnings}
            lines += _summary_277(p277)
            found_warnings = p277.warnings
        # A set of another kind this file holds is read in its own section, not "skipped".
        for warning in found_warnings:
            other = _OTHER_SET.match(warning)
            if (other is None or other.group(1) not in kinds) and warning not in warnings:
                warnings.append(warning)
    for section in sections.values():
        section["warnings"] = warnings
    payload = sections[kinds[0]] if len(kinds) == 1 else sections
    if as_json:
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        lines += [f"warning: {w}" for w in warnings]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _build_276(path: Path, sender_id: str, receiver_id: str | None, test: bool) -> int:
    from x12.model import StatusRequest

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise X12Error(f"{path.name} is not JSON: {exc}") from exc
    request = StatusRequest.from_optum(data)
    sys.stdout.write(build_276(request, sender_id=sender_id, receiver_id=receiver_id, test=test))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m x12", description="Read and write X12 claim status files.")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="read a 276, 277 or 999 file")
    parse.add_argument("file", type=Path)
    parse.add_argument("--json", action="store_true", help="print JSON (Optum's shape for 276/277)")
    build = commands.add_parser("build-276", help="write a 276 from Optum's JSON request")
    build.add_argument("request", type=Path)
    build.add_argument("--sender-id", default="PORTAL")
    build.add_argument("--receiver-id", default=None)
    build.add_argument("--test", action="store_true", help="mark the interchange as test data (ISA15 = T)")
    args = parser.parse_args(argv)
    try:
        if args.command == "parse":
            return _parse(args.file, args.json)
        return _build_276(args.request, args.sender_id, args.receiver_id, args.test)
    except OSError as exc:
        sys.stderr.write(f"x12: cannot read {exc.filename}: {exc.strerror}" + "\n")
    except X12Error as exc:
        sys.stderr.write(f"x12: {exc.message}" + "\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
