"""The ledger pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import ledger

urlpatterns: list[URLPattern] = [
    path("ledger/", ledger.ledger_page, name="ledger"),
    path("ledger/thanks-window/", ledger.ledger_thanks_window, name="ledger_thanks_window"),
    path(
        "ledger/exchanges/<int:exchange_id>/delete/",
        ledger.exchange_delete,
        name="exchange_delete",
    ),
    path("people/<int:person_id>/ledger/", ledger.person_exchange, name="person_exchange"),
    path("people/<int:person_id>/thank/", ledger.person_thank, name="person_thank"),
]
