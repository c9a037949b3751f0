"""The board report (the board's monthly report): content, preview, draft, publish, and the
command."""

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.board_report import build_board_report, render_board_report_pdf
from plans.models import (
    COLOUR_TEXTS,
    BudgetPlan,
    Kind,
    PublishConflict,
    PublishedReport,
    RedReason,
)
from plans.review import Change

FEB, MAR = date(2025, 2, 1), date(2025, 3, 1)
OBS_TEXT = "Direktionen beslutter ny finansiering"


def pdf_text(pdf: bytes, tmp_path: Path, layout: bool = True) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def board_items(make_item, director, head):
    r307 = make_item(
        "R307",
        committee="AU",
        kind=Kind.RAADERUM,
        cross_cutting=True,
        title="Investering i fraværsindsatsen",
        responsible=head,
    )
    r307.record_status(colour="yellow", period=FEB, author=director, comment="Lidt forsinket")
    r307.record_status(
        colour="red",
        period=MAR,
        author=director,
        comment="Sagen er gået i stå hos leverandøren",
        red_reason=RedReason.COORDINATION,
        obs=True,
        obs_text=OBS_TEXT,
    )
    d01 = make_item("D01", committee="ØK", cross_cutting=True, title="Effektiviseringsbidrag")
    d01.record_status(colour="green", period=FEB, author=director, comment="Følger planen")
    d01.record_status(colour="green", period=MAR, author=director, comment="Følger planen fint")
    d02 = make_item("D02", committee="ØK", cross_cutting=True, title="Ledelsesinformation")
    d02.record_status(colour="yellow", period=FEB, author=director, comment="Venter på data")
    secret = make_item("D03", cross_cutting=True, public=False, title="Fortroligt punkt")
    secret.record_status(colour="red", period=MAR, author=director)
    local = make_item("D04", committee="BUU", title="Lokalt punkt")
    local.record_status(colour="red", period=MAR, author=director)
    return {"R307": r307, "D01": d01, "D02": d02}


# --- the report's content ---------------------------------------------------------------


def test_build_board_report(plan, board_items):
    report = build_board_report(plan, MAR, meeting_date=date(2025, 3, 26))
    rows = {row.number: row for row in report.rows}
    assert list(rows) == ["D01", "D02", "R307"]  # plan order; not the private or local item
    assert rows["R307"].colour_label == "Rød" and rows["R307"].change == Change.NEW_RED
    assert rows["R307"].changed and rows["R307"].previous_colour_label == "Gul"
    assert rows["R307"].red_reason == "Behov for tværfaglig koordination eller opbakning"
    assert rows["R307"].obs and rows["R307"].obs_text == OBS_TEXT
    assert rows["R307"].responsible == "Mette Holm Sørensen"
    assert not rows["D01"].changed and rows["D01"].comment == "Følger planen fint"
    assert rows["D02"].colour_label == "Gul" and not rows["D02"].reported_this_month
    assert report.meeting_date_label == "26. marts 2025"
    assert report.case_number == "24/7615"
    assert report.changed_count == 1
    assert [entry.text for entry in report.legend] == [str(text) for text in COLOUR_TEXTS.values()]
    assert build_board_report(plan, MAR, case_number="25/1").case_number == "25/1"


def test_pdf_text(plan, board_items, tmp_path):
    report = build_board_report(plan, MAR, meeting_date=date(2025, 3, 26))
    pdf = render_board_report_pdf(report)
    text = pdf_text(pdf, tmp_path)
    words = flat(pdf_text(pdf, tmp_path, layout=False))
    for expected in (
        settings.MUNICIPALITY_NAME,
        "Udmøntningsplan 2025-2028",
        "Sag 24/7615",
        "Åben sag",
        "26. marts 2025",
        "Status for marts 2025",
        "R307",
        "D01",
        "D02",
        "■ Rød",
        "● Grøn",
        "◆ Gul",
        "▲ Ændret",
        "før: Gul",
        "Side 1 af 1",
    ):
        assert expected in text, expected
    for expected in (
        *[str(entry) for entry in COLOUR_TEXTS.values()],
        f"OBS: {OBS_TEXT}",
        "Sagen er gået i stå hos leverandøren",
        "Årsag til rød: Behov for tværfaglig koordination eller opbakning",
        "Ingen ny status; senest februar 2025",
        "Rød: 1 Gul: 1 Grøn: 1 Ingen status: 0 Ændret siden sidste måned: 1",
        "▲ Farven er ændret siden sidste måned.",
    ):
        assert expected in words, expected
    assert "Fortroligt punkt" not in words and "Lokalt punkt" not in words
    assert "KLADDE" not in words


