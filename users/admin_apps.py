"""Django's admin app, installed with the portal's own default site. Kept apart from
users.admin_site, which imports models: this module is read while the app registry loads."""

from django.contrib.admin.apps import AdminConfig


class ClinicAdminConfig(AdminConfig):
    default_site = "users.admin_site.ClinicAdminSite"
