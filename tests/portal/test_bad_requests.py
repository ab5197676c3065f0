"""Bad input never answers 500: too many fields, too long values, malformed multipart are a 400
page in words; log lines stay short; an oversized declared body is refused before it is read."""

from __future__ import annotations

import io
import json
import logging
import socket
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
import requests

from tests.portal.test_sessions import signed_in_client

MANY = "&".join(f"f{i}=1" for i in range(1100))


class _Lines(logging.Handler):
    """The log lines as the console handler would write them (JSON, redacted)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        from portal.logging import JsonFormatter, RedactFilter, RequestIdFilter

        self.setFormatter(JsonFormatter())
        self.addFilter(RequestIdFilter())
        self.addFilter(RedactFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines():
    handler = _Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


def _assert_bad_request_page(response) -> None:
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.status_code
    text = response.content.decode() if hasattr(response, "content") else response.text
    assert "could not be read" in text and "Reference:" in text, text[:300]


def test_too_many_query_parameters_are_a_400_page_in_words_with_a_short_log_line(portal_member, log_lines):
    response = signed_in_client(portal_member).get(f"/claims/?{MANY}")
    _assert_bad_request_page(response)
    assert log_lines and max(len(line) for line in log_lines) <= 4096, max(map(len, log_lines))
    assert "f1099" not in "".join(log_lines)


def test_too_many_form_fields_are_a_400_page(portal_member):
    client = signed_in_client(portal_member)
    response = client.post("/session/keepalive/", MANY, content_type="application/x-www-form-urlencoded")
    _assert_bad_request_page(response)


def test_a_malformed_multipart_body_is_a_400_page(portal_member):
    client = signed_in_client(portal_member)
    for content_type in ("multipart/form-data", 'multipart/form-data; boundary="a b\x01"'):  # none, or unusable
        response = client.generic("POST", "/claims/CLM-2026-0001/receipts/", b"--x\r\n", content_type=content_type)
        _assert_bad_request_page(response)


def test_an_overlong_query_value_is_a_400_page(portal_member, log_lines):
    response = signed_in_client(portal_member).get("/claims/", {"q": "x" * 20_000})
    _assert_bad_request_page(response)
    assert max(len(line) for line in log_lines) <= 4096


def test_long_log_lines_are_cut(log_lines):
    logging.getLogger("portal").warning("a long message " * 10_000, extra={"detail": "a long value " * 10_000})
    assert len(log_lines) == 1 and len(log_lines[0]) <= 4096
    assert json.loads(log_lines[0])["msg"].endswith("[cut]")


def test_the_served_portal_refuses_a_declared_oversized_body_before_reading_it(server_url, transactional_db, settings):
    """Under waitress (`make run`): the 413 arrives while the client has sent only the headers."""
    settings.REQUEST_MAX_BYTES = 10_000
    address = urlsplit(server_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            b"POST /claims/CLM-2026-0001/receipts/ HTTP/1.1\r\nHost: %s\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: %d\r\n\r\n"
            % (address.netloc.encode(), 200 * 1024 * 1024)
        )
        sock.settimeout(5)
        answer = io.BytesIO()
        try:
            while b"\r\n\r\n" not in answer.getvalue():
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer.write(chunk)
        except TimeoutError:
            pytest.fail("no answer until the body was sent: the server waited to read it all")
    assert answer.getvalue().startswith(b"HTTP/1.1 413"), answer.getvalue()[:200]


def test_the_served_portal_answers_too_many_fields_with_400(server_url, transactional_db):
    response = requests.get(f"{server_url}/?{MANY}", timeout=10)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "could not be read" in response.text
