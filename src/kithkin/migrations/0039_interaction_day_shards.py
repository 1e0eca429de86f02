# Each day's interaction count spread over eight rows by the interaction's id (issue 12):
# sixteen people logging calls at once on PostgreSQL all waited on the day's one row,
# locked until each commit was flushed. The triggers are dropped here so that the
# post-migrate step (kithkin.interaction_days.ensure_schema) makes them again with the
# shard and counts every row again, shard by shard.

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    # (A copy of kithkin.interaction_days.drop_triggers, which also runs after a migrate
    # back before the table.)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name in ("ai", "ad", "au"):
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS kithkin_interaction_day_{name}")
            else:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS kithkin_interaction_day_{name} ON kithkin_interaction"
                )


def forget_counts(apps, schema_editor):
    # Going back to one row a day: the rows go (with the triggers), and the post-migrate
    # step counts them again.
    drop_triggers(apps, schema_editor)
    apps.get_model("kithkin", "InteractionDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0038_organization_people"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="interactionday",
            name="interaction_day_unique",
        ),
        migrations.AddField(
            model_name="interactionday",
            name="shard",
            field=models.SmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="interactionday",
            constraint=models.UniqueConstraint(
                fields=("network", "day", "kind", "shard"), name="interaction_day_unique"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, forget_counts),
    ]
