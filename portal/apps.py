from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Benefits claims portal"

    def ready(self) -> None:
        from portal import auth_backends, checks, signin, tokens  # noqa: F401 - connect signals, register checks
