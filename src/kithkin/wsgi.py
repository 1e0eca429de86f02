"""WSGI entry point: `gunicorn kithkin.wsgi` (or simply `kith serve`)."""

import os

from django.core.wsgi import get_wsgi_application

from kithkin.files import restrict_umask

restrict_umask()  # the database, its -wal and -shm, uploads: this user's alone
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
application = get_wsgi_application()
