"""Accounts that signed in before the portal cut allauth's copy of the provider's claims: cut it now
(the same as every sign-in does since; see portal.signin)."""

from __future__ import annotations

from django.db import migrations


def keep_only_the_subject(apps, schema_editor):  # type: ignore[no-untyped-def]
    SocialAccount = apps.get_model("socialaccount", "SocialAccount")
    batch = []
    for account in SocialAccount.objects.only("pk", "uid", "extra_data").iterator(chunk_size=1000):
        if account.extra_data != {"sub": account.uid}:
            account.extra_data = {"sub": account.uid}
            batch.append(account)
        if len(batch) >= 1000:
            SocialAccount.objects.bulk_update(batch, ["extra_data"])
            batch = []
    if batch:
        SocialAccount.objects.bulk_update(batch, ["extra_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_profile_time_zone"),
        ("socialaccount", "0006_alter_socialaccount_extra_data"),
    ]

    operations = [migrations.RunPython(keep_only_the_subject, migrations.RunPython.noop)]
