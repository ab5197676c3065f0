"""Create the sandbox's demo data (idempotent) and register the portal as an OIDC client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sandbox.seed import DEMO_PASSWORD, Seeder, write_demo_documents


class Command(BaseCommand):
    help = "Seed the sandbox with demo employers, people, claims, receipts and OIDC clients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Delete the demo claims and receipts first")
        parser.add_argument("--bulk-claims", type=int, default=0, help="Also add N plain claims (benchmarks)")
        parser.add_argument(
            "--load-members", type=int, default=0, help="Also add members load001..N with claims (load runs)"
        )
        parser.add_argument(
            "--documents",
            metavar="DIR",
            help="Also write documents to try the receipt check with, for alice's claims that wait for a receipt",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = Seeder().run(
            reset=options["reset"], bulk_claims=options["bulk_claims"], load_members=options["load_members"]
        )
        if options["documents"]:
            written = write_demo_documents(Path(options["documents"]))
            self.stdout.write(f"{len(written)} documents to try the receipt check with are in {options['documents']}/")
        self.stdout.write(
            self.style.SUCCESS(
                f"Sandbox ready: {result['claims_total']} claims ({result['claims_created']} new). "
                f"Sign in as alice, bob, dave (members) or hana (HR admin) with password "
                f"'{DEMO_PASSWORD}'. Portal OIDC client '{settings.OIDC_CLIENT_ID}' redirects to "
                f"{settings.SANDBOX_PORTAL_URL}."
            )
        )
