"""``python -m evidence read FILE... [--json]``: what the reader finds in each file, one file at a time."""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from pathlib import Path

from evidence import FIELD_NAMES, Reading, read

_EXTRA_TYPES = {".heic": "image/heic", ".heif": "image/heif", ".csv": "text/csv", ".webp": "image/webp"}


def _mime(path: Path) -> str:
    return _EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _describe(path: Path, reading: Reading) -> str:
    lines = [
        f"{path}: {reading.kind.value} ({reading.readability.value}, {reading.pages} page(s), {reading.seconds:.2f} s)"
    ]
    if reading.problem:
        lines.append(f"  problem: {reading.problem}")
    for name in FIELD_NAMES:
        found = reading.fields.get(name)
        if found is None:
            continue
        value = found.value.isoformat() if hasattr(found.value, "isoformat") else str(found.value)
        note = f"  [{found.uncertain}]" if found.uncertain else ""
        lines.append(f"  {name}: {value}  (confidence {found.confidence:.2f}){note}")
    if reading.currency:
        lines.append(f"  currency: {reading.currency}")
    for item in reading.line_items:
        when = item.service_date.isoformat() if item.service_date else "-"
        codes = ",".join(item.codes) or "-"
        lines.append(f"  line: {when}  {codes}  {item.description}  {item.amount}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evidence", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    read_cmd = commands.add_parser("read", help="read receipts, invoices, EOBs or statements")
    read_cmd.add_argument("files", nargs="+", type=Path)
    read_cmd.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"{path}: cannot open ({exc.strerror or exc.__class__.__name__})", file=sys.stderr)
            status = 1
            continue
        reading = read(data, _mime(path))
        if args.json:
            print(json.dumps({"file": str(path), **reading.to_json()}, ensure_ascii=False))
        else:
            print(_describe(path, reading))
    return status


if __name__ == "__main__":
    sys.exit(main())
