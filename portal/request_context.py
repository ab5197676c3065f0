"""The current request's correlation id, readable from anywhere in the same thread of work."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(raw: str | None) -> str:
    """Accept a caller's id only if it is short and plain; otherwise mint a new one."""
    if raw and _VALID.match(raw):
        return raw
    return new_request_id()


_CORRELATION = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


def clean_correlation_id(raw: str | None) -> str | None:
    """A caller's own id, kept beside ours only if it is short and plain; never our reference."""
    if raw and _CORRELATION.match(raw):
        return raw
    return None


def get_request_id() -> str | None:
    return _request_id.get()


def set_request_id(value: str | None) -> contextvars.Token[str | None]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str | None]) -> None:
    _request_id.reset(token)
