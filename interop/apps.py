from django.apps import AppConfig


class FhirConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interop"
    verbose_name = "FHIR R4 read API"
