# "Worth sharing" reads each opportunity's strong matches stored on it (issue 12: `kith
# today` within 1.5x of django.setup()): derived state, written by
# services.opportunity_matches through the change seam. Nullable without a default: one
# ALTER TABLE on both engines, no table rebuilt, no row rewritten; None means "not computed
# yet" (the agenda then computes them, and the worker's "opportunity matches" job fills them).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0036_insight_totals"),
    ]

    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="agenda_matches",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
