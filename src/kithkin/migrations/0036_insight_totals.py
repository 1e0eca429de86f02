# The Dashboard's stored totals (issue 17): interactions per UTC day and kind, kept by
# triggers (kithkin.interaction_days, created after migrate, which counts every row), and
# each circle member's kept-on-cadence spans, computed here for the people already there.

import datetime as dt
import zoneinfo
from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models


def _spans(days, cadence_days):
    # A copy of services.insight_totals.spans_of (migrations do not import live code).
    found = []
    reach = dt.timedelta(days=cadence_days)
    for day in sorted(set(days)):
        if found and day <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], day + reach))
        else:
            found.append((day, day + reach))
    return found


def fill_spans(apps, schema_editor):
    Network = apps.get_model("kithkin", "Network")
    Person = apps.get_model("kithkin", "Person")
    Participant = apps.get_model("kithkin", "InteractionParticipant")
    KeptSpan = apps.get_model("kithkin", "KeptSpan")
    for network in Network.objects.all():
        zone = zoneinfo.ZoneInfo(network.time_zone)
        circles = {
            pk: (circle_id, cadence)
            for pk, circle_id, cadence in Person.objects.filter(
                network=network,
                circle__cadence_days__isnull=False,
                archived_at__isnull=True,
                is_self=False,
            ).values_list("pk", "circle_id", "circle__cadence_days")
        }
        keys = list(circles)
        for start in range(0, len(keys), 5000):
            chunk = keys[start : start + 5000]
            days = defaultdict(set)
            rows = Participant.objects.filter(person_id__in=chunk).values_list(
                "person_id", "interaction__occurred_at"
            )
            for pk, at in rows.iterator(chunk_size=10000):
                days[pk].add(at.astimezone(zone).date())
            KeptSpan.objects.bulk_create(
                [
                    KeptSpan(
                        network=network, person_id=pk, circle_id=circles[pk][0], start=a, end=b
                    )
                    for pk in chunk
                    for a, b in _spans(days.get(pk, ()), circles[pk][1])
                ],
                batch_size=2000,
            )


def drop_triggers(apps, schema_editor):
    # Going back: the triggers would write into a table that is gone. (A copy of
    # kithkin.interaction_days.drop_triggers, which also runs after such a migrate.)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for name in ("ai", "ad", "au"):
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS kithkin_interaction_day_{name}")
            else:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS kithkin_interaction_day_{name} ON kithkin_interaction"
                )
        if connection.vendor == "postgresql":
            for name in ("added", "removed", "moved"):
                cursor.execute(f"DROP FUNCTION IF EXISTS kithkin_interaction_day_{name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0035_strength_sort"),
    ]

    operations = [
        migrations.CreateModel(
            name="InteractionDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("kind", models.CharField(max_length=10)),
                ("count", models.IntegerField(default=0)),
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
                "constraints": [
                    models.UniqueConstraint(
                        fields=("network", "day", "kind"), name="interaction_day_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="KeptSpan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.DateField()),
                ("end", models.DateField()),
                (
                    "circle",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.circle",
                    ),
                ),
                (
                    "network",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.network",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kithkin.person",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["network", "end", "start", "circle"], name="kept_span")
                ],
            },
        ),
        migrations.RunPython(fill_spans, drop_triggers, elidable=False),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["network", "connected_on", "created_at", "is_self", "introduced_by"],
                name="person_new",
            ),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["circle", "archived_at", "is_self"], name="person_in_circle"
            ),
        ),
    ]
