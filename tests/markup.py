"""Helpers for asserting on rendered pages.

A page carries random tokens (the CSRF token, the CSP nonce). A short item number such as
"X1" turns up inside one now and then, so ``"X1" not in html`` fails at random. The
number as a word of its own is what a reader sees.
"""

import re


def mentions(html: str, word: str) -> bool:
    """Whether ``word`` occurs in ``html`` with no letter or digit on either side."""
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(word)}(?![0-9A-Za-z])", html) is not None
