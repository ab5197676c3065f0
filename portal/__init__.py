"""The portal's project package. The Celery app is loaded with Django (Celery's Django pattern), so
that ``shared_task`` tasks (the sandbox's) are sent through it from web processes too."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
