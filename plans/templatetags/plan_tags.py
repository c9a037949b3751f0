from decimal import Decimal

from django import template
from django.utils.safestring import SafeString

from plans.badges import badge_html, labelled_badge, obs_mark
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


@register.simple_tag
def status_badge(
    colour: str | None, obs: bool = False, obs_text: str = "", completed: bool = False
) -> SafeString:
    """{% status_badge colour obs completed=... %}: the badge markup of plans/badges.py."""
    return badge_html(colour, obs=bool(obs), obs_text=obs_text or "", completed=bool(completed))


@register.simple_tag(name="labelled_badge")
def labelled_badge_tag(css: str, label: str) -> SafeString:
    """{% labelled_badge "red" _("Fejl") %}: a badge's look with a word of its own."""
    return labelled_badge(css, str(label))


@register.simple_tag(name="obs_mark")
def obs_mark_tag(obs_text: str = "") -> SafeString:
    """{% obs_mark %}: the OBS mark of a badge, standing on its own."""
    return obs_mark(obs_text or "")


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
