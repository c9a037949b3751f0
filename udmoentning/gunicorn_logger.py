"""gunicorn's logger with read tokens masked in the access log (`--logger-class` in
scripts/serve.sh): the request line, query string, referrer and request headers of each
line go through `mask_tokens()`."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from udmoentning.logmask import mask_tokens


class TokenMaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and (key in {"r", "q", "f"} or key.endswith("}i")):
                atoms[key] = mask_tokens(value)
        return atoms
