"""The WSGI entry point gunicorn loads. A settings error (a missing or short SECRET_KEY) is
said as one plain line and the server does not start, rather than a traceback per worker."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    sys.exit(f"Fejl i indstillingerne: {error}")

# WeasyPrint takes a second to import: a worker pays it as it starts, not on its first PDF.
import plans.pdf_engine  # noqa: E402, F401
