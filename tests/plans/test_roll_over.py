"""Rolling a plan over to the next period: what is copied, what is not, the links, the
preview, the management command and the administrator's page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from committees.models import CommitteeNote
from plans.models import BudgetPlan, Colour, Heading, Item, ItemAmount, Kind, PlanState, Theme
from plans.roll_over import RollOverError, preview_roll_over, roll_over_plan

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def old_plan(plan, make_item, committees, head):
    climate = Theme.objects.create(plan=plan, name="Klima", description="DK2020", order=3)
    Theme.objects.create(plan=plan, name="Økonomi", order=1)
    r307 = make_item(
        "R307",
        committee="AU",
        kind=Kind.RAADERUM,
        also=("BUU",),
        amounts={2025: 0, 2026: -1500, 2027: -3000, 2028: -3000},
        title="Investering i fraværsindsatsen",
        markers="(B)",
        timing="Løbende",
        cross_cutting=True,
        responsible=head,
        description="Beregning efter SØM",
    )
    h11 = make_item("H11", committee="MTU", heading="Klima, miljø, natur og den grønne omstilling")
    h11.themes.add(climate)
    done = make_item(
        "D09", committee="BUU", completed=True, completed_on=date(2025, 3, 1), amounts={2025: 400}
    )
    d01 = make_item("D01", amounts={2025: -6000, 2026: -6000}, responsible_name="Kim Bruun Nielsen")
    r307.record_status(colour=Colour.RED, comment="Gået i stå", period=date(2025, 10, 1))
    CommitteeNote.objects.create(
        item=r307, committee=committees["AU"], date=date(2025, 1, 23), text="Ad. 307."
    )
    return {"r307": r307, "h11": h11, "done": done, "d01": d01}


def test_preview_lists_what_is_copied_and_what_is_not(plan, old_plan):
    preview = preview_roll_over(plan, "2026-2029", "Udmøntningsplan 2026-2029")
    assert preview.ok, preview.errors
    assert sorted(item.number for item in preview.copied) == ["D01", "H11", "R307"]
    assert [item.number for item in preview.completed] == ["D09"]
    # 2025 is outside 2026-2029: R307's 0 is nothing to lose, D01's -6000 is.
    assert [(d.item.number, d.year, d.amount) for d in preview.dropped_amounts] == [
        ("D01", 2025, Decimal("-6000"))
    ]
    assert preview.dropped_years == [2025]
    assert preview.new_years == [2029]
    text = "\n".join(preview.lines())
    assert "Punkter der videreføres: 3" in text
    assert "Afsluttede punkter der ikke videreføres: 1" in text
    assert "D09" in text


def test_preview_writes_nothing(plan, old_plan):
    preview_roll_over(plan, "2026-2029", "")
    assert not BudgetPlan.objects.filter(slug="2026-2029").exists()


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("2026", "ikke en budgetperiode"),
        ("2029-2026", "ikke en gyldig budgetperiode"),
        ("2025-2028", "findes allerede"),
        ("2024-2027", "skal begynde efter 2025"),
    ],
)
def test_preview_explains_a_bad_target(plan, old_plan, slug, message):
    preview = preview_roll_over(plan, slug, "")
    assert not preview.ok
    assert message in " ".join(preview.errors)
    with pytest.raises(RollOverError):
        roll_over_plan(plan, slug, "")


def test_roll_over_copies_open_items_with_everything_they_carry(plan, old_plan, admin_user):
    new = roll_over_plan(plan, "2026-2029", "", user=admin_user)
    assert new.title == "Udmøntningsplan 2026-2029"
    assert (new.first_year, new.last_year, new.state, new.origin) == (
        2026,
        2029,
        PlanState.DRAFT,
        plan,
    )
    copies = {item.number: item for item in new.items.all()}
    assert set(copies) == {"R307", "H11", "D01"}

    r307 = copies["R307"]
    assert r307.origin == old_plan["r307"]
    assert (r307.committee.code, r307.kind, r307.markers, r307.timing) == (
        "AU",
        Kind.RAADERUM,
        "(B)",
        "Løbende",
    )
    assert r307.cross_cutting and r307.responsible == old_plan["r307"].responsible
    assert r307.description == "Beregning efter SØM"
    assert [c.code for c in r307.also_committees.all()] == ["BUU"]
    assert r307.amounts_by_year() == {2026: -1500, 2027: -3000, 2028: -3000, 2029: 0}
    assert not ItemAmount.objects.filter(item__plan=new, year=2025).exists()
    # History and remarks stay with the old item.
    assert not r307.reports.exists() and not r307.notes.exists()

    h11 = copies["H11"]
    assert h11.heading.plan == new
    assert h11.heading.name == "Klima, miljø, natur og den grønne omstilling"
    assert [(t.name, t.plan_id) for t in h11.themes.all()] == [("Klima", new.pk)]
    assert copies["D01"].responsible_name == "Kim Bruun Nielsen"
    assert set(Theme.objects.filter(plan=new).values_list("name", "description", "order")) == {
        ("Klima", "DK2020", 3),
        ("Økonomi", "", 1),
    }


def test_links_both_ways(plan, old_plan):
    new = roll_over_plan(plan, "2026-2029", "")
    old_r307 = old_plan["r307"]
    copy = new.items.get(number="R307")
    assert list(old_r307.carried_to.all()) == [copy]
    assert copy.origin == old_r307
    assert list(plan.successors.all()) == [new]


def test_completed_items_are_not_copied(plan, old_plan):
    new = roll_over_plan(plan, "2026-2029", "")
    assert not new.items.filter(number="D09").exists()
    assert not old_plan["done"].carried_to.exists()


def test_old_plan_is_left_unchanged_unless_archiving_is_asked(plan, old_plan):
    before = list(Item.objects.filter(plan=plan).values().order_by("pk"))
    amounts_before = list(ItemAmount.objects.filter(item__plan=plan).values().order_by("pk"))
    roll_over_plan(plan, "2026-2029", "")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert list(Item.objects.filter(plan=plan).values().order_by("pk")) == before
    assert (
        list(ItemAmount.objects.filter(item__plan=plan).values().order_by("pk")) == amounts_before
    )
    assert Heading.objects.filter(plan=plan).count() == 1


def test_archive_old_when_asked(plan, old_plan):
    roll_over_plan(plan, "2026-2029", "Ny plan", archive_old=True)
    plan.refresh_from_db()
    assert plan.state == PlanState.ARCHIVED


def test_refuses_when_the_target_exists_and_writes_nothing(plan, old_plan):
    BudgetPlan.objects.create(slug="2026-2029", title="Findes", first_year=2026, last_year=2029)
    with pytest.raises(RollOverError, match="findes allerede"):
        roll_over_plan(plan, "2026-2029", "", archive_old=True)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert BudgetPlan.objects.get(slug="2026-2029").items.count() == 0


def test_command_dry_run_prints_the_preview_and_saves_nothing(plan, old_plan, capsys):
    call_command("carry_over_plan", "--plan", "2025-2028", "--to", "2026-2029", "--dry-run")
    out = capsys.readouterr().out
    assert "Punkter der videreføres: 3" in out and "Tørkørsel" in out
    assert not BudgetPlan.objects.filter(slug="2026-2029").exists()


def test_command_rolls_over_and_archives(plan, old_plan, capsys):
    call_command(
        "carry_over_plan",
        "--plan",
        "2025-2028",
        "--to",
        "2026-2029",
        "--title",
        "Plan 26",
        "--archive",
    )
    new = BudgetPlan.objects.get(slug="2026-2029")
    assert new.title == "Plan 26" and new.items.count() == 3
    plan.refresh_from_db()
    assert plan.is_archived
    assert "Oprettet 2026-2029 med 3 punkter" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [
        ["--plan", "1999-2002", "--to", "2026-2029"],
        ["--plan", "2025-2028", "--to", "2025-2028"],
        ["--plan", "2025-2028", "--to", "næste"],
    ],
)
def test_command_user_mistakes_are_command_errors(plan, old_plan, args):
    with pytest.raises(CommandError):
        call_command("carry_over_plan", *args)
    assert BudgetPlan.objects.count() == 1


def test_page_get_shows_the_form_with_a_suggestion(client, admin_user, plan):
    client.force_login(admin_user)
    response = client.get(reverse("plans:carry_over", args=[plan.slug]))
    assert response.status_code == 200
    assert 'value="2026-2029"' in response.content.decode()


def test_page_preview_then_confirm(client, admin_user, plan, old_plan):
    client.force_login(admin_user)
    url = reverse("plans:carry_over", args=[plan.slug])
    data = {"new_slug": "2026-2029", "title": "Udmøntningsplan 2026-2029", "archive_old": "on"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 punkter videreføres" in html
    assert "1 afsluttet punkt (X)" in html and "D09" in html
    assert "uden for den nye plan" in html
    assert 'name="confirm"' in html
    assert not BudgetPlan.objects.filter(slug="2026-2029").exists()

    response = client.post(url, {**data, "confirm": "1"})
    new = BudgetPlan.objects.get(slug="2026-2029")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan_detail", args=[new.slug])
    assert new.items.count() == 3
    plan.refresh_from_db()
    assert plan.is_archived


def test_page_bad_slug_is_a_message_and_no_confirm_button(client, admin_user, plan, old_plan):
    client.force_login(admin_user)
    response = client.post(
        reverse("plans:carry_over", args=[plan.slug]), {"new_slug": "2025-2028", "confirm": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "findes allerede" in html
    assert 'name="confirm"' not in html
    assert BudgetPlan.objects.count() == 1


def test_page_htmx_preview_is_a_fragment(client, admin_user, plan, old_plan):
    client.force_login(admin_user)
    response = client.post(
        reverse("plans:carry_over", args=[plan.slug]), {"new_slug": "2026-2029"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Forhåndsvisning" in html


def test_page_htmx_confirm_redirects_the_browser(client, admin_user, plan, old_plan):
    client.force_login(admin_user)
    response = client.post(
        reverse("plans:carry_over", args=[plan.slug]),
        {"new_slug": "2026-2029", "confirm": "1"},
        **HTMX,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("plans:plan_detail", args=["2026-2029"])


def test_page_is_for_administrators_only(client, economy_chief, plan, old_plan):
    client.force_login(economy_chief)
    url = reverse("plans:carry_over", args=[plan.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"new_slug": "2026-2029", "confirm": "1"}).status_code == 403
    assert not BudgetPlan.objects.filter(slug="2026-2029").exists()


def test_page_refuses_put(client, admin_user, plan):
    client.force_login(admin_user)
    assert client.put(reverse("plans:carry_over", args=[plan.slug])).status_code == 405


def test_navigation_links_the_page_for_administrators_only(client, admin_user, director, plan):
    url = reverse("plans:carry_over", args=[plan.slug])
    client.force_login(admin_user)
    assert url in client.get(reverse("plans:strategy", args=[plan.slug])).content.decode()
    client.force_login(director)
    assert url not in client.get(reverse("plans:strategy", args=[plan.slug])).content.decode()


def test_both_item_pages_link_to_each_other(client, director, plan, old_plan):
    new = roll_over_plan(plan, "2026-2029", "")
    old_item = old_plan["r307"]
    copy = new.items.get(number="R307")
    old_url = reverse("plans:item_detail", args=[plan.slug, old_item.pk])
    new_url = reverse("plans:item_detail", args=[new.slug, copy.pk])
    client.force_login(director)
    old_page = client.get(old_url).content.decode()
    new_page = client.get(new_url).content.decode()
    assert "Videreført til" in old_page and new_url in old_page
    assert "Videreført fra" in new_page and old_url in new_page
