"""Shared bits of the X12 tests: the vendored samples and a way to write small interchanges."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"


def sample(name: str) -> str:
    return (DATA / name).read_text(encoding="ascii")


def interchange(*body: str, element: str = "*", component: str = ":", terminator: str = "~\n") -> str:
    """An ISA..IEA around ``body`` segments (written with ``*``/``:``, re-delimited as asked), SE01 counted."""
    segments = [
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000042*0*T*:",
        "GS*HN*SENDER*RECEIVER*20240101*1200*42*X*005010X212",
        "ST*277*0001*005010X212",
        *body,
        f"SE*{len(body) + 2}*0001",
        "GE*1*42",
        "IEA*1*000000042",
    ]
    text = terminator.join(segments) + terminator
    if (element, component) != ("*", ":"):
        text = text.replace(":", "\x01").replace("*", element).replace("\x01", component)
    return text
