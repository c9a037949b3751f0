"""The change history (django-simple-history) shown on the item page."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("plans/_item_history.html")
def item_audit(item: Any) -> dict[str, Any]:
    records = item.history.select_related("history_user").order_by("-history_date")[:50]
    return {"records": records}
