#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
    # Django's own manage.py shape: Django is imported once the settings module is named.
    from django.conf import settings  # noqa: PLC0415
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    try:
        settings.SECRET_KEY  # noqa: B018 - reads the settings: a missing key is said plainly
    except ImproperlyConfigured as error:
        sys.exit(f"Fejl i indstillingerne: {error}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
