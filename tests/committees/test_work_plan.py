"""The committees' work plan (issue 22): political treatment imported, edited (with
its change history), on the work-plan page and PDF, in the annual wheel and the iCal feed."""

from __future__ import annotations

import subprocess
from datetime import date

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, Meeting, MembershipRole
from plans.importer.writer import PlanTarget, apply_import
from plans.models import Item
from plans.permissions import Role
from tests.markup import mentions
from tests.plans.workbooks import workbook_bytes

HTMX = {"HTTP_HX_REQUEST": "true"}
NEXT = timezone.localdate().year + 1  # an upcoming year inside the 2025-2028 plan
PAST = 2025


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


@pytest.fixture
def kb(committees):
    committees["KB"] = Committee.objects.create(code="KB", name="Kommunalbestyrelsen", order=9)
    return committees


@pytest.fixture
def treated(plan, kb, make_item):
    items = {
        "D11": make_item("D11", committee="AU", political_treatment=f"AU marts {NEXT}"),
        "D12": make_item("D12", committee="AU", political_treatment=f"AU 2. kvt. {NEXT}"),
        "D13": make_item("D13", committee="AU", political_treatment=f"AU maj {PAST}"),
        "D14": make_item("D14", committee="AU", political_treatment="Indgår i driften"),
        "D15": make_item("D15", committee="BUU", political_treatment=f"ØK, AU juni {NEXT}"),
        "D16": make_item(
            "D16", committee="AU", political_treatment=f"AU marts {PAST}", completed=True
        ),
        "D17": make_item("D17", committee="BUU", political_treatment=f"BUU marts {NEXT}"),
    }
    meeting = Meeting.objects.create(
        plan=plan, body=kb["AU"], date=date(NEXT, 3, 19), title="Arbejdsplan"
    )
    return items, meeting


def test_the_importer_reads_the_political_treatment_column(plan, committees):
    header = ["Nr.", "Emne", "Fagudvalg", "2025", "Politisk behandling"]
    content = workbook_bytes(
        {
            "Driftsændringer": [
                header,
                ["D01", "Effektivisering", "ØK", -100, "ØK, AU juni 2025"],
                ["D02", "Ledelsesinformation", "AU", 0, "Indgår i driften"],
            ]
        }
    )
    apply_import(content, PlanTarget.existing(plan))
    assert Item.objects.get(number="D01").political_treatment == "ØK, AU juni 2025"
    assert Item.objects.get(number="D02").political_treatment == "Indgår i driften"

    # A workbook with the synonym "Behandles i" reads the same column.
    other = workbook_bytes(
        {
            "Driftsændringer": [
                ["Nr.", "Emne", "Fagudvalg", "2025", "Behandles i"],
                ["D01", "Effektivisering", "ØK", -100, "BUU 2. kvt. 2025"],
                ["D02", "Ledelsesinformation", "AU", 0, "Indgår i driften"],
            ]
        }
    )
    apply_import(other, PlanTarget.existing(plan))
    assert Item.objects.get(number="D01").political_treatment == "BUU 2. kvt. 2025"

    # Without the column, a re-import keeps what was written (e.g. edited on the web).
    without = workbook_bytes(
        {
            "Driftsændringer": [
                ["Nr.", "Emne", "Fagudvalg", "2025"],
                ["D01", "Effektivisering", "ØK", -100],
                ["D02", "Ledelsesinformation", "AU", 0],
            ]
        }
    )
    apply_import(without, PlanTarget.existing(plan))
    assert Item.objects.get(number="D01").political_treatment == "BUU 2. kvt. 2025"


def edit_url(plan, item):
    return reverse("committees:treatment_edit", args=[plan.slug, item.pk])


