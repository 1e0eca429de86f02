import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0007_undoable_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="network",
            name="new_people_circle",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="kithkin.circle",
            ),
        ),
    ]
