from django.apps import AppConfig


class KithkinConfig(AppConfig):
    name = "kithkin"
    verbose_name = "Kithkin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_fulltext, sender=self)


def _ensure_fulltext(using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    from kithkin import interaction_days, organization_counts
    from kithkin.fulltext import ensure_schema

    ensure_schema(connections[using])
    interaction_days.ensure_schema(connections[using])
    organization_counts.ensure_schema(connections[using])
