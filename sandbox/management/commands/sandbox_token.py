"""Print a valid access token for a demo user, for curl and for tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.identity import allowed_scopes
from sandbox.idp.tokens import mint_access_token


class Command(BaseCommand):
    help = "Print an RS256 access token for a sandbox user (e.g. alice, hana)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--scope", help="Space-separated scopes (default: all the user may have)")
        parser.add_argument("--lifetime", type=int, help="Seconds until it expires (default: 1 hour)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No sandbox user {options['username']!r}. Run `python manage.py seed_sandbox` first.")
        allowed = allowed_scopes(user) - {"openid", "profile", "email"}
        scopes = options["scope"].split() if options["scope"] else sorted(allowed)
        refused = set(scopes) - allowed
        if refused:
            raise CommandError(f"{user.username} may not have: {' '.join(sorted(refused))}")
        self.stdout.write(
            mint_access_token(user=user, scopes=scopes, client_id="sandbox-cli", lifetime=options["lifetime"])
        )
