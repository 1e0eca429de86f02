# The interactions a synced calendar's events became (issue 16).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0026_backups"),
    ]

    operations = [
        migrations.CreateModel(
            name="SyncedEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("account", models.CharField(max_length=64)),
                ("calendar", models.CharField(max_length=500)),
                ("href", models.CharField(max_length=500)),
                ("external_id", models.CharField(max_length=500)),
                (
                    "interaction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.interaction",
                    ),
                ),
                (
                    "network",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.network",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["account", "calendar", "href"], name="synced_event_href"),
                    models.Index(fields=["interaction"], name="synced_event_interaction"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "calendar", "external_id"), name="synced_event_once"
                    )
                ],
            },
        ),
    ]
