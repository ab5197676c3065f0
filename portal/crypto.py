"""Encryption at rest for tokens (and receipt checks' files and readings): Fernet, with key
rotation through MultiFernet.

TOKEN_ENCRYPTION_KEYS is a comma-separated list of Fernet keys: the first encrypts, all decrypt.
To rotate, put a new key first, run `manage.py rotate_token_keys`, then drop the old key.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TokenDecryptionError(Exception):
    """Stored ciphertext that no configured key opens (the key was rotated away)."""


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def configured_keys() -> tuple[str, ...]:
    """The configured keys (the development profile makes one on first run, see settings); never
    a key derived from another secret, so no published value can open stored tokens."""
    keys = tuple(settings.TOKEN_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEYS must be set (see .env.example).")
    return keys


def encrypt(text: str) -> str:
    return _fernet(configured_keys()).encrypt(text.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _fernet(configured_keys()).decrypt(ciphertext.encode()).decode()
    except InvalidToken:
        raise TokenDecryptionError("stored token cannot be decrypted with the configured keys") from None


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet(configured_keys()).encrypt(data)


def decrypt_bytes(ciphertext: bytes) -> bytes:
    try:
        return _fernet(configured_keys()).decrypt(ciphertext)
    except InvalidToken:
        raise TokenDecryptionError("stored data cannot be decrypted with the configured keys") from None


def rotate(ciphertext: str) -> str:
    return _fernet(configured_keys()).rotate(ciphertext.encode()).decode()


def rotate_bytes(ciphertext: bytes) -> bytes:
    return _fernet(configured_keys()).rotate(ciphertext)
