"""JSON log lines with the request id; nothing personal goes in (callers log ids, not contents)."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from portal.request_context import get_request_id

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = get_request_id()
        return True


# Log lines have a size: a request with a megabyte of query must not write a megabyte of log.
MAX_MESSAGE = 1000
MAX_FIELD = 300
MAX_TRACEBACK = 8000
_CUT = "…[cut]"


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit] + _CUT


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": _cut(record.getMessage(), MAX_MESSAGE),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                if not isinstance(value, int | float | bool | type(None)):
                    value = _cut(str(value), MAX_FIELD)
                line[key] = value
        if record.exc_info:
            line["exc"] = _cut(self.formatException(record.exc_info), MAX_TRACEBACK)
        elif record.exc_text:
            line["exc"] = _cut(record.exc_text, MAX_TRACEBACK)
        return json.dumps(line, default=str)


# Defence in depth: callers log ids, never contents, but if a token, an Authorization header or a
# base64 file body ever reaches a log line, it is masked before it is written.
_SECRETS = [
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"), "[redacted-jwt]"),
    (
        re.compile(r"(?i)((?:access|refresh|id)_token['\"]?\s*[:=]\s*['\"]?)[A-Za-z0-9._~+/=-]{16,}"),
        r"\1[redacted]",
    ),
    (re.compile(r"(?i)((?:refresh|access) token\s+|code\s+)[A-Za-z0-9._~+/=-]{20,}"), r"\1[redacted]"),
    (re.compile(r"[A-Za-z0-9+/]{200,}={0,2}"), "[redacted-base64]"),
    # An OAuth client-credentials body (Optum's token request) or token answer, should one be printed:
    # the whole value up to its quote, whatever characters it has (a signed token holds colons).
    (re.compile(r"(?i)(client_secret['\"]?\s*[:=]\s*['\"]?)[^\s'\"&,;}]{4,}"), r"\1[redacted]"),
    (re.compile(r"(?i)((?:access|refresh|id)_token['\"]?\s*[:=]\s*['\"]?)[^\s'\"&,;}]{16,}"), r"\1[redacted]"),
    # Silver's apiKey header (the administrator key, the webhook secret), should one ever be printed
    (re.compile(r"(?i)(api_?key['\"]?\s*[:=]\s*['\"]?)[A-Za-z0-9._~+/=-]{8,}"), r"\1[redacted]"),
]


# One pass tells whether any of them is there at all (almost never): the substitutions run only then.
_ANY_SECRET = re.compile(
    "|".join(
        f"(?i:{p.pattern.removeprefix('(?i)')})" if p.pattern.startswith("(?i)") else f"(?:{p.pattern})"
        for p, _ in _SECRETS
    )
)


def redact(text: str) -> str:
    if _ANY_SECRET.search(text) is None:
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _route_of(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return f"/{match.route}"


class RequestPathFilter(logging.Filter):
    """Django's own request loggers name the path ("Not Found: /claims/CLM-2026-0042/"), and paths
    carry claim numbers and receipt ids: log the route template instead, and no request object.
    Set on the ``django.request`` and ``django.security.*`` loggers, so every handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if request is None or not isinstance(path, str):
            return True
        route = _route_of(request)
        paths = {path, getattr(request, "path_info", path), request.get_full_path()}
        if isinstance(record.args, tuple):
            record.args = tuple(route if arg in paths else arg for arg in record.args)
        if isinstance(record.msg, str):
            for candidate in sorted(paths, key=len, reverse=True):
                if candidate and candidate != "/":
                    record.msg = record.msg.replace(candidate, route)
        record.request = f"{request.method} {route}"
        return True
