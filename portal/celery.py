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

# The embedded broker (kombu's SQLAlchemy transport) polls its table once a second by default, and
# a worker whose processes are all busy polls again only after that: two processes then take about
# two tasks a second. Its polling interval cannot be set as a transport option (the transport hands
# every option to SQLAlchemy's create_engine), so it is set on the transport class, here only.
EMBEDDED_BROKER_POLL_SECONDS = 0.2
if str(app.conf.broker_url or "").startswith("sqla+"):
    from kombu.transport import sqlalchemy as _sqla

    _sqla.Transport.polling_interval = EMBEDDED_BROKER_POLL_SECONDS


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
