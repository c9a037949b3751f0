"""Log filters. Read tokens never reach a log: the iCal feed and the JSON API take a token
in the query string (calendar applications cannot send a header), so every log line that can hold a
request line or a header goes through `mask_tokens()`. Used by the Django logging
configuration (`TokenMaskingFilter`) and by gunicorn's access log
(`udmoentning.gunicorn_logger.TokenMaskingLogger`, set in scripts/serve.sh)."""

from __future__ import annotations

import logging
import re

MASK = "***"
_QUERY_TOKEN = re.compile(r"(?i)([?&;](?:token|access_token|key)=)[^&;\s\"']*")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',]+")


def mask_tokens(text: str) -> str:
    """`/x.ics?token=abc&y=1` -> `/x.ics?token=***&y=1`; `Bearer abc` -> `Bearer ***`."""
    return _BEARER.sub(rf"\g<1>{MASK}", _QUERY_TOKEN.sub(rf"\g<1>{MASK}", text))


class TokenMaskingFilter(logging.Filter):
    """Masks tokens in a record's final message (Django's request and server loggers put
    the request line or path in it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class OneLineClientErrors(logging.Filter):
    """A refused request (403, and every other 4xx) is one log line, not a traceback: Django
    logs `PermissionDenied` with its exception attached; only 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
