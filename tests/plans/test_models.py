"""The database and the models refuse what must never be wrong."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import Colour, Item, ItemAmount, Kind, PublishedReport, StatusReport


def test_same_number_twice_for_same_committee_is_refused(make_item):
    make_item("R307", committee="AU")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_item("R307", committee="AU")


def test_same_number_under_two_committees_is_allowed(make_item):
    make_item("R307", committee="AU", kind=Kind.RAADERUM)
    make_item("R307", committee="BUU", kind=Kind.RAADERUM)
    assert Item.objects.filter(number="R307").count() == 2


def test_amount_outside_plan_years_is_refused(make_item):
    item = make_item("D01", amounts={2025: -6000, 2028: -6000})
    with pytest.raises(ValidationError) as error:
        item.set_amounts({2029: 100})
    assert "uden for planens budgetår" in str(error.value)
    assert sorted(ItemAmount.objects.values_list("year", flat=True)) == [2025, 2028]


def test_amounts_by_year_fills_every_plan_year(make_item):
    item = make_item("D01", amounts={2026: 400})
    assert item.amounts_by_year() == {2025: 0, 2026: 400, 2027: 0, 2028: 0}


def test_unknown_colour_is_refused_by_the_database(make_item):
    item = make_item("D01")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(item=item, period=date(2025, 3, 1), colour="purple")


def test_unknown_kind_is_refused_by_the_database(make_item, plan, committees):
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(
            plan=plan, number="Z1", title="x", kind="other", committee=committees["ØK"]
        )


def test_report_period_must_be_first_of_month(make_item):
    item = make_item("D01")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(item=item, period=date(2025, 3, 15), colour=Colour.GREEN)


def test_heading_only_for_declarations_of_intent(make_item, plan):
    item = make_item("H01", heading="Partnerskaber")
    item.kind = Kind.DRIFT
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_status_history_is_insert_only(make_item, director):
    item = make_item("D01")
    report = item.record_status(
        colour=Colour.GREEN, comment="Fint", period=date(2025, 3, 1), author=director
    )
    report.comment = "Ændret"
    with pytest.raises(PermissionError):
        report.save()
    with pytest.raises(PermissionError):
        report.delete()
    with pytest.raises(PermissionError):
        StatusReport.objects.filter(pk=report.pk).update(comment="Ændret")
    with pytest.raises(PermissionError):
        StatusReport.objects.filter(pk=report.pk).delete()
    assert StatusReport.objects.get(pk=report.pk).comment == "Fint"


def test_a_correction_is_a_new_record(make_item, director):
    item = make_item("D01")
    item.record_status(colour=Colour.GREEN, period=date(2025, 3, 1), author=director)
    item.record_status(
        colour=Colour.RED, period=date(2025, 3, 1), author=director, red_reason="stalled"
    )
    assert item.reports.count() == 2
    assert item.latest_report().colour == Colour.RED


def test_latest_status_as_of_a_month(make_item, director):
    item = make_item("D01")
    item.record_status(colour=Colour.GREEN, period=date(2025, 3, 1), author=director)
    item.record_status(colour=Colour.RED, period=date(2025, 5, 1), author=director)
    annotated = Item.objects.with_status(date(2025, 4, 1)).get(pk=item.pk)
    assert annotated.status_colour == Colour.GREEN
    assert Item.objects.with_status(date(2025, 2, 1)).get(pk=item.pk).status_colour is None
    assert Item.objects.with_status(date(2025, 6, 1)).get(pk=item.pk).status_colour == Colour.RED


def test_extract_holds_own_also_concerned_and_cross_cutting(make_item, committees):
    own = make_item("A1", committee="AU")
    also = make_item("B1", committee="BUU", also=("AU",))
    cross = make_item("C1", committee="ØK", cross_cutting=True)
    make_item("D1", committee="MTU")
    extract = set(Item.objects.in_extract_for(committees["AU"]))
    assert extract == {own, also, cross}


def test_published_report_is_insert_only_and_hashed(plan, economy_chief):
    report = PublishedReport.objects.create(
        plan=plan,
        period=date(2025, 3, 1),
        meeting_date=date(2025, 3, 26),
        pdf=b"%PDF-1.7 x",
        published_by=economy_chief,
    )
    assert len(report.sha256) == 64
    with pytest.raises(PermissionError):
        report.save()
    with pytest.raises(PermissionError):
        PublishedReport.objects.all().delete()
