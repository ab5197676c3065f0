"""The log redaction net: every kind of secret is masked, ordinary lines pass untouched."""

from __future__ import annotations

import pytest

from portal.logging import redact

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ"


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("Authorization: Bearer abc.def-ghi_123", "abc.def-ghi_123"),
        ("authorization: BEARER abc.def-ghi_123", "abc.def-ghi_123"),
        (f"token was {JWT} here", JWT),
        ("access_token=0123456789abcdefXYZ", "0123456789abcdefXYZ"),
        ('{"Refresh_Token": "0123456789abcdefXYZ"}', "0123456789abcdefXYZ"),
        ("the refresh token 0123456789abcdefghijXYZ expired", "0123456789abcdefghijXYZ"),
        ("CODE 0123456789abcdefghijXYZ was used", "0123456789abcdefghijXYZ"),
        ("file " + "QUJD" * 60, "QUJD" * 60),
        ("{'apiKey': 'sk-silver-0123456789'}", "sk-silver-0123456789"),
        ("API_KEY=sk-silver-0123456789", "sk-silver-0123456789"),
    ],
)
def test_secrets_are_masked(text, left_out):
    cleaned = redact(text)
    assert left_out not in cleaned
    assert "[redacted" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "request",
        "claims_api_call",
        "/claims/<str:claim_number>/",
        "GET /v1/claims/{claim_number}/receipts",
        "61bbf8813c464643ac5696dd5e175814",
        "The access token has expired.",
        "bearer",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text
