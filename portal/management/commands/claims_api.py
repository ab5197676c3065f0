"""Read claims through the gateway from the command line (ops checks, support, scripts).

python manage.py claims_api --token "$TOKEN" --person-id <uuid>
python manage.py claims_api --token "$TOKEN" --business-entity-id <uuid> --limit 20
"""

from __future__ import annotations

import uuid
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.gateway import ApiError, ClaimsApiClient, StaticToken


class Command(BaseCommand):
    help = "List claims through the Claims API gateway with the given access token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--token", required=True, help="An access token (e.g. from sandbox_token)")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--person-id", type=uuid.UUID)
        who.add_argument("--business-entity-id", type=uuid.UUID)
        parser.add_argument("--limit", type=int, default=0, help="At most this many claims (0: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        client = ClaimsApiClient(tokens=StaticToken(options["token"]))
        claims = client.iter_claims(person_id=options["person_id"], business_entity_id=options["business_entity_id"])
        if options["limit"]:
            claims = islice(claims, options["limit"])
        try:
            count = 0
            for claim in claims:
                served = claim.start_date_of_service.date().isoformat() if claim.start_date_of_service else "-"
                self.stdout.write(f"{claim.claim_number}\t{served}\t{claim.claim_status.value}\t{claim.claim_amount}")
                count += 1
        except ApiError as exc:
            raise CommandError(f"{exc.title}: {exc.detail or ''} (reference {exc.request_id})") from None
        self.stderr.write(f"{count} claims")
