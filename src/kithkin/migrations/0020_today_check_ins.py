"""Today counts and ranks the check-ins due from one index (issue 12): ``person_due``
gains the columns the ranking reads beside the due date, so the person rows (with their
long texts) are read only for the few shown. Widened in place rather than added beside:
with two indexes on the same prefix SQLite's sampled statistics sometimes chose the narrow
one. Only people with a due date are in it (every query of it asks for a due date): over
everyone, PostgreSQL found it a cheaper way to read birthdays than their own index."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("kithkin", "0019_people_counts")]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_due"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=[
                    "network",
                    "check_in_due_on",
                    "archived_at",
                    "is_self",
                    "cadence_days",
                    "circle",
                ],
                condition=models.Q(check_in_due_on__isnull=False),
                name="person_due",
            ),
        ),
    ]
