"""The deploy checks that are plain functions of the settings."""

from __future__ import annotations

from portal.checks import plan_contact_in_every_language


def test_a_plan_contact_in_english_only_is_warned_about(settings) -> None:
    settings.PLAN_CONTACT, settings.PLAN_CONTACT_ES = "the Acme Benefits Center at 1-800-555-0134", ""
    (warning,) = plan_contact_in_every_language()
    assert warning.id == "portal.W002" and "PLAN_CONTACT_ES" in warning.msg
    settings.PLAN_CONTACT_ES = "el Centro de Beneficios de Acme al 1-800-555-0134"
    assert plan_contact_in_every_language() == []
    settings.PLAN_CONTACT = settings.PLAN_CONTACT_ES = ""  # the translated default
    assert plan_contact_in_every_language() == []
