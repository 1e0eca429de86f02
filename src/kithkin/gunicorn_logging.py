"""Gunicorn's logger for `kith serve` (its ``logger_class``): secrets redacted from the
access log and the error log (kithkin.log_redaction says which and why)."""

from __future__ import annotations

from typing import Any

from gunicorn import glogging

from kithkin.log_redaction import RedactSecrets, redact_atoms


class GunicornLogger(glogging.Logger):
    """Gunicorn's logger (`kith serve`'s ``logger_class``) with secrets redacted from the
    access log and the error log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactSecrets) for f in logger.filters):
                logger.addFilter(RedactSecrets())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        return redact_atoms(super().atoms(resp, req, environ, request_time))
