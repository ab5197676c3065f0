"""The payer list: which channel serves each insurer. Production loads its own list (Optum's and
Integrex's payer lists, by payer id); the demo list below matches the sandbox's stand-ins."""

from __future__ import annotations

from insurance.models import Payer

DEMO_PAYERS: tuple[tuple[str, str, str, str, str], ...] = (
    # payer id, name, channel, coverages, phone
    ("SUMMT", "Summit Health Plan", Payer.Channel.OPTUM_X12, "medical", "1-800-555-0142"),
    ("EVGDN", "Evergreen Dental Benefits", Payer.Channel.OPTUM_JSON, "dental", "1-800-555-0167"),
    ("LKVSN", "Lakeside Vision Plan", Payer.Channel.INTEGREX, "vision", "1-800-555-0189"),
    # Optum's own sandbox payers and their canned answers (research §1.6)
    ("00001", "Optum sandbox: response not possible", Payer.Channel.OPTUM_JSON, "medical,dental,vision", ""),
    ("000002", "Optum sandbox: dependent, denied", Payer.Channel.OPTUM_JSON, "medical,dental,vision", ""),
    ("00003", "Optum sandbox: accepted and paid", Payer.Channel.OPTUM_JSON, "medical,dental,vision", ""),
    ("00004", "Optum sandbox: rejected", Payer.Channel.OPTUM_JSON, "medical,dental,vision", ""),
)


def load_demo_payers() -> int:
    for payer_id, name, channel, covers, phone in DEMO_PAYERS:
        Payer.objects.update_or_create(
            payer_id=payer_id,
            defaults={"name": name, "channel": channel, "covers": covers, "phone": phone, "active": True},
        )
    return len(DEMO_PAYERS)
