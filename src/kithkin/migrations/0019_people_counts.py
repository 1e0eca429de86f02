"""Indexes for pages that grow less than the network: People by name reads a page's ids
from one covering index (person_listed); Organizations count each one's current ties from
one index (affiliation_current) and leave out the few archived people and me
(person_put_away)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0018_duplicate_candidates"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="person", name="person_name"),
        migrations.AddIndex(
            model_name="affiliation",
            index=models.Index(
                fields=["organization", "end_on", "person"], name="affiliation_current"
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["network", "full_name", "id", "archived_at", "is_self"],
                name="person_listed",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(
                    ("archived_at__isnull", False), ("is_self", True), _connector="OR"
                ),
                fields=["network"],
                name="person_put_away",
            ),
        ),
    ]
