"""Who a sandbox user is, as the identity provider tells the API and the portal."""

from __future__ import annotations

from typing import Any

from sandbox.models import AdminAccount, Person

MEMBER_SCOPES = frozenset({"openid", "profile", "email", "claims:read", "receipts:read", "receipts:write"})
ADMIN_SCOPES = frozenset({"openid", "profile", "email", "claims:read", "receipts:read", "denials:write"})
SERVICE_SCOPES = frozenset({"claims:read", "receipts:read"})


def person_of(user: Any) -> Person | None:
    if user is None:
        return None
    return Person.objects.select_related("employer").filter(user=user).first()


def admin_of(user: Any) -> AdminAccount | None:
    if user is None:
        return None
    return AdminAccount.objects.filter(user=user).first()


def allowed_scopes(user: Any) -> frozenset[str]:
    admin = admin_of(user)
    if admin is not None:
        return SERVICE_SCOPES if admin.is_service_account else ADMIN_SCOPES
    if person_of(user) is not None:
        return MEMBER_SCOPES
    return frozenset({"openid", "profile", "email"})


def identity_claims(user: Any) -> dict[str, Any]:
    """The claims that identify a user to the Claims API (and to the portal at sign-in)."""
    claims: dict[str, Any] = {}
    person = person_of(user)
    if person is not None:
        claims.update(
            person_id=str(person.id),
            employer_id=str(person.employer_id),
            account_types=list(person.account_types),
            zoneinfo=person.zoneinfo,
            role="member",
        )
        if person.locale:  # like most providers, no claim at all when the person set none
            claims["locale"] = person.locale
    admin = admin_of(user)
    if admin is not None:
        claims.update(
            business_entity_id=str(admin.business_entity_id),
            role="service" if admin.is_service_account else "hr_admin",
        )
        if admin.locale:
            claims["locale"] = admin.locale
    return claims
