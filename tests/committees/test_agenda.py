"""The drafted agenda item: template validation, and drafts for two committees of the
demo plan checked section by section and figure by figure against the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from committees.models import AgendaTemplate, Committee, Recommendation
from plans.agenda import (
    DEFAULT_TEMPLATE,
    PLACEHOLDERS,
    SECTION_HEADINGS,
    AgendaTemplateError,
    draft_agenda,
    draft_text,
    template_errors,
    text_blocks,
)
from plans.extracts import build_extract
from plans.models import BudgetPlan, Colour, Item
from plans.months import current_month, month_label

# Sentences of Arbejdsmarkedsudvalget's item of 23-01-2025 (seed 000), as published.
SEED_000_SENTENCES = [
    "I forlængelse af vedtagelsen af Norddjurs Kommunes budget 2025-2028 er der udarbejdet en "
    "udmøntningsplan, som er godkendt på Kommunalbestyrelsens møde den 11. december 2024.",
    "Det anbefales fagudvalgene at benytte planen i forhold til de områder, som vedrører det "
    "enkelte udvalg og som også vil afspejles i arbejdsplanen for udvalget.",
    "Udmøntningsplanen fremlægges derfor på fagudvalgenes møder i januar 2025 til orientering "
    "på eget område.",
    "I den samlede udmøntningsplan indgår samtlige emner fra budgetaftalen som Kursen for 2025, "
    "mens planen også beskriver Koordinering og Commitment til forløbet og sagsbehandlingen i "
    "de enkelte sager.",
    "Budgetaftalen indeholder i år relativt mange opgaver, og der er bl.a. med baggrund i "
    "råderumskataloget tale om en række emner, som går på tværs.",
    "Af større strategiske tværgående emner kan bl.a. nævnes:",
    "Råderumsarbejdet har i løbet af 2024 spillet en stor rolle ind i arbejdet om budgettet og "
    "i 2025 er der fokus på at implementere de udvalgte råderumsforslag.",
    "Der tages stilling til en ny runde af råderumsforslag i forbindelse med budgetlægningen "
    "for budget 2027.",
    "De punkter, der allerede er implementeret, er markeret med X for afsluttet i "
    "udmøntningsplanen",
    "Udmøntningsplanen er et dynamisk dokument og bliver løbende udviklet og opdateret. De "
    "anførte tidspunkter i planen er vejledende, og kan blive justeret.",
    "Udmøntningen af budgettet tager strategisk udgangspunkt i den politisk Plan- og "
    "Udviklingsstrategi som er vedtaget i november 2023",
    "Yderligere har udmøntningsplanen sammenhæng i forhold til efterlevelse af direktionens "
    "strategiske indsatser og ledelsesgrundlag herunder hvor Kursen for 2025 er lagt i de "
    "enkelte emner",
    "Ingen økonomiske konsekvenser.",
    "Der er ikke lovkrav om at udarbejde en udmøntningsplan vedrørende budgettet, men "
    "udmøntningsplanen støtter op om det planlægningsmæssige omkring udmøntning og efterlevelse "
    "af budgettet som har udgangspunkt i Den kommunale styrelseslov og Budgetloven.",
    "Fællesforvaltningsdirektøren indstiller, at orienteringen om udmøntningsplanen for budget "
    "2025 for Arbejdsmarkedsudvalgets område godkendes.",
]

DEMO_HEADINGS = [
    "Økonomisk Politik",
    "Politiske visioner",
    "Sociale investeringer, Fremtidens velfærd, Skoler og dagtilbud",
    "Norddjurs i bevægelse",
    "Partnerskaber",
    "Vækst, erhverv og beskæftigelse",
    "Klima, miljø, natur og den grønne omstilling",
]


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the template ---------------------------------------------------------------------


def test_default_template_is_valid_and_uses_only_known_placeholders():
    assert template_errors(DEFAULT_TEMPLATE) == []


def test_unknown_placeholder_is_named_in_a_danish_error():
    errors = template_errors("Udvalget {udvalg} og {udvalgets_navn} mødes.")
    assert errors == ["«{udvalgets_navn}» er ikke en kendt pladsholder."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{udvalg:>30}", "«{udvalg:>30}» er ikke tilladt"),
        ("{udvalg!r}", "«{udvalg!r}» er ikke tilladt"),
        ("{udvalg.__class__}", "«{udvalg.__class__}» er ikke tilladt"),
        ("{udvalg[0]}", "«{udvalg[0]}» er ikke tilladt"),
        ("{}", "«{}» er ikke en pladsholder"),
        ("{0}", "«{0}» er ikke en kendt pladsholder"),
        ("Et { alene", "enkelt krøllet parentes"),
        ("Et } alene", "enkelt krøllet parentes"),
        ("   ", "Skabelonen er tom."),
    ],
)
def test_template_errors_refuse_what_could_crash_or_leak(text, expected):
    errors = template_errors(text)
    assert errors and expected in errors[0]
    with pytest.raises(AgendaTemplateError):
        draft_agenda(text, None)  # type: ignore[arg-type]


def test_doubled_braces_are_literal_text():
    assert template_errors("Skriv {{ og }} og {udvalg}") == []


def test_text_blocks_find_title_sections_and_bullets():
    blocks = text_blocks("Titel\n\nSagsgang\n\nAU\n\n- et\n- to\n\nBilag:\n\n1 - Åben")
    assert blocks == [
        ("title", "Titel"),
        ("heading", "Sagsgang"),
        ("paragraph", "AU"),
        ("bullets", ["et", "to"]),
        ("heading", "Bilag"),
        ("paragraph", "1 - Åben"),
    ]


# --- drafts from the demo plan -------------------------------------------------------


@pytest.fixture
def demo(db: Any) -> BudgetPlan:
    call_command("load_demo", verbosity=0)
    return BudgetPlan.objects.get(slug="2025-2028")


def expected_figures(plan: BudgetPlan, committee: Committee, as_of: date) -> dict[str, int]:
    """The figures counted straight from the plan, independently of the extract code."""
    items = Item.objects.filter(plan=plan, public=True)
    own = set(items.filter(committee=committee).values_list("pk", flat=True))
    also = set(items.filter(also_committees=committee).values_list("pk", flat=True)) - own
    cross = set(items.filter(cross_cutting=True).values_list("pk", flat=True)) - own - also
    figures = {"own": len(own), "also": len(also), "cross": len(cross)}
    chosen = Item.objects.filter(pk__in=own | also | cross)
    figures["completed"] = chosen.filter(completed=True).count()
    colours = {"green": 0, "yellow": 0, "red": 0, "none": 0}
    for item in chosen:
        report = item.latest_report(as_of)
        colours[report.colour if report else "none"] += 1
    figures.update(colours)
    return figures


def draft_for(plan: BudgetPlan, code: str, recommender: str, meeting: date) -> str:
    committee = Committee.objects.get(code=code)
    extract = build_extract(plan, committee, current_month(), meeting_date=meeting)
    return draft_text(plan, extract, recommender=recommender)


@pytest.mark.parametrize(
    ("code", "name", "recommender", "recommendation"),
    [
        ("AU", "Arbejdsmarkedsudvalget", "Fællesforvaltningsdirektøren", Recommendation.APPROVE),
        ("BUU", "Børne- og Ungdomsudvalget", "Velfærdsdirektøren", Recommendation.NOTE),
    ],
)
def test_draft_for_two_committees_matches_the_plan(demo, code, name, recommender, recommendation):
    committee = Committee.objects.get(code=code)
    committee.recommendation = recommendation
    committee.save()
    text = draft_for(demo, code, recommender, date(2025, 1, 15))
    figures = expected_figures(demo, committee, current_month())
    assert figures["own"] and figures["cross"]  # the demo gives something to count
    body = flat(text)

    blocks = text_blocks(text)
    assert blocks[0] == ("title", "Udmøntningsplan 2025-2028")
    assert blocks[1] == ("paragraph", "24/7615 Åben sag")
    assert [content for kind, content in blocks if kind == "heading"] == SECTION_HEADINGS
    # Sagsgang is the committee
    assert blocks[blocks.index(("heading", "Sagsgang")) + 1] == ("paragraph", code)
    assert "godkendt på Kommunalbestyrelsens møde den 11. december 2024" in body
    assert "budget 2025-2028" in body
    assert "møder i januar 2025" in body
    assert f"vedrører {name}s egne punkter" in body
    total = figures["own"] + figures["also"] + figures["cross"]
    assert (
        f"Udsnittet indeholder {total} punkter: udvalgets egne punkter ({figures['own']}), "
        f"punkter fra andre udvalg, som også vedrører udvalget ({figures['also']}), og "
        f"tværgående punkter fra andre udvalg ({figures['cross']})."
    ) in body
    assert f"i udsnittet gælder det {figures['completed']} af punkterne" in body
    # The colours in a sentence, without the colours no item has (no "gul ...: 0").
    assert f"Pr. {month_label(current_month())} gælder det for punkterne, at" in body
    for key, words in (
        ("green", f"{figures['green']} følger planen"),
        ("yellow", f"ved {figures['yellow']} ses udfordringer"),
        ("red", f"ved {figures['red']} er der behov for, at direktionen zoomer ind"),
        ("none", f"{figures['none']} har endnu ingen status"),
    ):
        assert (words in body) == bool(figures[key]), words
    assert "grøn, følger planen:" not in body and ": 0" not in body
    assert "opdelt i driftsændringer, råderumsforslag, anlægsprojekter pr. fagudvalg" in body
    bullets = next(content for kind, content in blocks if kind == "bullets")
    assert bullets == DEMO_HEADINGS
    verb = "godkendes" if recommendation == Recommendation.APPROVE else "tages til efterretning"
    presented = (
        "til orientering" if recommendation == Recommendation.APPROVE else "til efterretning"
    )
    assert f"{presented} på eget område" in body
    assert (
        f"{recommender} indstiller, at orienteringen om udmøntningsplanen for budget 2025 for "
        f"{name}s område {verb}."
    ) in body
    assert blocks[-1] == ("paragraph", f"1 - Åben {code} Udmøntningsplan 2025-2028")
    assert "{" not in text and "}" not in text  # no gaps


def test_au_draft_says_what_seed_000_says(demo):
    body = flat(draft_for(demo, "AU", "Fællesforvaltningsdirektøren", date(2025, 1, 23)))
    for sentence in SEED_000_SENTENCES:
        assert sentence in body, sentence


def test_the_figures_follow_the_month(demo):
    committee = Committee.objects.get(code="AU")
    item = Item.objects.filter(plan=demo, committee=committee, cross_cutting=True).first()
    next_month = date(current_month().year + 1, 1, 1)
    item.record_status(colour=Colour.RED, comment="Ny", period=next_month)
    now = build_extract(demo, committee, current_month())
    later = build_extract(demo, committee, next_month)
    body_now = flat(draft_text(demo, now))
    body_later = flat(draft_text(demo, later))
    red_now = expected_figures(demo, committee, current_month())["red"]
    red_later = expected_figures(demo, committee, next_month)["red"]
    assert red_later >= red_now
    assert f"ved {red_later} er der behov for, at direktionen zoomer ind" in body_later
    if red_now:
        assert f"ved {red_now} er der behov for, at direktionen zoomer ind" in body_now
    else:
        assert "ved 0 er der behov" not in body_now


def test_the_stored_template_is_used(demo):
    AgendaTemplate.objects.create(
        text="Til {udvalg}: {antal_egne} egne punkter.\n\nBilag\n\n{bilag}"
    )
    text = draft_for(demo, "AU", "", date(2025, 1, 23))
    own = expected_figures(demo, Committee.objects.get(code="AU"), current_month())["own"]
    assert text.startswith(f"Til Arbejdsmarkedsudvalget: {own} egne punkter.")


def test_every_placeholder_has_a_value(demo):
    template = " ".join("{" + name + "}" for name in PLACEHOLDERS)
    AgendaTemplate.objects.create(text=template)
    text = draft_for(demo, "BUU", "", date(2025, 1, 15))
    assert "{" not in text and "Direktøren" in text
