"""The extract pages: list, preview and PDF download, with permissions and htmx."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from plans.models import BudgetPlan, Kind
from tests.markup import mentions


@pytest.fixture
def extract_plan(plan: BudgetPlan, make_item: Any) -> BudgetPlan:
    make_item("D11", "AU", Kind.DRIFT, title="Styrket indsats for unge", amounts={2025: -1200})
    make_item("D08", "ØK", Kind.DRIFT, title="Sygefravær", also=("AU",))
    cross = make_item("D01", "BUU", Kind.DRIFT, title="Effektiviseringsbidrag", cross_cutting=True)
    make_item("B01", "BUU", Kind.DRIFT, title="Dagtilbudsstruktur")
    make_item("D99", "AU", Kind.DRIFT, title="Personalesag", public=False)
    cross.record_status(colour="yellow", comment="Snitflader uafklarede", period=date(2025, 10, 1))
    return plan


def detail_url(plan: BudgetPlan, code: str) -> str:
    return reverse("plans:extract_detail", args=[plan.slug, code])


def pdf_url(plan: BudgetPlan, code: str) -> str:
    return reverse("plans:extract_pdf", args=[plan.slug, code])


def test_urls_take_non_ascii_committee_codes(plan):
    assert detail_url(plan, "ØK") == "/plans/2025-2028/extracts/%C3%98K/"


def test_list_shows_every_committee_to_the_economy_chief(
    client, economy_chief, extract_plan, django_assert_max_num_queries
):
    client.force_login(economy_chief)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:extract_list", args=[extract_plan.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Arbejdsmarkedsudvalget (AU)" in body
    assert "Børne- og Ungdomsudvalget (BUU)" in body
    assert "Økonomiudvalget (ØK)" in body


def test_list_query_count_does_not_grow_with_items(
    client, economy_chief, extract_plan, make_item, django_assert_max_num_queries
):
    for index in range(30):
        make_item(f"X{index:02d}", "MTU", Kind.DRIFT, also=("AU",))
    client.force_login(economy_chief)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plans:extract_list", args=[extract_plan.slug]))
    assert response.status_code == 200


def test_secretary_lists_only_her_own_committee(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(reverse("plans:extract_list", args=[extract_plan.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Arbejdsmarkedsudvalget (AU)" in body
    assert "Børne- og Ungdomsudvalget" not in body


def test_list_refuses_a_reader_and_a_post(client, reader, economy_chief, extract_plan):
    client.force_login(reader)
    assert client.get(reverse("plans:extract_list", args=[extract_plan.slug])).status_code == 403
    client.force_login(economy_chief)
    response = client.post(reverse("plans:extract_list", args=[extract_plan.slug]))
    assert response.status_code == 405


def test_detail_shows_the_extract_as_of_the_month(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(
        detail_url(extract_plan, "AU"),
        {"as_of": "2025-11", "meeting_date": "2026-01-22", "version": "aaben"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert "Udmøntningsplan 2025-2028 – udsnit for Arbejdsmarkedsudvalget" in body
    for number in ("D11", "D08", "D01"):
        assert f"<td>{number}" in body
    assert not mentions(body, "B01") and "Personalesag" not in body
    assert "Snitflader uafklarede" in body and "Gul" in body
    assert "-1.200" in body
    assert "22. januar 2026" in body
    assert "Åben sag" in body
    assert "Hent PDF" in body
    assert f"{pdf_url(extract_plan, 'AU')}?as_of=2025-11" in body
    assert "Hent Excel" in body  # the xlsx export exists in this code base
    assert "committee=AU&amp;as_of=2025-11" in body


def test_detail_internal_version_keeps_non_public_items(client, economy_chief, extract_plan):
    client.force_login(economy_chief)
    response = client.get(detail_url(extract_plan, "AU"), {"version": "intern"})
    body = response.content.decode()
    assert "Personalesag" in body and "Intern" in body


def test_detail_before_any_status_shows_no_status(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(detail_url(extract_plan, "AU"), {"as_of": "2025-09"})
    body = response.content.decode()
    assert "Snitflader uafklarede" not in body
    assert "Ingen status" in body


def test_detail_with_a_bad_month_answers_with_a_danish_error(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(detail_url(extract_plan, "AU"), {"as_of": "2025-13"})
    assert response.status_code == 200
    assert "ikke en gyldig måned" in response.content.decode()


def test_detail_htmx_returns_the_preview_fragment(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(
        detail_url(extract_plan, "AU"), {"as_of": "2025-11"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="extract-preview"' in body
    assert "D11" in body


def test_secretary_of_au_is_refused_buus_extract(client, secretary, extract_plan):
    client.force_login(secretary)
    assert client.get(detail_url(extract_plan, "AU")).status_code == 200
    assert client.get(detail_url(extract_plan, "BUU")).status_code == 403
    assert client.get(pdf_url(extract_plan, "BUU")).status_code == 403


def test_unknown_committee_is_404(client, economy_chief, extract_plan):
    client.force_login(economy_chief)
    assert client.get(detail_url(extract_plan, "XYZ")).status_code == 404


def test_detail_and_pdf_refuse_post(client, secretary, extract_plan):
    client.force_login(secretary)
    assert client.post(detail_url(extract_plan, "AU")).status_code == 405
    assert client.post(pdf_url(extract_plan, "AU")).status_code == 405


def test_anonymous_is_sent_to_login(client, extract_plan):
    response = client.get(detail_url(extract_plan, "AU"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_pdf_download(client, secretary, extract_plan):
    client.force_login(secretary)
    response = client.get(pdf_url(extract_plan, "AU"), {"as_of": "2025-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "udmoentningsplan-2025-2028-AU-2025-11-aaben.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_pdf_download_for_a_non_ascii_code(client, economy_chief, extract_plan):
    client.force_login(economy_chief)
    response = client.get(pdf_url(extract_plan, "ØK"))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_pdf_with_the_agenda_text_first(client, secretary, extract_plan, tmp_path):
    import subprocess

    client.force_login(secretary)
    response = client.get(pdf_url(extract_plan, "AU"), {"as_of": "2025-11", "agenda": "1"})
    assert response.status_code == 200
    path = tmp_path / "a.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The agenda text fills the first page(s); the extract starts on a page of its own.
    agenda, extract = text.split("udsnit for Arbejdsmarkedsudvalget", 1)
    assert "Sagsfremstilling" in agenda and "Indstilling" in agenda
    assert "1 - Åben AU Udmøntningsplan 2025-2028" in agenda
    assert agenda.rstrip().endswith("Udmøntningsplan 2025-2028 –")
    assert agenda.rsplit("\f", 1)[1].strip() == "Norddjurs Kommune\n\nUdmøntningsplan 2025-2028 –"
    assert "D11" not in agenda and "D11" in extract


def test_pdf_agenda_follows_the_chosen_recommendation(client, secretary, extract_plan):
    import subprocess

    client.force_login(secretary)
    response = client.get(
        pdf_url(extract_plan, "AU"),
        {"agenda": "1", "recommendation": "note", "recommender": "Direktøren for Job"},
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Direktøren for Job indstiller" in flat
    assert "Arbejdsmarkedsudvalgets område tages til efterretning." in flat


def test_list_links_the_agenda_template_for_administrators_only(
    client, admin_user, secretary, extract_plan
):
    url = reverse("plans:extract_list", args=[extract_plan.slug])
    client.force_login(admin_user)
    assert reverse("committees:agenda_template") in client.get(url).content.decode()
    client.force_login(secretary)
    assert reverse("committees:agenda_template") not in client.get(url).content.decode()
