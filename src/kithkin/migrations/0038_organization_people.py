# Each organization's people there now, stored on its row (issue 12): the Organizations
# page reads a page of them in order from an index instead of counting every current tie
# of the network on each request. The count is kept by triggers (kithkin.organization_counts,
# created after migrate, which counts every organization).

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    # Going back: the triggers would write into a column that is gone. (A copy of
    # kithkin.organization_counts.drop_triggers, which also runs after such a migrate.)
    connection = schema_editor.connection
    tables = {
        "tie": "kithkin_affiliation",
        "person": "kithkin_person",
        "org": "kithkin_organization",
    }
    names = ["tie_ai", "tie_ad", "tie_au", "person_ai", "person_ad", "person_au", "org_ai"]
    with connection.cursor() as cursor:
        for name in names:
            trigger = f"kithkin_org_people_{name}"
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            else:
                table = tables[name.split("_")[0]]
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {trigger}()")


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0037_opportunity_matches"),
    ]

    operations = [
        # One ALTER TABLE on both engines (as 0035): Django's own AddField of a NOT NULL
        # column rebuilds the table on SQLite. The counts are filled in after migrate, when
        # the triggers are made (kithkin.organization_counts.ensure_schema).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="organization",
                    name="people_count",
                    field=models.IntegerField(default=0, editable=False),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE kithkin_organization ADD COLUMN people_count integer "
                    "NOT NULL DEFAULT 0",
                    "ALTER TABLE kithkin_organization DROP COLUMN people_count",
                ),
                # Going back, the triggers go first: SQLite drops no column they name.
                migrations.RunPython(migrations.RunPython.noop, drop_triggers),
            ],
        ),
        migrations.AddIndex(
            model_name="organization",
            index=models.Index(
                fields=["network", "-people_count", "name"], name="organization_people"
            ),
        ),
    ]
