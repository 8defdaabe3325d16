from django.db import migrations

INDEX = "blogs_post_search_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON blogs_blogpost USING GIN (search_vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    """Full-text search index, PostgreSQL only (SQLite uses a plain fallback search)."""

    dependencies = [("blogs", "0001_initial")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
