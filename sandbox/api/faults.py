"""Fault injection for resilience tests and benchmarks (sandbox only).

Process-wide: SANDBOX_LATENCY_MS, SANDBOX_FAULT_RATE (0..1), SANDBOX_FAULT_STATUS (429, 500, 503,
drop, or a comma-separated mix such as ``503,drop``: each failing request picks one).
Per request: the ``X-Sandbox-Fault`` header, a comma-separated list of
  503 | 500 | 502 | 504 | 408 | 429 | 429-no-retry-after | drop | malformed | latency=MS | times=N
``malformed`` answers 200 with an HTML body instead of JSON (a misbehaving proxy).
``times=N`` limits a status/drop fault to the first N requests carrying the same X-Request-Id
(so a client's retry, which reuses the id, then succeeds).

Status faults answer before any work is done. ``drop`` lets the work happen and then cuts the
response short (the client sees a broken connection: the classic "was it applied?" case).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from sandbox.api.problems import ApiProblem

HEADER = "X-Sandbox-Fault"
STATUS_FAULTS = {"408", "429", "429-no-retry-after", "500", "502", "503", "504"}


@dataclass
class Fault:
    status: str | None = None  # one of STATUS_FAULTS
    drop: bool = False
    malformed: bool = False
    latency_ms: int = 0


def parse(value: str) -> tuple[Fault, int | None]:
    fault, times = Fault(), None
    for raw in value.split(","):
        item = raw.strip().lower()
        if not item:
            continue
        if item in STATUS_FAULTS:
            fault.status = item
        elif item == "drop":
            fault.drop = True
        elif item == "malformed":
            fault.malformed = True
        elif item.startswith("latency="):
            fault.latency_ms = _bounded_int(item.removeprefix("latency="), 0, 60_000)
        elif item.startswith("times="):
            times = _bounded_int(item.removeprefix("times="), 1, 100)
        else:
            raise ApiProblem(400, f"Unknown {HEADER} value '{item}'.")
    return fault, times


def _bounded_int(raw: str, low: int, high: int) -> int:
    try:
        number = int(raw)
    except ValueError:
        raise ApiProblem(400, f"{HEADER} expects whole numbers, not '{raw}'.") from None
    return max(low, min(high, number))


def for_request(request: HttpRequest) -> Fault:
    """The fault to apply to this request: its header's, else the process-wide setting's."""
    fault = Fault(latency_ms=settings.SANDBOX_LATENCY_MS)
    header = request.headers.get(HEADER)
    if header:
        wanted, times = parse(header)
        fault.latency_ms += wanted.latency_ms
        if (wanted.status or wanted.drop or wanted.malformed) and _within_times(request, header, times):
            fault.status, fault.drop, fault.malformed = wanted.status, wanted.drop, wanted.malformed
    elif settings.SANDBOX_FAULT_RATE > 0 and random.random() < settings.SANDBOX_FAULT_RATE:
        choices = [c.strip() for c in str(settings.SANDBOX_FAULT_STATUS).lower().split(",") if c.strip()]
        configured = random.choice(choices) if choices else "503"
        if configured == "drop":
            fault.drop = True
        elif configured in STATUS_FAULTS:
            fault.status = configured
    return fault


def _within_times(request: HttpRequest, header: str, times: int | None) -> bool:
    request_id = request.headers.get("X-Request-Id")
    if times is None or not request_id:
        return True
    key = f"sandbox:fault:{request_id}:{header}"
    cache.add(key, 0, timeout=600)
    try:
        return cache.incr(key) <= times
    except ValueError:  # evicted between add and incr
        return True


def status_problem(status: str) -> ApiProblem:
    if status == "429":
        return ApiProblem(429, "Rate limit exceeded (sandbox fault).", headers={"Retry-After": "1"})
    if status == "429-no-retry-after":
        return ApiProblem(429, "Rate limit exceeded (sandbox fault).")
    code = int(status)
    return ApiProblem(code, f"Injected sandbox fault {code}.")


def dropped(response: HttpResponse | StreamingHttpResponse) -> StreamingHttpResponse:
    """The same response, cut off mid-body: the server closes the connection short of its length."""
    # A streamed file (a receipt download) is read here, so that half of it really goes out first.
    if isinstance(response, StreamingHttpResponse):
        body = b"".join(response.streaming_content)  # type: ignore[arg-type]
    else:
        body = response.content
    sent = body[: max(1, len(body) // 2)]

    def chunks():  # type: ignore[no-untyped-def]
        yield sent
        # The server then closes the connection mid-body (as a crashed peer or a proxy reset does).
        raise ConnectionAbortedError("sandbox fault: connection dropped mid-response")

    cut = StreamingHttpResponse(chunks(), status=response.status_code)
    cut["Content-Type"] = response.get("Content-Type", "application/json")
    cut["Content-Length"] = str(max(len(body), len(sent) + 1))
    return cut
