"""The sandbox's Optum bearer tokens: signed (Django's signing with SECRET_KEY and a salt of their
own), so any process of the sandbox accepts a token another issued, with nothing stored. A token
names the client id and its expiry; an expired, altered or unknown one is refused."""

from __future__ import annotations

import secrets
import time

from django.core import signing

SALT = "sandbox.optum.token"


def mint(client_id: str, lifetime: int) -> str:
    return signing.dumps({"cid": client_id, "exp": time.time() + lifetime, "n": secrets.token_hex(6)}, salt=SALT)


def valid(token: str, client_id: str) -> bool:
    try:
        claims = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return False
    return isinstance(claims, dict) and claims.get("cid") == client_id and float(claims.get("exp", 0)) > time.time()
