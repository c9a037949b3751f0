#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udmoentning.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.SECRET_KEY  # noqa: B018 - reads the settings: a missing key is said plainly
    except ImproperlyConfigured as error:
        sys.exit(f"Fejl i indstillingerne: {error}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
