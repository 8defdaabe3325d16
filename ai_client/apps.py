from django.apps import AppConfig


class AiClientConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ai_client"
    verbose_name = "AI assistant"
