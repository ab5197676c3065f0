from django.apps import AppConfig


class InsuranceConfig(AppConfig):
    name = "insurance"
    verbose_name = "Insurance and insurer claim status"
    default_auto_field = "django.db.models.BigAutoField"
