from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Benefits claims portal"

    def ready(self) -> None:
        from portal import auth_backends, signin, tokens  # noqa: F401 - connect their signals
