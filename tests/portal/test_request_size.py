"""Bodies larger than the largest real request are refused before anything reads them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser

from receipts.filetypes import MAX_BYTES, MAX_FILES

URL = "/claims/CLM-2026-0001/receipts/"


def test_the_limit_admits_the_largest_real_upload(settings):
    assert settings.REQUEST_MAX_BYTES >= MAX_FILES * MAX_BYTES + 256 * 1024


@pytest.mark.django_db
def test_the_default_limit_is_named_in_megabytes(client, monkeypatch):
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: pytest.fail("the body was parsed"))
    response = client.post(URL, {"receipt_files": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")},
                           CONTENT_LENGTH=str(200 * 1024 * 1024))  # fmt: skip
    assert response.status_code == 413 and "(101.0\xa0MB)" in response.content.decode()


def _big_form() -> dict:
    return {"receipt_files": SimpleUploadedFile("receipt.pdf", b"%PDF-1.7\n" + b"x" * 4000)}


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_unread_with_a_page_in_words(client, settings, monkeypatch):
    settings.REQUEST_MAX_BYTES = 1000
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: pytest.fail("the body was parsed"))
    response = client.post(URL, _big_form())
    assert response.status_code == 413
    text = response.content.decode()
    assert "Too much at once" in text and "at most 10 files of up to 10 MB" in text
    assert "Nothing was stored" in text and "Reference:" in text and "(1000\xa0bytes)" in text


@pytest.mark.django_db
def test_htmx_gets_the_message_where_the_result_goes(client, settings, monkeypatch):
    settings.REQUEST_MAX_BYTES = 1000
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: pytest.fail("the body was parsed"))
    response = client.post(URL, _big_form(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only 2xx answers
    text = response.content.decode()
    assert 'role="alert"' in text and "Too much at once" in text and "<html" not in text


@pytest.mark.django_db
def test_a_body_within_the_limit_goes_on(client, settings):
    settings.REQUEST_MAX_BYTES = 1_000_000
    response = client.post(URL, _big_form())
    assert response.status_code == 302 and "/signin/" in response["Location"]  # anonymous: sign in first


def test_the_served_portal_answers_an_oversized_upload_with_the_page(server_url, transactional_db, settings):
    """Through the real server `make run` uses (waitress reads the body, the portal refuses it)."""
    import requests

    settings.REQUEST_MAX_BYTES = 10_000
    files = {"receipt_files": ("receipt.pdf", b"%PDF-1.7\n" + b"x" * 20_000, "application/pdf")}
    response = requests.post(f"{server_url}{URL}", files=files, allow_redirects=False, timeout=20)
    assert response.status_code == 413
    assert "Too much at once" in response.text and "Reference:" in response.text
