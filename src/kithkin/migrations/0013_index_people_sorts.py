from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# People by last talked: newest first, never talked last, then by name. SQLite sorts NULL
# lowest, so a descending column already puts it last (and its indexes cannot say NULLS
# LAST); PostgreSQL must say it for the index to serve the People page's ORDER BY.
RECENT = {
    "sqlite": "last_interaction_at DESC",
    "postgresql": "last_interaction_at DESC NULLS LAST",
}


def create_recent(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    order = RECENT[schema_editor.connection.vendor]
    schema_editor.execute(
        f"CREATE INDEX person_recent ON kithkin_person (network_id, {order}, full_name, id)"
    )


def drop_recent(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP INDEX person_recent")


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0012_index_celebrations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["network", "created_at", "id"], name="person_added"),
        ),
        migrations.RunPython(create_recent, drop_recent),
    ]
