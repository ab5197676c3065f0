from django.apps import AppConfig
from django.conf import settings


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Sandbox (identity provider + Claims API v1)"

    def ready(self) -> None:
        from oauth2_provider.settings import oauth2_settings

        from sandbox.keys import load_or_create_private_key

        if not settings.OAUTH2_PROVIDER.get("OIDC_RSA_PRIVATE_KEY"):
            settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = load_or_create_private_key(settings.SANDBOX_KEY_FILE)
            oauth2_settings.reload()
