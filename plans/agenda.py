"""The yearly agenda item around a committee's extract, drafted from the plan.

Pure functions: the municipality's template (plain text with `{placeholders}`) and the
facts of one extract in, the drafted text out. The template is validated before it is
saved, so drafting never meets an unknown placeholder and never leaves a gap.
`draft_text()` at the bottom gathers those facts from the plan and fills in the stored
template.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from committees.models import AgendaTemplate, CommitteeKind, Meeting, Recommendation
from plans.models import KIND_ORDER, KIND_SECTION_TITLES, BudgetPlan, ExtractRelation, Item, Kind
from plans.months import danish_date, month_label

if TYPE_CHECKING:
    from plans.extracts import Extract

# The municipality's standard sections, in order (seeds 000 and 002).
SECTION_HEADINGS = [
    "Sagsgang",
    "Sagsfremstilling",
    "Sammenhæng til andre politikker/strategier og fagområder",
    "Økonomiske konsekvenser",
    "Lovgrundlag",
    "Indstilling",
    "Bilag",
]
# Further headings the board's item uses (seed 001).
OTHER_HEADINGS = ["Baggrund"]

# Placeholder -> what it becomes (shown beside the template's textarea).
PLACEHOLDERS: dict[str, str] = {
    "kommune": "Kommunens navn, fx Norddjurs Kommune",
    "kommune_genitiv": "Kommunens navn i ejefald, fx Norddjurs Kommunes",
    "plan_titel": "Planens titel, fx Udmøntningsplan 2025-2028",
    "plan_periode": "Budgetperioden, fx 2025-2028",
    "budgetaar": "Planens første budgetår, fx 2025",
    "tredje_budgetaar": "Planens tredje budgetår, fx 2027",
    "foregaaende_aar": "Året før første budgetår, fx 2024",
    "godkendt_dato": "Datoen planen blev godkendt, fx 11. december 2024",
    "sagsnummer": "Sagsnummeret, fx 24/7615",
    "aaben_sag": "«Åben sag» eller «Intern»",
    "sagsgang": "Sagsgangen, som udgangspunkt udvalgets kode, fx AU",
    "udvalg": "Udvalgets navn, fx Arbejdsmarkedsudvalget",
    "udvalg_genitiv": "Udvalgets navn i ejefald, fx Arbejdsmarkedsudvalgets",
    "udvalg_kode": "Udvalgets kode, fx AU",
    "moede_dato": "Mødedatoen, fx 23. januar 2025",
    "moede_maaned": "Mødets måned, fx januar 2025",
    "fremlaeggelse": "«til orientering» (godkendes) eller «til efterretning»",
    "typer": "Planens typer af punkter, fx driftsændringer, råderumsforslag, anlægsprojekter",
    "hovedpunkter": "Hensigtserklæringernes hovedpunkter som punktliste",
    "antal_i_alt": "Antal punkter i udsnittet",
    "antal_egne": "Antal af udvalgets egne punkter",
    "antal_ogsaa": "Antal punkter fra andre udvalg, som også vedrører udvalget",
    "antal_tvaergaaende": "Antal tværgående punkter fra andre udvalg",
    "antal_afsluttede": "Antal punkter i udsnittet markeret med X (afsluttet)",
    "status_maaned": "Statusmåneden, fx oktober 2025",
    "antal_groen": "Antal punkter med grøn status",
    "antal_gul": "Antal punkter med gul status",
    "antal_roed": "Antal punkter med rød status",
    "antal_uden_status": "Antal punkter uden status",
    "status_sammendrag": "Status i en sætning, fx «Pr. oktober 2025 følger 12 af punkterne planen, "
    "ved 3 ses udfordringer …» (farver uden punkter udelades)",
    "punktliste": "Udsnittets punkter som punktliste (titel og nummer), fx til direktionen",
    "fokusomraade": "Mødets fokusområde (tema eller udvalg), eller tomt",
    "inviterede": "Mødets inviterede fagchefer, fx «Mette Holm Sørensen og Kim Bruun Nielsen»",
    "indstiller": "Hvem der indstiller, fx Fællesforvaltningsdirektøren",
    "indstilling": "«godkendes» eller «tages til efterretning»",
    "bilag": "Bilagslinjen, fx 1 - Åben AU Udmøntningsplan 2025-2028",
}

DEFAULT_RECOMMENDER = "Direktøren"

# Modelled on Arbejdsmarkedsudvalget's item of 23-01-2025 (seed 000).
DEFAULT_TEMPLATE = """{plan_titel}

