"""The portal's own data stores failing: a clear 503 page with a request id, never a bare 500."""

from __future__ import annotations

from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure",
    [OperationalError("connection to server failed"), RedisConnectionError("Error 111 connecting")],
    ids=["database", "redis"],
)
def test_a_session_store_that_does_not_answer_gives_a_503_page_in_words(failure, caplog):
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a" * 32  # a signed-in browser: the session must be read
    with mock.patch.object(import_module(settings.SESSION_ENGINE).SessionStore, "load", side_effect=failure):
        response = browser.get("/claims/", HTTP_X_REQUEST_ID="req-outage-1")
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "The portal is briefly unavailable" in page and "nothing you have already sent was lost" in page
    # The reference is the server's own id (the caller's is only a correlation id, never quoted).
    assert response["X-Request-Id"] in page and "req-outage-1" not in page
    assert "Traceback" not in page and "connection to server" not in page and "Error 111" not in page
    assert any(r.msg == "data_store_unavailable" for r in caplog.records)


@pytest.mark.django_db
def test_any_other_failure_is_still_a_500_page_with_the_request_id():
    browser = Client(raise_request_exception=False)
    with mock.patch("portal.middleware.PermissionsPolicyMiddleware.__call__", side_effect=RuntimeError("bug")):
        response = browser.get("/signin/", HTTP_X_REQUEST_ID="req-bug-2")
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()
    assert response["X-Request-Id"] in response.content.decode() and "Retry-After" not in response
    assert "req-bug-2" not in response.content.decode()
