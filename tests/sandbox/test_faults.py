"""Fault injection (sandbox only): per-request header and process-wide settings."""

from __future__ import annotations

import time
import uuid
from http import HTTPStatus

import pytest
import requests

from tests.sandbox.test_api_claims import assert_problem


@pytest.mark.parametrize("status", [500, 503, 502, 504, 408])
def test_header_status_faults(demo, status):
    response = demo.get(f"/v1/claims?person_id={demo.alice}", as_user="alice", headers={"X-Sandbox-Fault": str(status)})
    assert_problem(response, status)


def test_429_with_and_without_retry_after(demo):
    with_header = demo.get("/claims/health/liveness", headers={"X-Sandbox-Fault": "429"})
    assert_problem(with_header, 429)
    assert with_header.headers["Retry-After"] == "1"
    without = demo.get("/claims/health/liveness", headers={"X-Sandbox-Fault": "429-no-retry-after"})
    assert_problem(without, 429)
    assert "Retry-After" not in without.headers


def test_latency(demo):
    started = time.monotonic()
    response = demo.get("/claims/health/liveness", headers={"X-Sandbox-Fault": "latency=300"})
    assert response.status_code == HTTPStatus.OK
    assert time.monotonic() - started >= 0.3


def test_drop_breaks_the_connection(demo):
    with pytest.raises(requests.exceptions.RequestException):
        demo.get(f"/v1/claims?person_id={demo.alice}", as_user="alice", headers={"X-Sandbox-Fault": "drop"})


def test_times_limits_a_fault_to_the_first_attempts_of_a_request_id(demo):
    headers = {"X-Sandbox-Fault": "503,times=2", "X-Request-Id": uuid.uuid4().hex}
    codes = [demo.get("/claims/health/liveness", headers=headers).status_code for _ in range(3)]
    assert codes == [503, 503, 200]


def test_unknown_fault_value_is_400(demo):
    assert_problem(demo.get("/claims/health/liveness", headers={"X-Sandbox-Fault": "explode"}), 400)


def test_process_wide_fault_rate_and_latency(demo, settings):
    settings.SANDBOX_FAULT_RATE = 1.0
    settings.SANDBOX_FAULT_STATUS = "503"
    assert_problem(demo.get("/claims/health/liveness"), 503)
    settings.SANDBOX_FAULT_STATUS = "drop"
    with pytest.raises(requests.exceptions.RequestException):
        demo.get("/claims/health/liveness")
    settings.SANDBOX_FAULT_STATUS = "503, drop"  # a mix: each failure picks one
    seen = set()
    for _ in range(40):
        try:
            seen.add(demo.get("/claims/health/liveness").status_code)
        except requests.exceptions.RequestException:
            seen.add("drop")
    assert seen == {503, "drop"}
    settings.SANDBOX_FAULT_RATE = 0.0
    settings.SANDBOX_LATENCY_MS = 250
    started = time.monotonic()
    assert demo.get("/claims/health/liveness").status_code == HTTPStatus.OK
    assert time.monotonic() - started >= 0.25


def test_faults_are_ignored_when_the_sandbox_is_disabled(demo, settings):
    settings.SANDBOX_ENABLED = False
    assert demo.get("/claims/health/liveness", headers={"X-Sandbox-Fault": "503"}).status_code == HTTPStatus.OK


def test_openapi_is_never_faulted(demo, settings):
    settings.SANDBOX_FAULT_RATE = 1.0
    assert requests.get(f"{demo.api_url}/openapi.json", timeout=10).status_code == HTTPStatus.OK
