"""Double submits at the same moment, on PostgreSQL with real threads: creating a theme and
confirming a new-plan import twice at once give one result and a Danish message, not a 500.

Each test holds a table lock from a third connection so that both requests have passed
their checks and wait at the same insert, then lets them go together: the race happens
every time, not by luck. Run with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/udm_hard pytest tests/test_concurrent_submits.py`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from plans.models import BudgetPlan, PendingImport, Theme
from tests.plans.test_import_views import all_committees, upload
from tests.plans.workbooks import SAMPLE

__all__ = ["all_committees"]  # the fixture, used by name

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _dsn() -> str:
    s = connection.settings_dict
    return (
        f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} "
        f"dbname={s['NAME']}" + (f" password={s['PASSWORD']}" if s["PASSWORD"] else "")
    )


def _waiting(monitor: psycopg.Connection[Any], database: str) -> int:
    row = monitor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
        [database],
    ).fetchone()
    return int(row[0]) if row else 0


def race(table: str, requests: list[Callable[[], Any]]) -> list[Any]:
    """Runs the requests in threads while `table` is locked against inserts; releases the
    lock once all of them wait on a lock; returns their responses."""
    database = connection.settings_dict["NAME"]
    results: list[Any] = [None] * len(requests)

    def run(index: int) -> None:
        from django.db import connections

        try:
            results[index] = requests[index]()
        finally:
            connections.close_all()

    with psycopg.connect(_dsn()) as locker, psycopg.connect(_dsn(), autocommit=True) as monitor:
        locker.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while _waiting(monitor, database) < len(requests) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting(monitor, database) == len(requests), ("the requests never met", results)
        locker.commit()
    for thread in threads:
        thread.join(60)
    return results


def signed_in(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("names", [("Klima", "Klima"), ("Klima", "klima")])
def test_the_same_theme_created_twice_at_once(
    plan: BudgetPlan, admin_user: Any, names: tuple[str, str]
) -> None:
    url = reverse("plans:theme_create", args=[plan.slug])
    clients = [signed_in(admin_user), signed_in(admin_user)]
    responses = race(
        Theme._meta.db_table,
        [
            lambda c=c, name=name: c.post(url, {"name": name, "order": "1"})
            for c, name in zip(clients, names, strict=True)
        ],
    )
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302], codes
    refused = next(r for r in responses if r.status_code == 200)
    assert "Planen har allerede et tema med det navn." in refused.content.decode()
    assert [name.lower() for name in Theme.objects.values_list("name", flat=True)] == ["klima"]


def test_a_new_plan_import_confirmed_twice_at_once(admin_user: Any, all_committees: Any) -> None:
    first = signed_in(admin_user)
    upload(first, SAMPLE.read_bytes())
    pending = PendingImport.objects.get()
    url = reverse("plans:import_confirm", args=[pending.pk])
    clients = [first, signed_in(admin_user)]
    responses = race(
        BudgetPlan._meta.db_table,
        [lambda c=c: c.post(url, {"sha256": pending.sha256}) for c in clients],
    )
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302], codes
    refused = next(r for r in responses if r.status_code == 302)
    messages = [str(m) for m in refused.wsgi_request._messages]
    assert messages == ["Filen er allerede importeret eller kasseret (eller ældre end et døgn)."]
    assert BudgetPlan.objects.get().items.count() == 60
    assert not PendingImport.objects.exists()
