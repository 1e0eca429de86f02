"""WSGI entry point: `gunicorn kithkin.wsgi` (or simply `kith serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
application = get_wsgi_application()
