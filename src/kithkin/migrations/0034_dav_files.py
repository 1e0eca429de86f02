# Plain WebDAV collections and files in a user's address-book home (issue 15: litmus).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import kithkin.clock


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0033_strength"),
    ]

    operations = [
        migrations.CreateModel(
            name="DavFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=1000)),
                ("parent", models.CharField(blank=True, max_length=1000)),
                ("is_collection", models.BooleanField(default=False)),
                ("content", models.BinaryField(blank=True, default=b"")),
                ("content_type", models.CharField(blank=True, max_length=255)),
                ("length", models.PositiveIntegerField(default=0)),
                ("etag", models.CharField(max_length=40)),
                ("properties", models.JSONField(default=dict)),
                ("stored_bytes", models.PositiveIntegerField(default=0)),
                ("created_at", models.DateTimeField(default=kithkin.clock.now)),
                ("modified_at", models.DateTimeField(default=kithkin.clock.now)),
                (
                    "owner",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["owner", "parent"], name="davfile_parent")],
                "constraints": [
                    models.UniqueConstraint(
                        models.F("owner"), models.F("path"), name="davfile_path_once"
                    )
                ],
            },
        ),
    ]
