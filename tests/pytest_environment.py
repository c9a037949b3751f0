"""Loaded with `-p` before Django is set up: the environment the suite runs in.

Not a test module; its name only has to be importable early.
"""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-secret-key-not-for-production-but-as-long-as-production-needs"
)
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
