"""Today counts and ranks the check-ins due from one index (issue 12): the columns the
ranking reads are in it, so the person rows (with their long texts) are read only for
the few shown."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("kithkin", "0014_url_keys")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(check_in_due_on__isnull=False),
                fields=[
                    "network",
                    "check_in_due_on",
                    "archived_at",
                    "is_self",
                    "cadence_days",
                    "circle",
                ],
                name="person_due_rank",
            ),
        ),
    ]