def test_pdf_page_numbers_count_all_pages(plan, make_item, director, tmp_path):
    for number in range(45):
        item = make_item(f"T{number:02d}", cross_cutting=True, title=f"Tværgående indsats {number}")
        item.record_status(colour="yellow", period=MAR, author=director, comment="Status " * 30)
    pdf = render_board_report_pdf(build_board_report(plan, MAR))
    pages = pdf_pages(pdf, tmp_path)
    assert pages >= 2
    text = pdf_text(pdf, tmp_path)
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text


# --- preview and draft -----------------------------------------------------------------


def board_url(plan):
    return reverse("plans:board_report", args=[plan.slug])


def test_preview_shows_the_same_content(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    response = client.get(board_url(plan), {"month": "2025-03", "meeting_date": "2025-03-26"})
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        "Åben sag",
        "26. marts 2025",
        "24/7615",
        OBS_TEXT,
        "Ændret siden sidste måned",
        "KLADDE",
        *[str(entry) for entry in COLOUR_TEXTS.values()],
    ):
        assert expected in html, expected
    assert "Fortroligt punkt" not in html
    assert "style=" not in html
    assert 'class="card publish-form"' in html  # the economy chief sees the publish form
    assert reverse("plans:board_report_pdf", args=[plan.slug]) in html


