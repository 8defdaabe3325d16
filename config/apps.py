from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Holds project-wide commands (seed_demo) that wire several apps together."""

    name = "config"
    verbose_name = "Project"
