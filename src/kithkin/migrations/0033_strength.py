# Relationship strength (issue 17): each person's stored score and the network's weights.

import django.db.models.deletion
from django.db import migrations, models

import kithkin.clock


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0032_carddav"),
    ]

    operations = [
        migrations.CreateModel(
            name="Strength",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="strength",
                        serialize=False,
                        to="kithkin.person",
                    ),
                ),
                ("score", models.PositiveSmallIntegerField()),
                ("before", models.PositiveSmallIntegerField()),
                ("trend", models.SmallIntegerField()),
                ("factors", models.JSONField(default=dict)),
                ("words", models.JSONField(default=list)),
                ("computed_at", models.DateTimeField(default=kithkin.clock.now)),
                (
                    "network",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.network",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["network", "-score", "person"], name="strength_rank"),
                    models.Index(fields=["network", "trend"], name="strength_trend"),
                ],
            },
        ),
        migrations.CreateModel(
            name="StrengthSettings",
            fields=[
                (
                    "network",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="kithkin.network",
                    ),
                ),
                ("weights", models.JSONField(default=dict)),
                ("refreshed_on", models.DateField(blank=True, null=True)),
            ],
        ),
    ]