{sagsnummer} {aaben_sag}

Sagsgang

{sagsgang}

Sagsfremstilling

I forlængelse af vedtagelsen af {kommune_genitiv} budget {plan_periode} er der udarbejdet en \
udmøntningsplan, som er godkendt på Kommunalbestyrelsens møde den {godkendt_dato}. Det anbefales \
fagudvalgene at benytte planen i forhold til de områder, som vedrører det enkelte udvalg og som \
også vil afspejles i arbejdsplanen for udvalget. Udmøntningsplanen fremlægges derfor på \
fagudvalgenes møder i {moede_maaned} {fremlaeggelse} på eget område.

I den samlede udmøntningsplan indgår samtlige emner fra budgetaftalen som Kursen for \
{budgetaar}, mens planen også beskriver Koordinering og Commitment til forløbet og \
sagsbehandlingen i de enkelte sager. Der er vedlagt et udsnit af den faste udmøntningsplan med \
den del, som vedrører {udvalg_genitiv} egne punkter samt de tværgående punkter som fx \
råderumsforslag og budgetoverholdelse.

Udsnittet indeholder {antal_i_alt} punkter: udvalgets egne punkter ({antal_egne}), punkter \
fra andre udvalg, som også vedrører udvalget ({antal_ogsaa}), og tværgående punkter fra andre \
udvalg ({antal_tvaergaaende}).

Udmøntningsplanen er opdelt i {typer} pr. fagudvalg, og hensigtserklæringerne er opdelt i \
hovedpunkter fra budgetaftalen og grupperet efter:

{hovedpunkter}

Budgetaftalen indeholder i år relativt mange opgaver, og der er bl.a. med baggrund i \
råderumskataloget tale om en række emner, som går på tværs. Der arbejdes i Koncernledelsen med \
at få disse tæt forbundet og forankret i organisationen og aktivt skabe mere værdi ude i \
afdelingerne. Direktionen har drøftet udmøntningsplanen, og det er aftalt, at der især i forhold \
til de indsatser, som kræver fokus på tværgående koordination vil være løbende vurdering af \
ansvarsområder, samarbejde og snitflader mellem direktion og koncernledelsen.

Af større strategiske tværgående emner kan bl.a. nævnes:

- Arbejdet med kloge m², som skaber de bedste rammer for borgere og ansatte og reducerer \
kapacitet og omkostninger m.v.
- Flådestyringsenhed, som skal udvikle og drive centraliseret flådestyring af kommunens \
køretøjer for at reducere CO₂ og optimere drift, indkøb og kørsel af køretøjer.
- Diverse effektiviseringer af arbejdsgange i administrationen fx omkring aktindsigt samt \
implementering af generativ kunstig intelligens i alle dele af organisationen.

Råderumsarbejdet har i løbet af {foregaaende_aar} spillet en stor rolle ind i arbejdet om \
budgettet og i {budgetaar} er der fokus på at implementere de udvalgte råderumsforslag. I forhold \
til udmøntning af effektiviseringsbidraget i {budgetaar} er det også muligt at inddrage forslag \
fra råderumskataloget. Der tages stilling til en ny runde af råderumsforslag i forbindelse med \
budgetlægningen for budget {tredje_budgetaar}.

De punkter, der allerede er implementeret, er markeret med X for afsluttet i \
udmøntningsplanen; i udsnittet gælder det {antal_afsluttede} af punkterne. Det er eksempelvis \
afledt drift i forbindelse med flere af anlægsprojekterne. Det fremgår også af \
udmøntningsplanen hvilke punkter, der vil blive behandlet i fagudvalgene, og punkterne vil \
indgå i arbejdsplanen på de enkelte udvalg.

