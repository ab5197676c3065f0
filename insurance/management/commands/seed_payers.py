from typing import Any

from django.core.management.base import BaseCommand

from insurance.payers import load_demo_payers


class Command(BaseCommand):
    help = "Load the demo payer list (insurers and the channel that serves each), matching the sandbox."

    def handle(self, *args: Any, **options: Any) -> None:
        count = load_demo_payers()
        self.stdout.write(f"{count} payers on the list")
