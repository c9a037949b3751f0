"""Which items are in the monthly round: the plan's setting, its state, completed items;
and how items outside the round show where the round is reported."""

import re
import subprocess
from datetime import date

import pytest
from django.urls import reverse

from plans.board_report import build_board_report, render_board_report_pdf
from plans.models import BudgetPlan, Colour, Item, PlanState, RoundScope
from plans.months import add_months, current_month
from plans.status_round import Scope, missing_items, progress
from tests.markup import mentions

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def mixed(make_item, head):
    """Mette answers for a cross-cutting item, a local one and a completed one."""
    return {
        "cross": make_item("T1", committee="BUU", responsible=head, cross_cutting=True),
        "local": make_item("L1", committee="BUU", responsible=head, title="Lokalt punkt"),
        "done": make_item(
            "X1", committee="BUU", responsible=head, cross_cutting=True, completed=True
        ),
    }


def numbers(queryset):
    return sorted(queryset.values_list("number", flat=True))


def test_the_round_is_the_cross_cutting_open_items_by_default(plan, mixed):
    assert plan.round_scope == RoundScope.CROSS_CUTTING
    assert numbers(Item.objects.in_round()) == ["T1"]


def test_a_plan_may_put_all_its_open_items_in_the_round(plan, mixed):
    plan.round_scope = RoundScope.ALL
    plan.save()
    assert numbers(Item.objects.in_round()) == ["L1", "T1"]


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.ARCHIVED])
def test_draft_and_archived_plans_have_no_round(plan, mixed, state):
    plan.state = state
    plan.save()
    assert numbers(Item.objects.in_round()) == []
    month = current_month()
    assert progress(Item.objects.filter(plan=plan), month).total == 0
    assert list(missing_items(Item.objects.filter(plan=plan), month)) == []


def test_the_round_scope_is_edited_in_the_admin(client, admin_user, plan):
    client.force_login(admin_user)
    url = reverse("admin:plans_budgetplan_change", args=[plan.pk])
    assert 'name="round_scope"' in client.get(url).content.decode()


# --- Mine punkter ---------------------------------------------------------------------


def my_items(client, plan, **params):
    return client.get(reverse("plans:my_items", args=[plan.slug]), params).content.decode()


def test_mine_punkter_lists_other_items_apart_and_does_not_count_them(client, plan, head, mixed):
    client.force_login(head)
    html = my_items(client, plan)
    assert "0 af 1 afrapporteret" in html
    round_part, other_part = html.split("Øvrige punkter – status efter behov")
    assert f'id="status-row-{mixed["cross"].pk}"' in round_part
    assert f'id="status-row-{mixed["local"].pk}"' in other_part
    assert re.search(r"round-state-(pending|missing)", round_part)
    assert not re.search(r"round-state-(pending|missing)", other_part)
    assert "round-state-optional" in other_part and "Efter behov" in other_part
    assert not mentions(html, "X1")  # completed: not in the round, nothing to report


def test_an_item_outside_the_round_may_still_be_reported(client, plan, head, mixed):
    client.force_login(head)
    item = mixed["local"]
    response = client.post(
        reverse("plans:report_status", args=[plan.slug, item.pk]),
        {"colour": Colour.GREEN, "comment": "Nyt", "seen_report": ""},
    )
    assert response.status_code == 302
    assert item.reports.get().comment == "Nyt"
    assert "0 af 1 afrapporteret" in my_items(client, plan)


def test_a_draft_plan_shows_nothing_missing(client, plan, head, mixed):
    plan.state = PlanState.DRAFT
    plan.save()
    client.force_login(head)
    html = my_items(client, plan)
    assert not re.search(r"round-state-(pending|missing)", html)
    assert "0 af 0 afrapporteret" in html
    assert "har ingen månedlig runde" in html


