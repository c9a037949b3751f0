"""The status badge has one markup: the template tag and the overview's rows built in
Python both come from plans/badges.py."""

from __future__ import annotations

from django.template import Context, Template

from plans.badges import badge_html
from plans.overview.rows import RowRenderer


def render(source: str, **context: object) -> str:
    return Template("{% load plan_tags %}" + source).render(Context(context))


def test_tag_gives_word_icon_and_colour_text() -> None:
    html = render("{% status_badge 'red' %}")
    assert html == str(badge_html("red"))
    assert 'class="badge badge-red"' in html and "Rød" in html
    assert 'title="Der er behov for, at direktionen zoomer ind"' in html
    assert '<span class="badge-icon" aria-hidden="true"></span>' in html


def test_no_status_completed_and_obs() -> None:
    assert render("{% status_badge '' %}") == '<span class="badge badge-none">Ingen status</span>'
    completed = render("{% status_badge 'green' completed=True %}")
    assert completed == '<span class="badge badge-completed">X Afsluttet</span>'
    obs = render("{% status_badge 'yellow' True obs_text=text %}", text='<b>"OBS"</b>')
    assert obs.endswith(
        ' <span class="obs-mark" title="OBS-punkt: &lt;b&gt;&quot;OBS&quot;&lt;/b&gt;">OBS</span>'
    )


def test_overview_rows_use_the_same_markup() -> None:
    renderer = RowRenderer([], [], "")
    assert renderer.badges["red"] == render("{% status_badge 'red' %}")
    assert renderer.badges[""] == render("{% status_badge '' %}")
    assert renderer.completed_badge == render("{% status_badge '' completed=True %}")
    assert renderer.obs_mark == " " + render("{% obs_mark %}")


def test_labelled_badge_keeps_the_look_with_its_own_word() -> None:
    html = render('{% labelled_badge "red" _("Fejl") %}')
    icon = '<span class="badge-icon" aria-hidden="true"></span>'
    assert html == f'<span class="badge badge-red">{icon}Fejl</span>'
