"""The task workers' Celery app, configured from Django settings (the ``CELERY_`` names).

Workers: ``celery -A portal worker``; the scheduler (one per deployment): ``celery -A portal beat``.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _fresh_broker_engines(**_: Any) -> None:
    """A pool child must not share the SQLite connections it inherited from the worker (the
    embedded broker): SQLAlchemy's advice after a fork is to drop them, unclosed, and reconnect."""
    try:
        from kombu.transport.sqlalchemy import Channel
    except ImportError:  # pragma: no cover - SQLAlchemy is always installed; the branch is for clarity
        return
    for engine, _session in Channel._engines.values():
        engine.dispose(close=False)
