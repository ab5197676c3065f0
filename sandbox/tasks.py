"""The sandbox's task-worker jobs (found by Celery's autodiscovery): its Silver's adjudication."""

from sandbox.silver.tasks import adjudicate, deliver, sweep

__all__ = ["adjudicate", "deliver", "sweep"]
