# People sorted by strength (issue 17): each person's stored score on their own row, with an
# index that serves the People page's order, as person_recent (0013) does for last talked.

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# Strongest first, none last, then by name. SQLite sorts NULL lowest, so a descending column
# already puts it last (and its indexes cannot say NULLS LAST); PostgreSQL must say it for
# the index to serve the ORDER BY.
STRONGEST = {
    "sqlite": "strength_score DESC",
    "postgresql": "strength_score DESC NULLS LAST",
}


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    order = STRONGEST[schema_editor.connection.vendor]
    schema_editor.execute(
        f"CREATE INDEX person_strength ON kithkin_person (network_id, {order}, full_name, id)"
    )


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    schema_editor.execute("DROP INDEX person_strength")


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0034_dav_files"),
    ]

    operations = [
        # One ALTER TABLE on both engines (as 0031): Django's own AddField rebuilds the table
        # on SQLite, which drops what migrations made by hand on it (person_recent, the
        # full-text triggers). A nullable column without a default rewrites no row.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="person",
                    name="strength_score",
                    field=models.SmallIntegerField(blank=True, editable=False, null=True),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE kithkin_person ADD COLUMN strength_score smallint NULL",
                    "ALTER TABLE kithkin_person DROP COLUMN strength_score",
                ),
            ],
        ),
        # The scores stored so far, copied to their people.
        migrations.RunSQL(
            "UPDATE kithkin_person SET strength_score = (SELECT s.score FROM kithkin_strength s "
            "WHERE s.person_id = kithkin_person.id) "
            "WHERE id IN (SELECT person_id FROM kithkin_strength)",
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(create_index, drop_index),
    ]
