from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that compose several apps' selectors: the home page and each role's dashboard.
    At the top of the app chain: it imports the others, nothing imports it."""

    name = "portal"
    verbose_name = "Portal pages"
