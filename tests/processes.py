"""manage.py run as its own process, as cron and scripts run it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(
    database: str,
    *arguments: str,
    cwd: Path,
    max_file_bytes: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """manage.py as cron runs it. `max_file_bytes` makes every write past that size fail
    (EFBIG), as a full disk would."""
    environment = os.environ | {"DATABASE_URL": database, "DEBUG": "1"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)

    def limit() -> None:
        if max_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=180,
        check=False,
        preexec_fn=limit,
    )
