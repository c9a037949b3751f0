from decimal import Decimal

from django import template

from plans.formatting import danish_number
from plans.models import COLOUR_TEXTS, Colour

register = template.Library()


@register.filter
def dkk(value: Decimal | int | None) -> str:
    return danish_number(value)


@register.filter
def colour_text(colour: str | None) -> str:
    if not colour:
        return ""
    return str(COLOUR_TEXTS[Colour(colour)])


@register.filter
def colour_label(colour: str | None) -> str:
    if not colour:
        return ""
    return str(Colour(colour).label)


@register.inclusion_tag("plans/_status_badge.html")
def status_badge(colour: str | None, obs: bool = False) -> dict[str, object]:
    return {
        "colour": colour or "",
        "label": Colour(colour).label if colour else "",
        "text": COLOUR_TEXTS[Colour(colour)] if colour else "",
        "obs": obs,
    }
