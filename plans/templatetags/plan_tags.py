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


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """{% capture as name %}...{% endcapture %}: render the block once, output nothing,
    and keep the result in `name` for the rest of the current block, e.g. a table
    header repeated in every section of the overview."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Brug: {% capture as navn %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
