"""Danish number formatting done in Python, once per value, not per template tag."""

from __future__ import annotations

from decimal import Decimal

MINUS = "-"


def danish_number(value: Decimal | int | float | None, blank_zero: bool = False) -> str:
    """1234 -> '1.234', -1200.5 -> '-1.200,5', 0 -> '0' (or '' with blank_zero)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == 0:
        return "" if blank_zero else "0"
    sign = MINUS if number < 0 else ""
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    text = f"{whole:,}".replace(",", ".")
    if fraction:
        decimals = f"{fraction.normalize():f}".split(".")[1]
        text = f"{text},{decimals}"
    return sign + text
