"""Fewer indexes to maintain on the interaction table, whose imports insert hundreds of
thousands of rows while holding the write lock: no single-column index on the network
(``interaction_when`` starts with it) or the author (nothing reads by it), and the event,
mentorship and milestone, nearly always empty, indexed only where set.

The foreign keys lose ``db_index`` in the state only: altering the field would make
SQLite copy the whole table. The indexes themselves are dropped by name as the database
reports it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = ("network_id", "created_by_id", "event_id", "mentorship_id", "milestone_id")


def drop_single_column_indexes(apps, schema_editor):
    model = apps.get_model("kithkin", "Interaction")
    for column in COLUMNS:
        for name in schema_editor._constraint_names(model, [column], index=True):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_single_column_indexes(apps, schema_editor):
    model = apps.get_model("kithkin", "Interaction")
    for column in COLUMNS:
        field = model._meta.get_field(column.removesuffix("_id"))
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0016_api_tokens"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="interaction",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="event",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interactions",
                        to="kithkin.event",
                    ),
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="mentorship",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="sessions",
                        to="kithkin.mentorship",
                    ),
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="milestone",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="interactions",
                        to="kithkin.milestone",
                    ),
                ),
                migrations.AlterField(
                    model_name="interaction",
                    name="network",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="interactions",
                        to="kithkin.network",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, create_single_column_indexes),
            ],
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                condition=models.Q(("event__isnull", False)),
                fields=["event"],
                name="interaction_event",
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                condition=models.Q(("mentorship__isnull", False)),
                fields=["mentorship"],
                name="interaction_mentorship",
            ),
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(
                condition=models.Q(("milestone__isnull", False)),
                fields=["milestone"],
                name="interaction_milestone",
            ),
        ),
    ]
