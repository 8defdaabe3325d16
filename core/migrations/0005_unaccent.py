from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive search ("maria" finds "María"). PostgreSQL only; SQLite gets a Python
    function of the same name (core.db)."""

    dependencies = [("core", "0004_secret_deliveries")]

    operations = [UnaccentExtension()]