def test_only_missing_filter(client, plan, head, make_item, mixed):
    reported = make_item("T2", committee="BUU", responsible=head, cross_cutting=True)
    reported.record_status(colour=Colour.GREEN, author=head)
    client.force_login(head)
    html = my_items(client, plan, missing="1")
    assert f'id="status-row-{mixed["cross"].pk}"' in html
    assert f'id="status-row-{reported.pk}"' not in html
    assert f'id="status-row-{mixed["local"].pk}"' not in html  # outside the round
    assert 'id="status-only-missing" name="missing" value="1" checked' in html
    assert f'id="status-row-{reported.pk}"' in my_items(client, plan)


def test_scope_open_items_leave_out_completed(plan, head, mixed):
    assert numbers(Scope().open_items(plan, head)) == ["L1", "T1"]
    assert numbers(Scope().items(plan, head)) == ["T1"]


# --- red list, overview, board report, extract -------------------------------------


def test_red_list_leaves_out_completed_and_non_round_items(
    client, plan, economy_chief, make_item, director
):
    month = current_month()
    done = make_item("X9", cross_cutting=True, completed=True, title="Afsluttet rød")
    done.record_status(colour=Colour.RED, comment="gammel", red_reason="other", period=month)
    make_item("L9", title="Lokalt uden status")
    make_item("T9", cross_cutting=True, title="Tværgående uden status")
    client.force_login(economy_chief)
    html = client.get(reverse("plans:red_list", args=[plan.slug])).content.decode()
    assert "Afsluttet rød" not in html
    missing = html.split("Punkter i runden uden status")[1]
    assert "Tværgående uden status" in missing
    assert "Lokalt uden status" not in missing
    plan.state = PlanState.DRAFT
    plan.save()
    html = client.get(reverse("plans:red_list", args=[plan.slug])).content.decode()
    assert "Tværgående uden status" not in html
    assert "har ingen månedlig statusrunde" in html


def test_overview_shows_completed_items_as_x_not_a_stale_colour(
    client, plan, economy_chief, make_item
):
    done = make_item("X9", completed=True, title="Afsluttet punkt")
    done.record_status(colour=Colour.YELLOW, period=add_months(current_month(), -3))
    client.force_login(economy_chief)
    html = client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    row = re.search(r"<tr><td>X9</td>.*?</tr>", html, re.S).group(0)
    assert "X Afsluttet" in row
    assert "badge-yellow" not in row


def test_extract_shows_completed_items_as_x(client, plan, economy_chief, make_item):
    done = make_item("X9", committee="BUU", completed=True, title="Afsluttet punkt")
    done.record_status(colour=Colour.RED, period=add_months(current_month(), -3))
    client.force_login(economy_chief)
    html = client.get(reverse("plans:extract_detail", args=[plan.slug, "BUU"])).content.decode()
    row = re.search(r"<tr><td>X9</td>.*?</tr>", html, re.S).group(0)
    assert "X Afsluttet" in row
    assert "badge-red" not in row


def test_board_report_shows_completed_items_as_x(plan, make_item, tmp_path):
    march = date(2025, 3, 1)
    done = make_item("X9", cross_cutting=True, completed=True, title="Afsluttet indsats")
    done.record_status(colour=Colour.YELLOW, period=date(2025, 1, 1))
    path = tmp_path / "report.pdf"
    path.write_bytes(render_board_report_pdf(build_board_report(plan, march)))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Afsluttet indsats" in text
    assert "X Afsluttet" in text
    assert "Ingen ny status" not in text


# --- home ------------------------------------------------------------------------------


def test_home_lists_the_approved_plan_first(client, plan, economy_chief):
    BudgetPlan.objects.create(
        slug="2026-2029", title="Udmøntningsplan 2026-2029", first_year=2026, last_year=2029
    )
    client.force_login(economy_chief)
    html = client.get(reverse("plans:home")).content.decode()
    assert html.index("Udmøntningsplan 2025-2028") < html.index("Udmøntningsplan 2026-2029")
