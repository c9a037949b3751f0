"""Two publishes of the same form at the same moment (a double click reaching two
workers) keep one edition: the plan row lock and the unique one-time token. PostgreSQL
only: SQLite serialises writers by itself."""

import threading
from datetime import date

import pytest
from django.db import connection

from plans.models import PublishConflict, PublishedReport

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("same_token", [True, False])
def test_simultaneous_publishes_keep_one_edition(plan, economy_chief, same_token):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers by itself")
    barrier = threading.Barrier(2)
    outcomes = []

    def publish(token):
        try:
            barrier.wait()
            report = PublishedReport.objects.publish(
                plan=plan,
                kind="board",
                period=date(2025, 3, 1),
                meeting_date=date(2025, 3, 26),
                pdf=b"%PDF-1.7 " + token.encode(),
                published_by=economy_chief,
                token=token,
            )
            outcomes.append(report.pk)
        except PublishConflict as conflict:
            outcomes.append(("asked", conflict.current.pk))
        finally:
            connection.close()

    tokens = ["same", "same"] if same_token else ["one", "two"]
    threads = [threading.Thread(target=publish, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    published = PublishedReport.objects.get()
    if same_token:
        assert outcomes == [published.pk, published.pk]
    else:
        # The second is asked whether to replace the first, never published beside it.
        assert sorted(outcomes, key=str) == sorted([published.pk, ("asked", published.pk)], key=str)