De tværgående punkter følges med en månedlig status. {status_sammendrag}

Udmøntningsplanen er et dynamisk dokument og bliver løbende udviklet og opdateret. De anførte \
tidspunkter i planen er vejledende, og kan blive justeret.

Der vil ske løbende kommunikation og formidling omkring udmøntningsplanen i hele organisationen \
og i vedkommende sager vil der ske inddragelse af MED-organisationen, Direktionen og \
Koncernledelsen. Samtidig er indsatser med tværgående koordination også fremhævet, og disse vil \
løbende blive fulgt og drøftet på direktionsmøder.

Sammenhæng til andre politikker/strategier og fagområder

Udmøntningen af budgettet tager strategisk udgangspunkt i den politisk Plan- og \
Udviklingsstrategi som er vedtaget i november 2023, og sætter retning for både den strategiske og \
fysiske udvikling og har særlig fokus på Natur, Prioritering af arealer og Den grønne omstilling. \
Plan- og udviklingsstrategien og dens arbejde med visioner og FN's verdensmål er retningsgivende \
for al fysisk og strategisk planlægning i kommunen, også planlægningen af politikker, strategier \
samt handleplaner.

Udmøntningen har endvidere værdimæssigt afsæt i værdierne Vores Norddjurs og der vil blive \
arbejdet aktivt med: Tillid, ordentlighed, udvikling og fællesskab med fokus på den tværgående og \
helhedsorienterede tænkning. Det udmønter sig blandt andet i løsningen af kerneopgaven, herunder \
service til borgere og erhvervsliv, samt i måden, hvorpå der skabes udvikling i og af kommunen \
som helhed og ledelse i samspil med medarbejdere.

Yderligere har udmøntningsplanen sammenhæng i forhold til efterlevelse af direktionens \
strategiske indsatser og ledelsesgrundlag herunder hvor Kursen for {budgetaar} er lagt i de \
enkelte emner mens der med Koordinering og Commitment (KKC) i implementeringen forventes \
styrket aktørskab i organisationen.

Økonomiske konsekvenser

Ingen økonomiske konsekvenser.

Lovgrundlag

Der er ikke lovkrav om at udarbejde en udmøntningsplan vedrørende budgettet, men \
udmøntningsplanen støtter op om det planlægningsmæssige omkring udmøntning og efterlevelse af \
budgettet som har udgangspunkt i Den kommunale styrelseslov og Budgetloven.

Indstilling

{indstiller} indstiller, at orienteringen om udmøntningsplanen for budget {budgetaar} for \
{udvalg_genitiv} område {indstilling}.

Bilag

{bilag}
"""


# The board of directors' monthly item, in the form of Direktionen's item of 26-03-2025
# (seed 001): the cross-cutting items with feedback, the focus area and invited heads.
DEFAULT_BOARD_TEMPLATE = """{plan_titel} - Strategiske og tværgående indsatser

{sagsnummer} {aaben_sag}

Sagsgang

{sagsgang}

Baggrund

De tværgående emner i udmøntningsplanen præsenteres med månedlig status, og direktører og \
økonomichef laver en opsamling på eventuelle OBS-punkter på direktions- og \
koncernledelsesniveau. Direktionens rolle er at være orienteret om, hvad status er på \
opgaverne, og om der er noget, der kræver hjælp og koordinering i direktionen for at sikre \
fortsat fremdrift.

Sagsfremstilling

Der er pt. følgende tilbagemeldinger på indsatser med særligt behov for, at den tværgående \
koordination fremhæves (nærmere uddybning fremgår af vedlagte bilag):

{punktliste}

{status_sammendrag}

Farvekoderne angiver, hvor langt indsatserne er i forhold til det planlagte, eller om der er \
behov for, at direktionen kvalificerer og bidrager til fremdrift og afklaring. OBS-punkter til \
opsamling og eventuel beslutning af initiativer fremgår med rødt i bilaget.

{fokusomraade}

{inviterede}

Økonomiske konsekvenser

Ingen økonomiske konsekvenser.

