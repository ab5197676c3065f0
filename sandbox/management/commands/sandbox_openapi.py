"""Write the sandbox's OpenAPI document (sandbox/api/openapi.json) from its builder."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from sandbox.api.openapi_source import build
from sandbox.api.views import OPENAPI_PATH


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=False) + "\n"


class Command(BaseCommand):
    help = "Regenerate sandbox/api/openapi.json."

    def handle(self, *args: Any, **options: Any) -> None:
        OPENAPI_PATH.write_text(render())
        self.stdout.write(f"Wrote {OPENAPI_PATH}")
