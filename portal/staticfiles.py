"""Static files storage for production: whitenoise's compressed manifest storage, with each file's
URL worked out once per process (the manifest does not change while the process runs; Django looks
it up, hashes and joins the URL again on every `{% static %}`, a dozen times per page)."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = super().url(name)  # a missing manifest entry raises here, and nothing is kept
            self._urls[name] = url
            return url