Indstilling

Direktionen gennemgår status på strategiske og tværgående indsatser og drøfter eventuelle \
punkter, som har rød markering.

Bilag

{bilag}
"""


class AgendaTemplateError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


def template_errors(text: str) -> list[str]:
    """Every problem with a template, in Danish; an empty list when it can be used."""
    if not text.strip():
        return [_("Skabelonen er tom.")]
    errors: list[str] = []
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [
            _(
                "Teksten har en enkelt krøllet parentes «{» eller «}» uden partner. "
                "Skriv {{ eller }} for at få en krøllet parentes i teksten."
            )
        ]
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        shown = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if name == "":
            errors.append(
                _(
                    "«{}» er ikke en pladsholder. "
                    "Skriv navnet på en pladsholder mellem parenteserne."
                )
            )
        elif "." in name or "[" in name:
            errors.append(
                _("«%(field)s» er ikke tilladt: skriv kun pladsholderens navn, fx {udvalg}.")
                % {"field": shown}
            )
        elif name not in PLACEHOLDERS:
            errors.append(
                _("«%(field)s» er ikke en kendt pladsholder.") % {"field": "{" + name + "}"}
            )
        elif spec or conversion:
            errors.append(
                _("«%(field)s» er ikke tilladt: skriv kun pladsholderens navn, fx {%(name)s}.")
                % {"field": shown, "name": name}
            )
    # One message per problem, in the order they appear.
    return list(dict.fromkeys(errors))


def validate_template(text: str) -> None:
    errors = template_errors(text)
    if errors:
        raise AgendaTemplateError(errors)


def genitive(name: str) -> str:
    """Danish possessive: "Arbejdsmarkedsudvalget" -> "Arbejdsmarkedsudvalgets"."""
    if not name:
        return name
    return name + ("'" if name[-1].lower() in "sxz" else "s")


@dataclass(frozen=True)
class AgendaFacts:
    """What the drafted text says, taken from the plan and the committee's extract."""

    municipality: str
    plan_title: str
    first_year: int
    last_year: int
    case_number: str
    public: bool
    approved_on: date | None
    committee_code: str
    committee_name: str
    recommendation: str
    recommender: str
    meeting_date: date | None
    as_of: date
    kinds: list[str]
    headings: list[str]
    own: int
    also: int
    cross: int
    completed: int
    green: int
    yellow: int
    red: int
    no_status: int
    attachment: str
    rows: tuple[str, ...] = ()  # "title number markers" of the extract's items
    focus: str = ""
    invited: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.own + self.also + self.cross


def facts_from_extract(
    extract: Extract,
    *,
    kinds: list[str],
    headings: list[str],
    recommender: str = "",
    recommendation: str | None = None,
    focus: str = "",
    invited: tuple[str, ...] = (),
) -> AgendaFacts:
    """`extract` is a plans.extracts.Extract of one committee; `kinds` are the section
    titles and `headings` the heading names of the whole plan."""
    committee = extract.committee
    assert committee is not None, "an agenda text is drafted for one committee's extract"
    relations = extract.relation_counts
    colours = extract.colour_counts
    return AgendaFacts(
        municipality=extract.municipality,
        plan_title=extract.plan.title,
        first_year=extract.plan.first_year,
        last_year=extract.plan.last_year,
        case_number=extract.case_number,
        public=extract.public,
        approved_on=extract.plan.approved_on,
        committee_code=committee.code,
        committee_name=committee.name,
        recommendation=recommendation or committee.effective_recommendation,
        recommender=recommender.strip() or DEFAULT_RECOMMENDER,
        meeting_date=extract.meeting_date,
        as_of=extract.as_of,
        kinds=kinds,
        headings=headings,
        own=relations[ExtractRelation.OWN],
        also=relations[ExtractRelation.ALSO],
        cross=relations[ExtractRelation.CROSS],
        completed=extract.completed_count,
        green=colours["green"],
        yellow=colours["yellow"],
        red=colours["red"],
        no_status=colours[""],
        attachment=f"1 - {extract.attachment_name}",
        rows=tuple(
            " ".join(part for part in (row.title, row.number, row.markers) if part)
            for row in extract.rows
        ),
        focus=focus,
        invited=invited,
    )