def test_a_secretary_edits_the_treatment_and_the_history_shows_who(
    client, secretary, plan, make_item
):
    item = make_item("D11", committee="AU", political_treatment="AU marts 2025")
    client.force_login(secretary)
    response = client.post(edit_url(plan, item), {"political_treatment": "AU,  BUU maj 2025"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.political_treatment == "AU, BUU maj 2025"
    page = client.get(edit_url(plan, item)).content.decode()
    assert "Sofie Kjær" in page and "«AU marts 2025» → «AU, BUU maj 2025»" in page
    detail = client.get(reverse("plans:item_detail", args=[plan.slug, item.pk]))
    assert detail.status_code in (200, 403)  # secretaries may not see item pages


def test_treatments_on_separate_lines_are_kept_apart(client, admin_user, plan, make_item):
    item = make_item("D11", committee="AU")
    client.force_login(admin_user)
    text = "AU marts 2025\r\nBUU 2. kvt. 2025;;  ØK juni 2025 "
    assert client.post(edit_url(plan, item), {"political_treatment": text}).status_code == 302
    item.refresh_from_db()
    assert item.political_treatment == "AU marts 2025; BUU 2. kvt. 2025; ØK juni 2025"


def test_an_unreadable_treatment_is_refused_in_danish(client, admin_user, plan, make_item):
    item = make_item("D11", committee="AU")
    client.force_login(admin_user)
    response = client.post(edit_url(plan, item), {"political_treatment": "XYZ marts"}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "skriv udvalg og tidspunkt" in response.content.decode()
    item.refresh_from_db()
    assert item.political_treatment == ""


@pytest.mark.parametrize("who", ["head", "director", "economy_chief", "reader", "buu_secretary"])
def test_others_may_not_edit_the_treatment(client, request, make_user, plan, make_item, who):
    item = make_item("D11", committee="AU", political_treatment="AU marts 2025")
    if who == "buu_secretary":
        user = make_user("bo", Role.SECRETARY, (("BUU", MembershipRole.SECRETARY),))
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(edit_url(plan, item)).status_code == 403
    assert client.post(edit_url(plan, item), {"political_treatment": ""}).status_code == 403
    item.refresh_from_db()
    assert item.political_treatment == "AU marts 2025"


def test_the_item_page_offers_the_edit_to_an_administrator(client, admin_user, plan, make_item):
    item = make_item("D11", committee="AU", political_treatment="AU marts 2025")
    client.force_login(admin_user)
    html = client.get(reverse("plans:item_detail", args=[plan.slug, item.pk])).content.decode()
    assert "AU marts 2025" in html and edit_url(plan, item) in html


def test_the_work_plan_page(client, secretary, plan, treated):
    items, meeting = treated
    client.force_login(secretary)
    response = client.get(reverse("committees:work_plan", args=[plan.slug, "AU"]))
    assert response.status_code == 200
    html = response.content.decode()
    # Upcoming by meeting and month; the overdue one marked; D15 (BUU's, treated in AU) in.
    assert f"Møde {meeting.date:%d-%m-%Y}" in html
    assert "D11" in html and "D12" in html and "D15" in html
    overdue = html.split("Overskredne behandlinger")[1].split("<h2")[0]
    assert "D13" in overdue and "overskredet" in overdue
    assert not mentions(html, "D16")  # completed
    assert not mentions(html, "D17")  # another committee's treatment
    assert "1 punkt indgår i driften" in html
    # D11 (March) sits at the March meeting; D12 (the quarter, no meeting) under April.
    at_meeting = html.split(f"Møde {meeting.date:%d-%m-%Y}")[1].split("<h2")[0]
    assert mentions(at_meeting, "D11") and not mentions(at_meeting, "D12")
    assert f"April {NEXT}" in html


def test_the_work_plan_pdf(client, secretary, plan, treated):
    client.force_login(secretary)
    response = client.get(reverse("committees:work_plan_pdf", args=[plan.slug, "AU"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Arbejdsplan for Arbejdsmarkedsudvalget" in text
    for number in ("D11", "D12", "D13", "D15"):
        assert number in text
    assert "D16" not in text and "D17" not in text and "overskredet" in text


def test_the_work_plan_needs_the_committee(client, secretary, plan, treated):
    client.force_login(secretary)  # AU's secretary
    assert client.get(reverse("committees:work_plan", args=[plan.slug, "BUU"])).status_code == 403


def test_the_ical_feed_holds_treatments_and_status_deadlines(
    client, director, plan, treated, settings
):
    settings.STATUS_DEADLINE_DAY = 20
    client.force_login(director)
    body = client.get(reverse("committees:ical", args=[plan.slug])).content
    events = icalendar.Calendar.from_ical(body).walk("VEVENT")
    by_summary = {str(event["SUMMARY"]): event for event in events}
    march = by_summary["AU: politisk behandling af D11 Punkt 1"]
    assert march.decoded("DTSTART") == date(NEXT, 3, 1)
    assert march.decoded("DTEND") == date(NEXT, 4, 1)
    assert "ØK, AU: politisk behandling af D15 Punkt 5" in by_summary
    assert not any("D16" in summary for summary in by_summary)  # completed
    deadlines = [e for e in events if str(e["UID"]).startswith("status-deadline-")]
    assert len(deadlines) == 48  # every month of 2025-2028
    assert {e.decoded("DTSTART").day for e in deadlines} == {20}
    assert "Frist for månedlig status (februar 2025)" in by_summary


def test_the_annual_wheel_shows_treatments_and_deadlines(client, director, plan, treated, settings):
    settings.STATUS_DEADLINE_DAY = 31
    client.force_login(director)
    html = client.get(
        reverse("committees:annual_wheel", args=[plan.slug]), {"year": NEXT}
    ).content.decode()
    assert f"AU · marts {NEXT}" in html and "D11" in html
    assert f"ØK, AU · juni {NEXT}" in html
    assert f"Frist for månedlig status: 28-02-{NEXT}" in html or (
        f"Frist for månedlig status: 29-02-{NEXT}" in html
    )


def test_the_demo_has_a_work_plan_to_show(db):
    from django.core.management import call_command

    from committees.workplan import build_work_plan
    from plans.models import BudgetPlan

    call_command("load_demo", verbosity=0)
    plan = BudgetPlan.objects.get(slug="2025-2028")
    work = build_work_plan(plan, Committee.objects.get(code="AU"), timezone.localdate())
    numbers = {row.number for group in work.groups for row in group.rows}
    assert {"D11", "D19", "H10"} <= numbers
    assert [row.number for row in work.overdue] == ["R307"]
    assert work.problems == []


def test_a_secretary_reaches_the_treatment_form_from_the_work_plan_and_back(
    client, secretary, plan, treated
):
    """A secretary may not open item pages, where the others find "Ret": the work plan
    links the treatments they may edit to the form, titles are plain text, and the form
    leads back to the work plan."""
    items, _meeting = treated
    client.force_login(secretary)
    html = client.get(reverse("committees:work_plan", args=[plan.slug, "AU"])).content.decode()
    assert f'href="{reverse("plans:item_detail", args=[plan.slug, items["D11"].pk])}"' not in html
    for own in ("D11", "D12", "D13"):
        assert edit_url(plan, items[own]) in html
    # D15 is BUU's, treated in AU: the AU secretary may not change it.
    assert mentions(html, "D15") and edit_url(plan, items["D15"]) not in html

    form = client.get(edit_url(plan, items["D11"]))
    assert form.status_code == 200
    page = form.content.decode()
    assert reverse("committees:work_plan", args=[plan.slug, "AU"]) in page
    assert f'href="{reverse("plans:item_detail", args=[plan.slug, items["D11"].pk])}"' not in page
    assert (
        client.get(reverse("plans:item_detail", args=[plan.slug, items["D11"].pk])).status_code
        == 403
    )


def test_the_work_plan_links_items_for_those_who_may_open_them(client, director, plan, treated):
    items, _meeting = treated
    client.force_login(director)
    html = client.get(reverse("committees:work_plan", args=[plan.slug, "AU"])).content.decode()
    assert f'href="{reverse("plans:item_detail", args=[plan.slug, items["D11"].pk])}"' in html
    assert edit_url(plan, items["D11"]) not in html  # a director edits no treatment
