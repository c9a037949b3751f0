"""The overview costs a constant, small number of queries whatever the size of the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Colour, Kind

pytestmark = pytest.mark.django_db

CEILING = 10
KINDS = [Kind.DRIFT, Kind.RAADERUM, Kind.ANLAEG, Kind.HENSIGT]
CODES = ["ØK", "AU", "BUU", "MTU"]


def build_items(make_item: Any, count: int, start: int) -> None:
    for index in range(start, start + count):
        kind = KINDS[index % 4]
        item = make_item(
            f"N{index:04d}",
            committee=CODES[index % 4],
            kind=kind,
            heading=f"Overskrift {index % 3}" if kind == Kind.HENSIGT else None,
            also=(CODES[(index + 1) % 4],) if index % 5 == 0 else (),
            amounts={2025: index, 2026: -index},
            cross_cutting=index % 7 == 0,
        )
        for month in (1, 2, 3):
            item.record_status(colour=list(Colour)[index % 3], period=date(2025, month, 1))


def count_queries(client: Any, url: str, **headers: str) -> int:
    """SQL queries of one request, without transaction control statements."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return sum(
        1
        for query in context.captured_queries
        if not query["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    )


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("", {}),
        ("?committee=AU&as_of=2025-03", {"HX-Request": "true"}),
        ("?q=N00&colour=red&sort=-status&responsible=Mette&cross=1", {}),
    ],
)
def test_query_count_is_constant_from_small_to_larger_plan(
    client, director, plan, make_item, django_assert_max_num_queries, query, headers
):
    url = reverse("plans:plan_detail", args=[plan.slug]) + query
    client.force_login(director)
    build_items(make_item, 8, 0)
    with django_assert_max_num_queries(CEILING):
        small_page = client.get(url, headers=headers).content
    small = count_queries(client, url, **headers)
    assert small <= CEILING
    build_items(make_item, 72, 8)
    with django_assert_max_num_queries(CEILING):
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    if "q=" not in query:  # the larger plan really is on the page
        assert response.content.count(b"<tr") > 3 * small_page.count(b"<tr")
    assert count_queries(client, url, **headers) == small
