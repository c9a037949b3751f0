"""Audit: who changed what and when, shown on the item page; the status history and the
published reports cannot be changed or removed by any path the application has."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.template import Context, Template

from committees.models import Committee, Membership, MembershipRole
from plans.models import BudgetPlan, Colour, PublishedReport, StatusReport
from plans.templatetags.audit_tags import item_entries


def save_as(obj, user, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj.save()


@pytest.fixture
def audited_item(make_item, admin_user, head, economy_chief):
    item = make_item("R307", committee="AU", title="Gammel titel", amounts={2025: 0, 2026: -1500})
    save_as(item, admin_user, title="Ny titel", committee=Committee.objects.get(code="BUU"))
    save_as(item, economy_chief, cross_cutting=True, responsible=head, kind="raaderum")
    item.also_committees.set([Committee.objects.get(code="ØK")])
    amount = item.amounts.get(year=2026)
    save_as(amount, economy_chief, amount=-3000)
    return item


def test_entries_show_field_level_changes_in_danish(audited_item):
    entries = item_entries(audited_item)
    flat = [
        (entry.who, entry.subject, change.label, change.old, change.new)
        for entry in entries
        for change in entry.changes
    ]
    assert ("Anders Admin", "Punktet", "Emne", "Gammel titel", "Ny titel") in flat
    assert ("Anders Admin", "Punktet", "Fagudvalg", "AU", "BUU") in flat
    assert ("Bettina Andersen", "Punktet", "Tværgående", "Nej", "Ja") in flat
    assert ("Bettina Andersen", "Punktet", "Ansvarlig", "(tom)", "Mette Holm Sørensen") in flat
    assert ("Bettina Andersen", "Punktet", "Type", "Driftsændring", "Råderumsforslag") in flat
    assert ("Bettina Andersen", "Beløb 2026", "Beløb (1.000 kr.)", "-1.500", "-3.000") in flat
    assert any(c[2] == "Vedrører også" and c[3] == "(tom)" and c[4] == "ØK" for c in flat)
    # Newest first; the creation is the oldest entry and has no field list.
    assert entries[-1].action in {"Oprettet"}
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)


def test_item_page_shows_the_log(client, director, audited_item):
    client.force_login(director)
    url = f"/plans/{audited_item.plan.slug}/items/{audited_item.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.text
    assert "Ændringslog" in html
    assert "<del>Gammel titel</del>" in html and "<ins>Ny titel</ins>" in html
    assert "<del>-1.500</del>" in html and "<ins>-3.000</ins>" in html
    assert "Anders Admin" in html and "Bettina Andersen" in html


def test_log_does_not_grow_queries_with_history(
    audited_item, admin_user, django_assert_max_num_queries
):
    for number in range(15):
        save_as(audited_item, admin_user, timing=f"Kvartal {number}")
    template = Template("{% load audit_tags %}{% item_audit item %}")
    # A fixed number of queries however long the history is.
    with django_assert_max_num_queries(8):
        html = template.render(Context({"item": audited_item}))
    assert "Kvartal 14" in html


def test_log_escapes_user_text(make_item, admin_user):
    item = make_item(title="Før")
    save_as(item, admin_user, title='<script>alert("x")</script>')
    html = Template("{% load audit_tags %}{% item_audit item %}").render(Context({"item": item}))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_changes_without_a_user_are_labelled_as_system(make_item):
    item = make_item(title="A")
    item.title = "B"
    item.save()
    entries = item_entries(item)
    assert entries[0].who == "System (import eller kommando)"


def test_admin_changes_record_the_signed_in_user(client, admin_user, plan, committees):
    """Plans, committees and memberships keep their history with the person who changed them."""
    client.force_login(admin_user)
    response = client.post(
        f"/admin/plans/budgetplan/{plan.pk}/change/",
        {
            "slug": plan.slug,
            "title": "Udmøntningsplan 2025-2028 (rettet)",
            "first_year": 2025,
            "last_year": 2028,
            "case_number": "24/7615",
            "approved_on": "11-12-2024",
            "state": "approved",
            "round_scope": "cross_cutting",
            "origin": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    record = BudgetPlan.history.filter(id=plan.pk).latest("history_date")
    assert record.history_user == admin_user
    assert record.title == "Udmøntningsplan 2025-2028 (rettet)"
    assert record.prev_record.title == "Udmøntningsplan 2025-2028"

    committee = committees["AU"]
    save_as(committee, admin_user, name="Arbejdsmarkedsudvalget (nyt navn)")
    assert committee.history.latest().history_user == admin_user
    membership = Membership(user=admin_user, committee=committee, role=MembershipRole.SECRETARY)
    membership._history_user = admin_user
    membership.save()
    membership_id = membership.pk
    membership.delete()
    types = Membership.history.filter(id=membership_id).order_by("history_date")
    assert list(types.values_list("history_type", flat=True)) == ["+", "-"]


# --- insert-only records -------------------------------------------------------------


@pytest.fixture
def report(make_item, director):
    item = make_item(committee="ØK", cross_cutting=True)
    return item.record_status(colour=Colour.GREEN, comment="Følger planen", author=director)


@pytest.fixture
def published(plan, economy_chief):
    return PublishedReport.objects.create(
        plan=plan,
        period=date(2025, 10, 1),
        meeting_date=date(2025, 10, 28),
        pdf=b"%PDF-1.7 test",
        published_by=economy_chief,
    )


@pytest.mark.parametrize("which", ["report", "published"])
def test_insert_only_records_refuse_every_orm_path(request, which):
    record = request.getfixturevalue(which)
    model = type(record)
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        model.objects.get(pk=record.pk).save(update_fields=["pk"] if False else None)
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        model.objects.filter(pk=record.pk).update(pk=record.pk)
    with pytest.raises(PermissionError):
        model.objects.filter(pk=record.pk).delete()
    with pytest.raises(PermissionError):
        model.objects.all().delete()
    with pytest.raises(PermissionError):
        model.objects.bulk_update([record], ["pk"])
    assert model.objects.filter(pk=record.pk).exists()


def test_status_report_cannot_be_changed_through_the_item(report):
    with pytest.raises(PermissionError):
        report.item.reports.all().update(colour=Colour.RED)
    with pytest.raises(PermissionError):
        report.item.reports.all().delete()
    # Removing the item or its plan would take the history with it: refused.
    with pytest.raises(ProtectedError), transaction.atomic():
        report.item.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        report.item.plan.delete()
    # The author cannot be deleted from under the record either.
    with pytest.raises(ProtectedError), transaction.atomic():
        report.author.delete()
    fresh = StatusReport.objects.get(pk=report.pk)
    assert (fresh.colour, fresh.comment) == (Colour.GREEN, "Følger planen")


def test_a_correction_is_a_new_record(report, director):
    report.item.record_status(colour=Colour.YELLOW, comment="Rettet", author=director)
    assert list(report.item.reports.values_list("colour", flat=True).order_by("id")) == [
        "green",
        "yellow",
    ]


@pytest.mark.parametrize(
    "which,url", [("report", "statusreport"), ("published", "publishedreport")]
)
def test_admin_has_no_change_or_delete_path(client, admin_user, request, which, url):
    record = request.getfixturevalue(which)
    client.force_login(admin_user)
    change_url = f"/admin/plans/{url}/{record.pk}/change/"
    page = client.get(change_url)
    # Viewable (read-only), never editable or deletable.
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "deletelink" not in page.text
    assert client.post(change_url, {"colour": "red", "comment": "x"}).status_code == 403
    delete_url = f"/admin/plans/{url}/{record.pk}/delete/"
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = client.post(
        f"/admin/plans/{url}/",
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert changelist.status_code in {200, 302, 403}
    assert type(record).objects.filter(pk=record.pk).exists()


def test_raw_sql_update_is_refused_by_the_database(report):
    """Defence in depth: the database itself refuses to change a status report."""
    table = StatusReport._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET colour = 'red' WHERE id = %s", [report.pk])  # noqa: S608
    if connection.vendor == "postgresql":
        # (SQLite refuses UPDATE only: Django's test flush deletes rows there.)
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [report.pk])  # noqa: S608
    assert StatusReport.objects.get(pk=report.pk).colour == Colour.GREEN
