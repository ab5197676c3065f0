"""Automated reviews for the demo (development profile with the sandbox only): alice's open claims
with receipts on file are sent to the sandbox's Silver, so that hana's list and claim pages show
recommendations and alice's claim pages say what the reviews found. Idempotent (the same receipts
are the same review). `make run` queues it as a task (the Claims API it reads is the server being
started): the worker runs it once the server answers. ``--now`` runs it here.

The token comes from the sandbox's own ``sandbox_token`` command, called by name: portal code never
imports the sandbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews.demo import send_demo_reviews


class Command(BaseCommand):
    help = "Send alice's open claims with receipts on file for automated review (the demo)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="alice")
        parser.add_argument("--now", action="store_true", help="run here instead of queueing a task")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEVELOPMENT and settings.SANDBOX_ENABLED and settings.SILVER_BASE_URL):
            raise CommandError("demo_reviews is for the development profile with the sandbox.")
        if options["now"]:
            started = send_demo_reviews(options["username"])
            self.stdout.write(f"{started} claims of {options['username']} sent for automated review (demo).")
            return
        from reviews.tasks import demo_reviews

        demo_reviews.delay(options["username"])
        self.stdout.write(f"The demo's automated reviews of {options['username']}'s claims are queued.")