def danish_list(names: list[str] | tuple[str, ...]) -> str:
    """["a", "b", "c"] -> "a, b og c"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + _("og") + " " + names[-1]


def status_summary(facts: AgendaFacts) -> str:
    """The colours as a sentence, leaving out colours no item has: "Pr. oktober 2025 følger
    12 af punkterne planen, ved 3 ses udfordringer, og 1 har endnu ingen status." """
    month = month_label(facts.as_of)
    if facts.total == 0:
        return _("Der er ingen punkter i udsnittet pr. %(month)s.") % {"month": month}
    parts = []
    if facts.green:
        parts.append(_("%(count)d følger planen") % {"count": facts.green})
    if facts.yellow:
        parts.append(_("ved %(count)d ses udfordringer") % {"count": facts.yellow})
    if facts.red:
        parts.append(
            _("ved %(count)d er der behov for, at direktionen zoomer ind") % {"count": facts.red}
        )
    if facts.no_status:
        parts.append(_("%(count)d har endnu ingen status") % {"count": facts.no_status})
    return _("Pr. %(month)s gælder det for punkterne, at %(parts)s.") % {
        "month": month,
        "parts": danish_list(parts),
    }


def placeholder_values(facts: AgendaFacts) -> dict[str, str]:
    approve = facts.recommendation == Recommendation.APPROVE
    kinds = [kind.lower() for kind in facts.kinds]
    values = {
        "kommune": facts.municipality,
        "kommune_genitiv": genitive(facts.municipality),
        "plan_titel": facts.plan_title,
        "plan_periode": f"{facts.first_year}-{facts.last_year}",
        "budgetaar": str(facts.first_year),
        "tredje_budgetaar": str(facts.first_year + 2),
        "foregaaende_aar": str(facts.first_year - 1),
        "godkendt_dato": danish_date(facts.approved_on) if facts.approved_on else "–",
        "sagsnummer": facts.case_number or "–",
        "aaben_sag": _("Åben sag") if facts.public else _("Intern"),
        "sagsgang": facts.committee_code,
        "udvalg": facts.committee_name,
        "udvalg_genitiv": genitive(facts.committee_name),
        "udvalg_kode": facts.committee_code,
        "moede_dato": danish_date(facts.meeting_date) if facts.meeting_date else "–",
        "moede_maaned": month_label(facts.meeting_date or facts.as_of),
        "fremlaeggelse": _("til orientering") if approve else _("til efterretning"),
        "typer": ", ".join(kinds),
        "hovedpunkter": "\n".join(f"- {heading}" for heading in facts.headings),
        "antal_i_alt": str(facts.total),
        "antal_egne": str(facts.own),
        "antal_ogsaa": str(facts.also),
        "antal_tvaergaaende": str(facts.cross),
        "antal_afsluttede": str(facts.completed),
        "status_maaned": month_label(facts.as_of),
        "antal_groen": str(facts.green),
        "antal_gul": str(facts.yellow),
        "antal_roed": str(facts.red),
        "antal_uden_status": str(facts.no_status),
        "status_sammendrag": status_summary(facts),
        "punktliste": "\n".join(f"- {row}" for row in facts.rows),
        "fokusomraade": (
            _("Fokusområde på mødet: %(focus)s.") % {"focus": facts.focus} if facts.focus else ""
        ),
        "inviterede": (
            _("%(names)s deltager i punktet.") % {"names": danish_list(facts.invited)}
            if facts.invited
            else ""
        ),
        "indstiller": facts.recommender,
        "indstilling": str(Recommendation(facts.recommendation).label),
        "bilag": facts.attachment,
    }
    assert values.keys() == PLACEHOLDERS.keys()
    return values


def draft_agenda(template_text: str, facts: AgendaFacts) -> str:
    """The template filled in; raises AgendaTemplateError on a template that is not valid."""
    validate_template(template_text)
    return template_text.format_map(placeholder_values(facts)).strip() + "\n"


