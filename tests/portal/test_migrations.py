"""Data migrations: what they do to rows that exist before them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("portal", "0002_profile_time_zone"), ("socialaccount", "0006_alter_socialaccount_extra_data")]
AFTER = [("portal", "0003_socialaccount_extra_data_subject_only")]


@pytest.fixture
def back_to_the_latest():
    """Whatever a test migrates back to, the database ends at the latest migrations again (later
    tests use the schema as it is now: a column added after AFTER must exist)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_old_accounts_keep_only_the_subject_of_the_providers_claims(back_to_the_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    SocialAccount = apps.get_model("socialaccount", "SocialAccount")
    user = User.objects.create(username="oidc-123")
    claims = {"userinfo": {"sub": "123", "name": "Alice Nguyen", "person_id": "p-1"}, "id_token": {"sub": "123"}}
    SocialAccount.objects.create(user=user, provider="sandbox", uid="123", extra_data=claims)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    account = apps.get_model("socialaccount", "SocialAccount").objects.get(uid="123")
    assert account.extra_data == {"sub": "123"}
