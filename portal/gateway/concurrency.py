"""Run independent upstream calls at the same time, so a page costs one round trip, not the sum.

Calls run on a shared pool; each keeps the caller's context (its request id), so every upstream
call of a page carries the same X-Request-Id.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_pool = ThreadPoolExecutor(max_workers=int(os.environ.get("GATEWAY_POOL_THREADS", "32")), thread_name_prefix="gateway")


def gather(*calls: Callable[[], Any], return_exceptions: bool = False) -> list[Any]:
    """Results in the order of ``calls``. The first exception is raised once all have finished,
    unless ``return_exceptions``, which puts exceptions in the list instead."""
    if len(calls) == 1 and not return_exceptions:
        return [calls[0]()]
    futures = [_pool.submit(contextvars.copy_context().run, call) for call in calls]
    results: list[Any] = []
    first_error: BaseException | None = None
    for future in futures:
        try:
            results.append(future.result())
        except Exception as exc:  # noqa: BLE001 - handed back or re-raised below
            results.append(exc)
            first_error = first_error or exc
    if first_error is not None and not return_exceptions:
        raise first_error
    return results