def text_blocks(text: str) -> list[tuple[str, Any]]:
    """Split a drafted text into ("title" | "heading" | "bullets" | "paragraph", content)
    for the HTML preview and the PDF page; bullets carry a list of lines."""
    headings = {heading.casefold() for heading in SECTION_HEADINGS + OTHER_HEADINGS}
    blocks: list[tuple[str, Any]] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].rstrip(":").casefold() in headings:
            blocks.append(("heading", lines[0].rstrip(":")))
        elif not blocks and len(lines) == 1:
            blocks.append(("title", lines[0]))
        elif all(line.startswith(("- ", "• ")) for line in lines):
            blocks.append(("bullets", [line[2:].strip() for line in lines]))
        else:
            blocks.append(("paragraph", " ".join(lines)))
    return blocks


def default_template(kind: str = CommitteeKind.POLITICAL) -> str:
    """The built-in standard text for a kind of body."""
    return DEFAULT_BOARD_TEMPLATE if kind == CommitteeKind.ADMINISTRATIVE else DEFAULT_TEMPLATE


def stored_template(kind: str = CommitteeKind.POLITICAL) -> AgendaTemplate | None:
    """The municipality's edited standard text for a kind of body (committee or board)."""
    return AgendaTemplate.objects.filter(kind=kind).order_by("pk").first()


def plan_outline(plan: BudgetPlan) -> tuple[list[str], list[str]]:
    """The plan's kinds of item (section titles, declarations of intent left out: they
    are described by their headings) and the headings, in plan order."""
    present = set(Item.objects.filter(plan=plan).values_list("kind", flat=True).distinct())
    kinds = [
        str(KIND_SECTION_TITLES[Kind(kind)])
        for kind in sorted(present, key=lambda kind: KIND_ORDER[Kind(kind)])
        if kind != Kind.HENSIGT
    ]
    headings = list(plan.headings.order_by("order", "name").values_list("name", flat=True))
    return kinds, headings


def meeting_focus(meeting: Meeting | None) -> tuple[str, tuple[str, ...]]:
    """The meeting's focus area and invited heads of department, as names."""
    if meeting is None:
        return "", ()
    focus = meeting.focus_theme or meeting.focus_committee
    invited = tuple(
        user.get_full_name() or user.get_username()
        for user in meeting.invited.order_by("first_name", "last_name")
    )
    return (focus.name if focus else ""), invited


def draft_text(
    plan: BudgetPlan,
    extract: Extract,
    recommender: str = "",
    recommendation: str | None = None,
    meeting: Meeting | None = None,
) -> str:
    """The municipality's template for the kind of body (or the default) filled in from
    the plan, the extract and the meeting (its focus area and invited heads)."""
    kinds, headings = plan_outline(plan)
    focus, invited = meeting_focus(meeting)
    facts = facts_from_extract(
        extract,
        kinds=kinds,
        headings=headings,
        recommender=recommender,
        recommendation=recommendation,
        focus=focus,
        invited=invited,
    )
    kind = extract.committee.kind if extract.committee else CommitteeKind.POLITICAL
    template = stored_template(kind)
    try:
        return draft_agenda(template.text if template else default_template(kind), facts)
    except AgendaTemplateError:
        # A template saved around the form (e.g. in the admin) must not stop the secretary.
        return draft_agenda(default_template(kind), facts)


def section_texts(text: str) -> list[tuple[str, str]]:
    """The drafted text cut at the standard section headings: (heading, body) in order,
    the part before the first heading (title, case number) under "". Agenda systems have
    a field per section, so each is copied on its own."""
    headings = {heading.casefold(): heading for heading in SECTION_HEADINGS + OTHER_HEADINGS}
    sections: list[tuple[str, list[str]]] = [("", [])]
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        stripped = chunk.strip()
        if not stripped:
            continue
        key = stripped.rstrip(":").casefold()
        if "\n" not in stripped and key in headings:
            sections.append((headings[key], []))
        else:
            sections[-1][1].append(stripped)
    return [(heading, "\n\n".join(body)) for heading, body in sections if body or heading]