def test_htmx_preview_is_a_fragment(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    response = client.get(board_url(plan), {"month": "2025-03"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="board-report-draft"' in html and "R307" in html


def test_bad_query_values_fall_back_without_error(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    response = client.get(board_url(plan), {"month": "2025-99", "meeting_date": "igår"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_draft_pdf_download(client, plan, director, board_items, tmp_path):
    client.force_login(director)
    response = client.get(
        reverse("plans:board_report_pdf", args=[plan.slug]),
        {"month": "2025-03", "meeting_date": "2025-03-26"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "statusrapport-2025-2028-2025-03-kladde.pdf" in response["Content-Disposition"]
    text = flat(pdf_text(response.content, tmp_path, layout=False))
    assert "KLADDE" in text and "R307" in text and "26. marts 2025" in text


# --- publish and immutability ---------------------------------------------------------


def publish(client, plan, **data):
    return client.post(
        board_url(plan),
        {"month": "2025-03", "meeting_date": "2025-03-26", "case_number": "24/7615", **data},
    )


def test_economy_chief_publishes_and_the_pdf_stays_unchanged(
    client, plan, economy_chief, director, board_items, tmp_path
):
    client.force_login(economy_chief)
    response = publish(client, plan)
    assert response.status_code == 303
    published = PublishedReport.objects.get()
    assert response["Location"].endswith(f"#published-{published.pk}")
    assert published.period == MAR and published.meeting_date == date(2025, 3, 26)
    assert published.published_by == economy_chief
    stored = bytes(published.pdf)
    assert stored.startswith(b"%PDF")
    assert published.sha256 == hashlib.sha256(stored).hexdigest()
    text = flat(pdf_text(stored, tmp_path, layout=False))
    assert OBS_TEXT in text and "KLADDE" not in text

    # Statuses change after the meeting; the published report does not.
    board_items["R307"].record_status(
        colour="green", period=MAR, author=director, comment="Løst efter mødet"
    )
    url = reverse("plans:published_report_pdf", args=[plan.slug, published.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == stored
    assert download["ETag"] == f'"{published.sha256}"'
    assert "Løst efter mødet" not in flat(pdf_text(download.content, tmp_path, layout=False))
    assert "Løst efter mødet" in client.get(board_url(plan), {"month": "2025-03"}).content.decode()

    page = client.get(board_url(plan), {"month": "2025-03"}).content.decode()
    assert url in page and published.sha256[:12] in page


def test_published_report_cannot_be_changed_or_deleted(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    publish(client, plan)
    published = PublishedReport.objects.get()
    url = reverse("plans:published_report_pdf", args=[plan.slug, published.pk])
    for method in (client.post, client.put, client.delete, client.patch):
        assert method(url).status_code == 405
    published.pdf = b"%PDF-forged"
    with pytest.raises(PermissionError):
        published.save()
    with pytest.raises(PermissionError):
        published.delete()
    with pytest.raises(PermissionError):
        PublishedReport.objects.filter(pk=published.pk).update(sha256="0" * 64)
    with pytest.raises(PermissionError):
        PublishedReport.objects.filter(pk=published.pk).delete()
    fresh = PublishedReport.objects.get()
    assert fresh.sha256 == hashlib.sha256(bytes(fresh.pdf)).hexdigest()
    assert bytes(fresh.pdf).startswith(b"%PDF-1")


def test_admin_may_publish(client, plan, admin_user, board_items):
    client.force_login(admin_user)
    assert publish(client, plan).status_code == 303
    assert PublishedReport.objects.get().published_by == admin_user


def test_publish_needs_a_meeting_date(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    response = publish(client, plan, meeting_date="")
    assert response.status_code == 200
    assert "Vælg datoen for direktionens møde" in response.content.decode()
    response = publish(client, plan, meeting_date="31-02-2025", month="2025-13")
    assert response.status_code == 200
    assert not PublishedReport.objects.exists()


def test_publish_htmx_variants(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    invalid = client.post(
        board_url(plan), {"month": "2025-03", "meeting_date": ""}, headers={"HX-Request": "true"}
    )
    assert invalid.status_code == 200
    assert "<html" not in invalid.content.decode()
    assert 'id="board-report-draft"' in invalid.content.decode()
    valid = client.post(
        board_url(plan),
        {"month": "2025-03", "meeting_date": "2025-03-26"},
        headers={"HX-Request": "true"},
    )
    assert valid.status_code == 204
    assert valid["HX-Trigger"] == "reportPublished"
    assert PublishedReport.objects.count() == 1


def test_director_may_view_but_not_publish(client, plan, director, board_items):
    client.force_login(director)
    page = client.get(board_url(plan), {"month": "2025-03"})
    assert page.status_code == 200
    assert "publish-form" not in page.content.decode()
    assert publish(client, plan).status_code == 403
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "reader", "head"])
def test_others_may_not_see_the_report(client, plan, persona, request, board_items):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(board_url(plan)).status_code == 403
    assert client.get(reverse("plans:board_report_pdf", args=[plan.slug])).status_code == 403
    assert publish(client, plan).status_code == 403


def test_others_may_not_download_published_reports(
    client, plan, economy_chief, secretary, board_items
):
    client.force_login(economy_chief)
    publish(client, plan)
    published = PublishedReport.objects.get()
    client.force_login(secretary)
    url = reverse("plans:published_report_pdf", args=[plan.slug, published.pk])
    assert client.get(url).status_code == 403


def test_published_report_of_another_plan_is_404(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    publish(client, plan)
    other = BudgetPlan.objects.create(
        slug="2026-2029", title="Plan 2026", first_year=2026, last_year=2029
    )
    pk = PublishedReport.objects.get().pk
    assert (
        client.get(reverse("plans:published_report_pdf", args=[other.slug, pk])).status_code == 404
    )


def test_wrong_methods(client, plan, economy_chief):
    client.force_login(economy_chief)
    assert client.put(board_url(plan)).status_code == 405
    assert client.delete(board_url(plan)).status_code == 405
    assert client.post(reverse("plans:board_report_pdf", args=[plan.slug])).status_code == 405


# --- the command ---------------------------------------------------------------------


def test_command_writes_the_report(plan, board_items, tmp_path, capsys):
    output = tmp_path / "status.pdf"
    call_command("status_report", "--plan", "2025-2028", "--as-of", "2025-03", "-o", str(output))
    assert "skrevet til" in capsys.readouterr().out
    text = flat(pdf_text(output.read_bytes(), tmp_path, layout=False))
    assert "R307" in text and OBS_TEXT in text and "Status for marts 2025" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "1999-2000", "--as-of", "2025-03"], "findes ikke"),
        (["--plan", "2025-2028", "--as-of", "2025-13"], "ikke en gyldig måned"),
        (["--plan", "2025-2028", "--as-of", "marts"], "ÅÅÅÅ-MM"),
    ],
)
def test_command_user_mistakes(plan, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("status_report", *args, "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_command_refuses_unwritable_paths(plan, tmp_path):
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("status_report", "--plan", plan.slug, "-o", str(tmp_path / "nope" / "x.pdf"))
    with pytest.raises(CommandError, match="er en mappe"):
        call_command("status_report", "--plan", plan.slug, "-o", str(tmp_path))


def test_command_exit_status_and_no_traceback(tmp_path):
    """Run as administrators do: a user mistake exits non-zero with a Danish message."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "udmoentning.settings"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "status_report",
            "--plan",
            "2025-2028",
            "--as-of",
            "2025-13",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "«2025-13» er ikke en gyldig måned." in result.stderr
    assert "Traceback" not in result.stderr


def test_preview_query_count_does_not_grow_with_items(
    client, plan, economy_chief, make_item, director, django_assert_max_num_queries
):
    for number in range(30):
        item = make_item(f"Q{number:02d}", cross_cutting=True, responsible=director)
        item.record_status(colour="yellow", period=FEB, author=director)
        item.record_status(colour="red", period=MAR, author=director, obs=True, obs_text="OBS")
    client.force_login(economy_chief)
    with django_assert_max_num_queries(12):
        response = client.get(board_url(plan), {"month": "2025-03"})
    assert len(response.context["report"].rows) == 30


def test_published_strategic_report_is_not_served_as_a_status_report(client, plan, economy_chief):
    from plans.models import PublishedReportKind

    strategic = PublishedReport.objects.create(
        plan=plan,
        kind=PublishedReportKind.STRATEGIC,
        period=MAR,
        meeting_date=date(2025, 3, 26),
        pdf=b"%PDF-1.7 strategic",
        published_by=economy_chief,
    )
    client.force_login(economy_chief)
    url = reverse("plans:published_report_pdf", args=[plan.slug, strategic.pk])
    assert client.get(url).status_code == 404


def test_pdf_opens_with_the_obs_summary(plan, board_items, director, make_item, tmp_path):
    old = make_item("D05", committee="ØK", cross_cutting=True, title="Gammelt OBS")
    old.record_status(colour="red", period=FEB, author=director)
    old_point = old.open_obs(text="Rejst i februar", author=director, month=FEB)
    old_point.follow_up(text="Plan for marts", follow_up_by="Økonomi", author=director, month=FEB)
    d02 = board_items["D02"].open_obs(text="Lukkes i marts", author=director, month=FEB)
    d02.close(reason="Data leveret", author=director, month=MAR)
    report = build_board_report(plan, MAR, meeting_date=date(2025, 3, 26))
    text = flat(pdf_text(render_board_report_pdf(report), tmp_path, layout=False))
    summary = text.split("OBS-punkter", 1)[1].split("Farvekoder", 1)[0]
    assert "Nye i måneden (1)" in summary and OBS_TEXT in summary
    assert "Stadig åbne (1)" in summary
    assert "Rejst i februar åben i 2 måneder, siden februar 2025" in summary
    assert "Besluttet / under opfølgning (1)" in summary and "Plan for marts" in summary
    assert "Lukket siden sidste rapport (1)" in summary
    assert "Lukkes i marts – lukket: Data leveret" in summary
    # The summary comes before the items.
    assert text.index("Nye i måneden") < text.index("Investering i fraværsindsatsen")


def test_publishing_twice_for_a_meeting_asks_first_and_names_the_edition_it_replaces(
    client, plan, economy_chief, board_items, tmp_path
):
    client.force_login(economy_chief)
    assert publish(client, plan, token="a" * 32).status_code == 303
    first = PublishedReport.objects.get()
    first_bytes = bytes(first.pdf)
    # A second publish for the same meeting date: asked first, nothing published.
    response = publish(client, plan, token="b" * 32)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er allerede udgivet en statusrapport til mødet 26. marts 2025" in body
    assert f'name="replaces" value="{first.pk}"' in body
    assert "Udgiv ny udgave, der erstatter udgaven af" in body
    assert PublishedReport.objects.count() == 1
    # Confirmed: a new edition that says which one it replaces; the first is unchanged.
    response = publish(client, plan, token="b" * 32, replaces=first.pk)
    assert response.status_code == 303
    second = PublishedReport.objects.exclude(pk=first.pk).get()
    assert second.replaces == first
    text = flat(pdf_text(bytes(second.pdf), tmp_path, layout=False))
    assert f"Erstatter udgaven af {first.edition_label}." in text
    assert "Erstatter" not in flat(pdf_text(first_bytes, tmp_path, layout=False))
    first.refresh_from_db()
    assert bytes(first.pdf) == first_bytes
    # Replacing the first again, after the second exists, asks again about the second.
    response = publish(client, plan, token="c" * 32, replaces=first.pk)
    assert response.status_code == 200
    assert f'name="replaces" value="{second.pk}"' in response.content.decode()
    assert PublishedReport.objects.count() == 2
    # Another meeting date is not a replacement.
    assert publish(client, plan, token="d" * 32, meeting_date="2025-04-02").status_code == 303
    assert PublishedReport.objects.get(meeting_date=date(2025, 4, 2)).replaces is None


def test_a_double_click_publishes_once(client, plan, economy_chief, board_items):
    client.force_login(economy_chief)
    page = client.get(board_url(plan), {"month": "2025-03"}).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    assert len(token) == 32
    first = publish(client, plan, token=token)
    second = publish(client, plan, token=token)
    assert PublishedReport.objects.count() == 1
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    htmx = client.post(
        board_url(plan),
        {"month": "2025-03", "meeting_date": "2025-03-26", "token": token},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 204 and PublishedReport.objects.count() == 1


def test_publish_once_in_the_model(plan, economy_chief):
    def publish_with(token, replaces=None):
        return PublishedReport.objects.publish(
            plan=plan,
            kind="board",
            period=MAR,
            meeting_date=date(2025, 3, 26),
            pdf=b"%PDF-1.7 test",
            published_by=economy_chief,
            token=token,
            replaces=replaces,
        )

    first = publish_with("t1")
    assert publish_with("t1") == first
    with pytest.raises(PublishConflict) as conflict:
        publish_with("t2")
    assert conflict.value.current == first
    second = publish_with("t2", replaces=first)
    assert second.replaces == first and PublishedReport.objects.count() == 2


def test_completed_items_are_counted_as_completed_not_under_their_last_colour(
    plan, make_item
) -> None:
    """A completed item has left the round: the report's counts say X Afsluttet for it,
    never the colour it last had."""
    done = make_item("D90", "AU", cross_cutting=True, completed=True)
    done.record_status(colour="red", comment="Før afslutningen", period=date(2025, 9, 1))
    open_item = make_item("D91", "AU", cross_cutting=True)
    open_item.record_status(colour="red", comment="Stadig rød", period=date(2025, 9, 1))
    report = build_board_report(plan, date(2025, 10, 1))
    counts = {key: number for key, _label, number in report.counts}
    assert counts["red"] == "1"
    assert counts["completed"] == "1"
