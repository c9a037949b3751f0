"""The demo: Norddjurs' 2025-2028 plan with committees, people and ten months of statuses.

Every step looks things up before creating them, so running it twice changes nothing.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from committees.models import (
    Committee,
    CommitteeKind,
    CommitteeNote,
    Meeting,
    Membership,
    MembershipRole,
)
from plans.models import (
    BudgetPlan,
    Colour,
    Heading,
    Item,
    PlanState,
    RedReason,
    ReportSource,
    Theme,
)
from plans.months import MONTH_NAMES, add_months, current_month
from plans.permissions import ROLE_NAMES, Role

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_plan_2025_2028.json"

COMMITTEES = [
    ("KB", "Kommunalbestyrelsen", CommitteeKind.POLITICAL),
    ("ØK", "Økonomiudvalget", CommitteeKind.POLITICAL),
    ("AU", "Arbejdsmarkedsudvalget", CommitteeKind.POLITICAL),
    ("BUU", "Børne- og Ungdomsudvalget", CommitteeKind.POLITICAL),
    ("KFU", "Kultur- og Fritidsudvalget", CommitteeKind.POLITICAL),
    ("MTU", "Miljø- og Teknikudvalget", CommitteeKind.POLITICAL),
    ("SSU", "Social-, Sundheds- og Ældreudvalget", CommitteeKind.POLITICAL),
    ("DIR", "Direktionen", CommitteeKind.ADMINISTRATIVE),
    ("KL", "Koncernledelsen", CommitteeKind.ADMINISTRATIVE),
    ("HU", "Hovedudvalget", CommitteeKind.ADMINISTRATIVE),
]

HEADINGS = [
    "Økonomisk Politik",
    "Politiske visioner",
    "Sociale investeringer, Fremtidens velfærd, Skoler og dagtilbud",
    "Norddjurs i bevægelse",
    "Partnerskaber",
    "Vækst, erhverv og beskæftigelse",
    "Klima, miljø, natur og den grønne omstilling",
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    committees: tuple[tuple[str, str], ...] = ()  # (committee code, membership role)
    description: str = ""


DEMO_USERS = [
    DemoUser("admin", "Anders", "Admin", Role.ADMIN, (), "administrator"),
    DemoUser("oekonomichef", "Bettina", "Andersen", Role.ECONOMY_CHIEF, (), "økonomichef"),
    DemoUser(
        "direktoer",
        "Kim Bruun",
        "Nielsen",
        Role.DIRECTOR,
        (
            ("ØK", MembershipRole.DIRECTOR),
            ("KFU", MembershipRole.DIRECTOR),
            ("DIR", MembershipRole.DIRECTOR),
        ),
        "direktør for ØK og KFU",
    ),
    DemoUser(
        "direktoer2",
        "Anne Lund",
        "Mikkelsen",
        Role.DIRECTOR,
        (
            ("AU", MembershipRole.DIRECTOR),
            ("SSU", MembershipRole.DIRECTOR),
            ("DIR", MembershipRole.DIRECTOR),
        ),
        "direktør for AU og SSU",
    ),
    DemoUser(
        "fagchef",
        "Mette Holm",
        "Sørensen",
        Role.HEAD,
        (("BUU", MembershipRole.HEAD),),
        "fagchef, BUU",
    ),
    DemoUser(
        "fagchef2",
        "Jens Peter",
        "Dalgaard",
        Role.HEAD,
        (("MTU", MembershipRole.HEAD),),
        "fagchef, MTU",
    ),
    DemoUser(
        "sekretaer",
        "Sofie",
        "Kjær",
        Role.SECRETARY,
        (("AU", MembershipRole.SECRETARY),),
        "udvalgssekretær, AU",
    ),
    DemoUser(
        "sekretaer2",
        "Lars",
        "Bech",
        Role.SECRETARY,
        (("BUU", MembershipRole.SECRETARY),),
        "udvalgssekretær, BUU",
    ),
]

COMMENTS = {
    Colour.GREEN: [
        "Følger planen. Næste milepæl er nået som forventet.",
        "Implementeringen forløber som planlagt; effekten følges månedligt.",
        "Ingen afvigelser. Status gives igen næste måned.",
    ],
    Colour.YELLOW: [
        "Snitflader mellem fagområderne er uafklarede og drøftes i koncernledelsen.",
        "Forsinkelse på leverandørsiden; det kan give behov for at zoome ind.",
        "Besparelsen er endnu ikke fuldt realiseret, supplerende tiltag undersøges.",
    ],
    Colour.RED: [
        "Sagen er gået i stå; der er behov for at direktionen zoomer ind.",
        "Forhindringer skal fjernes: manglende ressourcer til projektledelse.",
        "Der er behov for tværfaglig koordination mellem BUU og AU.",
    ],
}
RED_REASONS = [RedReason.STALLED, RedReason.OBSTACLES, RedReason.COORDINATION]

DEMO_MONTHS = 10


@dataclass
class DemoResult:
    plan: BudgetPlan
    created_items: int
    created_reports: int
    passwords: dict[str, str]


def ensure_groups() -> dict[str, Group]:
    return {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}


def ensure_committees() -> dict[str, Committee]:
    committees = {}
    for order, (code, name, kind) in enumerate(COMMITTEES):
        committees[code], _ = Committee.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "order": order}
        )
    return committees


def ensure_users(
    groups: dict[str, Group], committees: dict[str, Committee], set_passwords: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    User = get_user_model()
    users: dict[str, Any] = {}
    passwords: dict[str, str] = {}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@example.dk",
            },
        )
        if demo.role == Role.ADMIN and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if set_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save(update_fields=["password"])
            passwords[demo.username] = password
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(groups[demo.role])
        for code, role in demo.committees:
            Membership.objects.get_or_create(user=user, committee=committees[code], role=role)
        users[f"{demo.first_name} {demo.last_name}"] = user
    return users, passwords


def demo_treatments() -> dict[tuple[str, str], str]:
    """Political treatments for a few items, around today, so the work plans, the annual
    wheel and the calendar show upcoming and overdue ones."""

    def month(offset: int) -> str:
        day = add_months(current_month(), offset)
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"

    quarter = add_months(current_month(), 3)
    return {
        ("D11", "AU"): f"AU {month(1)}",
        ("D19", "AU"): f"AU {(quarter.month - 1) // 3 + 1}. kvt. {quarter.year}",
        ("R307", "AU"): f"AU {month(-2)}",
        ("H10", "AU"): f"AU, ØK {month(2)}",
        ("R312", "BUU"): f"BUU {month(1)}",
        ("D01", "ØK"): f"ØK, KB {month(2)}",
        ("D02", "ØK"): "Indgår i driften",
        ("D13", "MTU"): "Indgår i driften",
    }


def ensure_plan(committees: dict[str, Committee], users: dict[str, Any]) -> tuple[BudgetPlan, int]:
    plan, _ = BudgetPlan.objects.get_or_create(
        slug="2025-2028",
        defaults={
            "title": "Udmøntningsplan 2025-2028",
            "first_year": 2025,
            "last_year": 2028,
            "case_number": "24/7615",
            "approved_on": date(2024, 12, 11),
            "state": PlanState.APPROVED,
        },
    )
    headings = {
        name: Heading.objects.get_or_create(plan=plan, name=name, defaults={"order": order})[0]
        for order, name in enumerate(HEADINGS)
    }
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    treatments = demo_treatments()
    created_items = 0
    for order, row in enumerate(data["items"]):
        committee = committees[row["committee"]]
        responsible = users.get(row["responsible"])
        item, created = Item.objects.get_or_create(
            plan=plan,
            number=row["number"],
            committee=committee,
            defaults={
                "kind": row["kind"],
                "title": row["title"],
                "heading": headings.get(row["heading"]) if row["heading"] else None,
                "cross_cutting": row["cross_cutting"],
                "markers": row["markers"],
                "timing": row["timing"],
                "responsible": responsible,
                "responsible_name": "" if responsible else row["responsible"],
                "completed": row["completed"],
                "order": order,
                "political_treatment": treatments.get((row["number"], row["committee"]), ""),
            },
        )
        if not created:
            continue
        created_items += 1
        item.set_amounts({int(year): value for year, value in row["amounts"].items()})
        item.also_committees.set([committees[code] for code in row["also"]])
    return plan, created_items


def ensure_statuses(plan: BudgetPlan, users: dict[str, Any]) -> int:
    """Ten months of reports on the cross-cutting items, ending last month."""
    last = add_months(current_month(), -1)
    months = [add_months(last, -offset) for offset in reversed(range(DEMO_MONTHS))]
    rng = random.Random(2025)
    # Its own sequence, so the OBS points leave the demo's colours as they were.
    obs_rng = random.Random(17)
    economy_chief = users.get("Bettina Andersen")
    created = 0
    for item in plan.items.filter(cross_cutting=True).select_related("responsible").order_by("pk"):
        if item.reports.exists():
            continue
        colour = rng.choice([Colour.GREEN, Colour.GREEN, Colour.YELLOW, Colour.RED])
        for period in months:
            # Colours drift slowly, as real projects do.
            roll = rng.random()
            if roll < 0.15:
                colour = Colour.RED
            elif roll < 0.35:
                colour = Colour.YELLOW
            elif roll < 0.55:
                colour = Colour.GREEN
            item.record_status(
                colour=colour,
                comment=rng.choice(COMMENTS[colour]),
                period=period,
                author=item.responsible or economy_chief,
                red_reason=rng.choice(RED_REASONS) if colour == Colour.RED else "",
                source=ReportSource.DEMO,
            )
            created += 1
            demo_obs(item, colour, period, economy_chief, obs_rng)
    return created


def demo_obs(item: Item, colour: str, period: date, economy_chief: Any, rng: random.Random) -> None:
    """OBS points as the board keeps them: raised on a red month, decided the month
    after, closed once the item is back on track; many stay open for months."""
    point = item.open_obs_point()
    if point is None:
        if colour == Colour.RED and rng.random() < 0.35:
            item.open_obs(
                text="Direktionen følger op og træffer beslutning om initiativer.",
                author=economy_chief,
                month=period,
            )
        return
    if colour == Colour.GREEN and rng.random() < 0.5:
        point.close(
            reason="Punktet følger planen igen; direktionen lukker OBS-punktet.",
            author=economy_chief,
            month=period,
        )
    elif period > point.month and not point.events.exists() and rng.random() < 0.5:
        point.follow_up(
            text="Fagchefen fremlægger forslag til initiativer på næste møde.",
            follow_up_by=item.responsible_display or "Fagchefen",
            author=economy_chief,
            month=period,
        )


def ensure_notes(plan: BudgetPlan, committees: dict[str, Committee]) -> None:
    r307 = plan.items.filter(number="R307", committee=committees["AU"]).first()
    if r307 is None:
        return
    for text in [
        "Ad. 307. Udvalget ønsker at modtage SØM-beregning som lå til grundlag for "
        "budgetforhandlingerne 2024 for R307.",
        "Ad. 307. Hvis supplerende tiltag ikke har den ønskede effekt, er det ikke "
        "Arbejdsmarkedsudvalgets opgave at finde de anførte besparelser.",
    ]:
        CommitteeNote.objects.get_or_create(
            item=r307, committee=committees["AU"], text=text, defaults={"date": date(2025, 1, 23)}
        )


# The strategic plan's themes (seed 004) and the demo items that belong to them.
STRATEGY_THEMES = [
    (
        "Økonomi",
        "Økonomi i det strategiske og kort- og langsigtede perspektiv, herunder eftersyn af "
        "budgetterne og budget i balance.",
        ["D01", "R001", "R004", "H01", "H02"],
    ),
    (
        "Rekruttering og fastholdelse",
        "Rekruttering og fastholdelse samt HR, udfordringer på velfærdsområderne, "
        "ledelsesudvikling, trivsel og gode arbejdsfællesskaber.",
        ["H10", "D08", "R508"],
    ),
    (
        "Klima",
        "Det grønne, Næse for vand, biodiversitet, DK2020 og klimahandlingsplanen.",
        ["R003", "H11", "H12", "A04", "A05"],
    ),
    (
        "Samarbejder",
        "Det blå, Anholt, Grenaa Havn og partnerskabet med Halmstad.",
        ["H07", "H08", "A06"],
    ),
    (
        "Samskabelse",
        "Samskabelse, borgerinddragelse og velfærdsservice, borgerens møde med kommunen, "
        "lokaldemokrati i nybrud.",
        ["H05", "H03", "D15"],
    ),
]

# (body, date, title, case number, focus theme)
DEMO_MEETINGS = [
    ("BUU", date(2025, 1, 15), "Udmøntningsplan 2025-2028", "24/7615", None),
    ("AU", date(2025, 1, 23), "Udmøntningsplan 2025-2028", "24/7615", None),
    (
        "DIR",
        date(2025, 3, 26),
        "Udmøntningsplan 2025-2028 - Strategiske og tværgående indsatser",
        "24/7615",
        "Økonomi",
    ),
    (
        "DIR",
        date(2025, 9, 24),
        "Udmøntningsplan 2025-2028 - Strategiske og tværgående indsatser",
        "24/7615",
        "Samskabelse",
    ),
]
MONTHLY_FOCUS = ["Klima", "Rekruttering og fastholdelse", "Samarbejder"]


def monthly_board_meetings() -> list[tuple[str, date, str, str, str | None]]:
    """The board's monthly status meetings in the last three months that have statuses,
    on the month's last Wednesday, so their attachments show the demo's reports."""
    meetings: list[tuple[str, date, str, str, str | None]] = []
    for offset, focus in zip((3, 2, 1), MONTHLY_FOCUS, strict=True):
        month = add_months(current_month(), -offset)
        last_day = add_months(month, 1) - timedelta(days=1)
        wednesday = last_day - timedelta(days=(last_day.weekday() - 2) % 7)
        meetings.append(
            ("DIR", wednesday, "Månedlig status på udmøntningsplanen", "24/7615", focus)
        )
    return meetings


def ensure_strategy(plan: BudgetPlan, committees: dict[str, Committee]) -> None:
    """Themes linked to demo items, and the year's meetings in the annual wheel."""
    themes = {}
    for order, (name, description, numbers) in enumerate(STRATEGY_THEMES):
        theme, created = Theme.objects.get_or_create(
            plan=plan, name=name, defaults={"description": description, "order": order}
        )
        themes[name] = theme
        if created:
            theme.items.set(plan.items.filter(number__in=numbers))
    heads = list(get_user_model().objects.filter(groups__name=Role.HEAD).order_by("pk"))
    for code, day, title, case_number, focus in DEMO_MEETINGS + monthly_board_meetings():
        meeting, created = Meeting.objects.get_or_create(
            plan=plan,
            body=committees[code],
            date=day,
            defaults={
                "title": title,
                "case_number": case_number,
                "focus_theme": themes.get(focus) if focus else None,
            },
        )
        if created and code == "DIR":
            meeting.invited.set(heads)
        if code == "AU":
            # The remarks on R307 were made at this meeting.
            CommitteeNote.objects.filter(
                item__plan=plan, committee=committees["AU"], date=day, meeting__isnull=True
            ).update(meeting=meeting)


@transaction.atomic
def load_demo(set_passwords: bool = False) -> DemoResult:
    groups = ensure_groups()
    committees = ensure_committees()
    users, passwords = ensure_users(groups, committees, set_passwords)
    plan, created_items = ensure_plan(committees, users)
    created_reports = ensure_statuses(plan, users)
    ensure_notes(plan, committees)
    ensure_strategy(plan, committees)
    return DemoResult(plan, created_items, created_reports, passwords)
