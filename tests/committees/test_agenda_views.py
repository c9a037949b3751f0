"""The agenda pages: the administrator's template and the secretary's draft per meeting."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from committees.models import AgendaTemplate, Meeting
from plans.agenda import DEFAULT_TEMPLATE
from plans.models import BudgetPlan, Kind

TEMPLATE_URL = "/agenda/template/"


@pytest.fixture
def agenda_plan(plan: BudgetPlan, make_item: Any) -> BudgetPlan:
    make_item("D11", "AU", Kind.DRIFT, title="Styrket indsats for unge", amounts={2025: -1200})
    make_item("D01", "BUU", Kind.DRIFT, title="Effektiviseringsbidrag", cross_cutting=True)
    return plan


def draft_url(plan: BudgetPlan, code: str = "AU") -> str:
    return reverse("committees:agenda_draft", args=[plan.slug, code])


def test_template_url():
    assert reverse("committees:agenda_template") == TEMPLATE_URL


def test_template_page_shows_the_default_and_the_placeholders(client, admin_user):
    client.force_login(admin_user)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "{antal_egne}" in body and "{godkendt_dato}" in body and "{udvalg}" in body
    assert "Kommunalbestyrelsens møde den {godkendt_dato}" in body


def test_template_saves_a_valid_text(client, admin_user):
    client.force_login(admin_user)
    response = client.post(TEMPLATE_URL, {"text": "Til {udvalg}.\n\nBilag\n\n{bilag}"})
    assert response.status_code == 302
    assert AgendaTemplate.objects.get().text == "Til {udvalg}.\n\nBilag\n\n{bilag}"
    client.post(TEMPLATE_URL, {"text": "Til {udvalg_kode}."})
    assert AgendaTemplate.objects.get().text == "Til {udvalg_kode}."


def test_template_refuses_an_unknown_placeholder_and_saves_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(TEMPLATE_URL, {"text": "Til {udvalget} den {moede_dato}."})
    assert response.status_code == 200
    body = response.content.decode()
    assert "«{udvalget}» er ikke en kendt pladsholder." in body
    assert 'aria-invalid="true"' in body
    assert AgendaTemplate.objects.count() == 0


def test_template_htmx_post_returns_the_form_fragment(client, admin_user):
    client.force_login(admin_user)
    headers = {"HX-Request": "true"}
    response = client.post(TEMPLATE_URL, {"text": "{udvalg:>9}"}, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "ikke tilladt" in body
    response = client.post(TEMPLATE_URL, {"text": "Til {udvalg}."}, headers=headers)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert response["HX-Trigger"] == "agendaTemplateSaved"
    assert AgendaTemplate.objects.get().text == "Til {udvalg}."


def test_template_is_for_administrators_only(client, secretary, economy_chief):
    for user in (secretary, economy_chief):
        client.force_login(user)
        assert client.get(TEMPLATE_URL).status_code == 403
        assert client.post(TEMPLATE_URL, {"text": "x"}).status_code == 403
    assert AgendaTemplate.objects.count() == 0


def test_template_refuses_other_methods(client, admin_user):
    client.force_login(admin_user)
    assert client.put(TEMPLATE_URL).status_code == 405


def test_draft_page_for_the_secretary(client, secretary, agenda_plan):
    client.force_login(secretary)
    response = client.get(draft_url(agenda_plan), {"meeting_date": "2026-01-22"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kopiér tekst" in body
    assert 'id="agenda-plain"' in body and "readonly" in body
    assert "Arbejdsmarkedsudvalgets område godkendes." in body
    assert "1 - Åben AU Udmøntningsplan 2025-2028" in body
    assert "januar 2026" in body


def test_draft_uses_the_saved_template(client, secretary, agenda_plan):
    AgendaTemplate.objects.create(text="Til {udvalg}: {antal_egne} egne.")
    client.force_login(secretary)
    body = client.get(draft_url(agenda_plan)).content.decode()
    assert "Til Arbejdsmarkedsudvalget: 1 egne." in body


def test_draft_htmx_returns_the_fragment(client, secretary, agenda_plan):
    client.force_login(secretary)
    response = client.get(draft_url(agenda_plan), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="agenda-draft"' in body


def test_draft_is_refused_for_another_committee(client, secretary, agenda_plan):
    client.force_login(secretary)
    assert client.get(draft_url(agenda_plan, "BUU")).status_code == 403
    response = client.post(
        draft_url(agenda_plan, "BUU"), {"text": "x", "meeting_date": "2026-01-22"}
    )
    assert response.status_code == 403
    assert Meeting.objects.count() == 0


def test_draft_refuses_other_methods(client, secretary, agenda_plan):
    client.force_login(secretary)
    assert client.delete(draft_url(agenda_plan)).status_code == 405


def test_saving_without_a_meeting_creates_a_minimal_one(client, secretary, agenda_plan, committees):
    client.force_login(secretary)
    response = client.post(
        draft_url(agenda_plan),
        {"text": "Min tekst\n\nIndstilling\n\nGodkendes.", "meeting_date": "2026-01-22"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.body, meeting.date, meeting.plan) == (
        committees["AU"],
        date(2026, 1, 22),
        agenda_plan,
    )
    assert meeting.agenda_text == "Min tekst\n\nIndstilling\n\nGodkendes."
    assert f"meeting={meeting.pk}" in response["Location"]
    # The saved text comes back, and goes first in the PDF.
    body = client.get(response["Location"]).content.decode()
    assert "Min tekst" in body and "teksten er gemt med mødet" in body
    pdf = client.get(
        reverse("plans:extract_pdf", args=[agenda_plan.slug, "AU"]),
        {"agenda": "1", "meeting": meeting.pk},
    ).content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout
    assert text.decode().startswith("Min tekst")


def test_saving_to_an_existing_meeting_updates_its_text(client, secretary, agenda_plan, committees):
    meeting = Meeting.objects.create(
        plan=agenda_plan, body=committees["AU"], date=date(2026, 1, 22), title="Udmøntningsplan"
    )
    client.force_login(secretary)
    response = client.post(
        draft_url(agenda_plan) + f"?meeting={meeting.pk}",
        {"text": "Ny tekst", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.agenda_text == "Ny tekst"
    assert Meeting.objects.count() == 1
    # Regenerating gives the template's draft again without touching the saved text.
    body = client.get(
        draft_url(agenda_plan), {"meeting": meeting.pk, "regenerate": "1"}
    ).content.decode()
    assert "Sagsfremstilling" in body


def test_saving_needs_a_meeting_or_a_date(client, secretary, agenda_plan):
    client.force_login(secretary)
    response = client.post(
        draft_url(agenda_plan), {"text": "Tekst"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Vælg et møde eller angiv en mødedato" in body
    assert "<html" not in body
    assert Meeting.objects.count() == 0


def test_saving_an_htmx_form_redirects_the_page(client, secretary, agenda_plan):
    client.force_login(secretary)
    response = client.post(
        draft_url(agenda_plan),
        {"text": "Tekst", "meeting_date": "2026-01-22"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert "meeting=" in response["HX-Redirect"]


def test_default_template_is_what_the_page_offers_before_any_is_saved(client, admin_user):
    client.force_login(admin_user)
    body = client.get(TEMPLATE_URL).content.decode()
    assert "Der er endnu ikke gemt en skabelon" in body
    assert DEFAULT_TEMPLATE.splitlines()[0] in body
