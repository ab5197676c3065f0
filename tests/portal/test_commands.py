"""The gateway works outside views: the claims_api management command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from sandbox.models import Claim


def test_lists_every_claim_through_the_gateway(demo):
    out, err = io.StringIO(), io.StringIO()
    call_command("claims_api", "--token", demo.token("alice"), "--person-id", demo.alice, stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == Claim.objects.filter(person__id=demo.alice).count()
    number, served, status, amount = lines[0].split("\t")
    assert served[:2] == "20"
    assert number.startswith("11ACME") and status.endswith(("_STATUS", "UNSPECIFIED")) and "." in amount


def test_errors_are_reported_in_words(demo):
    with pytest.raises(CommandError, match="Forbidden"):
        call_command("claims_api", "--token", demo.token("alice"), "--person-id", demo.bob, stdout=io.StringIO())
