"""The plan, its items, amounts per year and the insert-only status history."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import Committee, MembershipRole
from plans.months import current_month, first_of_month
from plans.sanitize import clean_text

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    APPROVED = "approved", _("Godkendt")
    ARCHIVED = "archived", _("Arkiveret")


class RoundScope(models.TextChoices):
    """Which open items of an approved plan the monthly status round asks about (seed 001:
    the cross-cutting ones); the others may still get a status when there is news."""

    CROSS_CUTTING = "cross_cutting", _("Tværgående punkter")
    ALL = "all", _("Alle punkter")


class Kind(models.TextChoices):
    DRIFT = "drift", _("Driftsændring")
    RAADERUM = "raaderum", _("Råderumsforslag")
    ANLAEG = "anlaeg", _("Anlægsprojekt")
    HENSIGT = "hensigt", _("Hensigtserklæring")


# Section titles in the order the municipality reads the plan.
KIND_SECTION_TITLES = {
    Kind.DRIFT: _("Driftsændringer"),
    Kind.RAADERUM: _("Råderumsforslag"),
    Kind.ANLAEG: _("Anlægsprojekter"),
    Kind.HENSIGT: _("Hensigtserklæringer"),
}
KIND_ORDER: dict[str, int] = {kind: position for position, kind in enumerate(KIND_SECTION_TITLES)}


class ExtractRelation(models.TextChoices):
    """How an item comes to be in a committee's extract (each item counted once, first
    match): the committee's own item, another committee's that also concerns it, or a
    cross-cutting item of another committee."""

    OWN = "own", _("Eget punkt")
    ALSO = "also", _("Vedrører også udvalget")
    CROSS = "cross", _("Tværgående")


class Colour(models.TextChoices):
    GREEN = "green", _("Grøn")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Rød")


# The municipality's own wording of the traffic light (seed 001).
COLOUR_TEXTS = {
    Colour.GREEN: _("Følger planen – der er ikke behov for at zoome ind"),
    Colour.YELLOW: _("Der ses udfordringer, som kan give behov for at zoome ind"),
    Colour.RED: _("Der er behov for, at direktionen zoomer ind"),
}
COLOUR_SEVERITY: dict[str, int] = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}
# The print symbol of each colour (PDFs and the board report), so print never relies on
# colour alone.
COLOUR_SYMBOLS: dict[str, str] = {
    Colour.GREEN.value: "●",
    Colour.YELLOW.value: "◆",
    Colour.RED.value: "■",
}
# The filter and count key of an item without any status report.
NO_STATUS = "none"

# The order of an item's status reports: by month, and within a month by when they were
# written (a correction is a later record); the id breaks a tie of the same instant.
# `order_by(*LATEST_FIRST).first()` is the report that counts.
OLDEST_FIRST = ("period", "created_at", "id")
LATEST_FIRST = ("-period", "-created_at", "-id")


class RedReason(models.TextChoices):
    COORDINATION = "coordination", _("Behov for tværfaglig koordination eller opbakning")
    OBSTACLES = "obstacles", _("Brug for støtte til at fjerne forhindringer")
    STALLED = "stalled", _("Sagen er gået i stå")
    OTHER = "other", _("Andet")


class BudgetPlan(models.Model):
    slug = models.SlugField(_("budgetperiode"), max_length=20, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    first_year = models.PositiveIntegerField(_("første budgetår"))
    last_year = models.PositiveIntegerField(_("sidste budgetår"))
    case_number = models.CharField(_("sagsnummer"), max_length=40, blank=True)
    approved_on = models.DateField(_("godkendt den"), null=True, blank=True)
    state = models.CharField(
        _("tilstand"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    round_scope = models.CharField(
        _("månedlig status for"),
        max_length=20,
        choices=RoundScope.choices,
        default=RoundScope.CROSS_CUTTING,
        help_text=_(
            "Hvilke åbne punkter den månedlige statusrunde omfatter. De øvrige kan stadig "
            "få status efter behov, men tælles ikke med og rykkes ikke for."
        ),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("videreført fra"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year"]
        verbose_name = _("udmøntningsplan")
        verbose_name_plural = _("udmøntningsplaner")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year"))
                & Q(first_year__gte=2000)
                & Q(last_year__lte=F("first_year") + 9),
                name="plan_years_valid",
            ),
            models.CheckConstraint(
                condition=Q(state__in=PlanState.values), name="plan_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(round_scope__in=RoundScope.values), name="plan_round_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def is_archived(self) -> bool:
        return self.state == PlanState.ARCHIVED

    @property
    def has_round(self) -> bool:
        """Only an approved plan has a monthly status round: a draft is not adopted yet,
        an archived plan is a closed record."""
        return self.state == PlanState.APPROVED

    @classmethod
    def years_from_slug(cls, slug: str) -> tuple[int, int]:
        """'2025-2028' -> (2025, 2028); ValueError with a Danish message otherwise."""
        parts = slug.split("-")
        if len(parts) != 2 or not all(part.isdigit() and len(part) == 4 for part in parts):
            raise ValueError(f"«{slug}» er ikke en budgetperiode som 2025-2028.")
        first, last = int(parts[0]), int(parts[1])
        if not first <= last <= first + 9:
            raise ValueError(f"«{slug}» er ikke en gyldig budgetperiode.")
        return first, last


class Heading(models.Model):
    """A political heading that groups declarations of intent."""

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="headings", verbose_name=_("plan")
    )
    name = models.CharField(_("navn"), max_length=200)
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("hovedpunkt")
        verbose_name_plural = _("hovedpunkter")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="heading_unique_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """An overarching theme of the strategic plan (Økonomi, Klima, ...)."""

    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="themes", verbose_name=_("plan")
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("strategisk tema")
        verbose_name_plural = _("strategiske temaer")
        constraints = [
            # Case-insensitive, as the form checks it: "Klima" and "klima" sent at the same
            # moment cannot both pass.
            models.UniqueConstraint(Lower("name"), "plan", name="theme_unique_name_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


def latest_report_subquery(as_of: date | None = None) -> models.QuerySet[StatusReport]:
    reports = StatusReport.objects.filter(item=OuterRef("pk"))
    if as_of is not None:
        reports = reports.filter(period__lte=as_of)
    return reports.order_by(*LATEST_FIRST)


class ItemQuerySet(models.QuerySet["Item"]):
    def in_extract_for(self, committee: Committee) -> ItemQuerySet:
        """What belongs in a committee's extract: its own items, the items that also
        concern it, and every cross-cutting item."""
        return self.filter(
            Q(committee=committee) | Q(also_committees=committee) | Q(cross_cutting=True)
        ).distinct()

    def in_round(self) -> ItemQuerySet:
        """The items the monthly status round asks about, counts and reminds: the open
        (not completed) items of approved plans, cross-cutting ones only unless the plan's
        `round_scope` says all. The one definition of "in the round"."""
        return self.filter(plan__state=PlanState.APPROVED, completed=False).filter(
            Q(cross_cutting=True) | Q(plan__round_scope=RoundScope.ALL)
        )

    def in_round_ids(self) -> set[int]:
        """The ids of these items that are in the round (one query): only those can be
        "not reported"."""
        return set(self.in_round().values_list("pk", flat=True))

    def in_plan_order(self) -> ItemQuerySet:
        return self.order_by(
            models.Case(
                *[models.When(kind=kind, then=position) for kind, position in KIND_ORDER.items()],
                output_field=models.IntegerField(),
            ),
            F("heading__order").asc(nulls_first=True),
            "order",
            "number",
            "committee__order",
        )

    def with_status(self, as_of: date | None = None) -> ItemQuerySet:
        """Annotate the latest status report at or before the month `as_of`."""
        latest = latest_report_subquery(as_of)
        # OBS is the item's open OBS point at `as_of`, not a field of one report.
        open_points = ObsPoint.objects.filter(item=OuterRef("pk")).open_at(as_of)
        return self.annotate(
            status_id=Subquery(latest.values("id")[:1]),
            status_colour=Subquery(latest.values("colour")[:1]),
            status_period=Subquery(latest.values("period")[:1]),
            status_comment=Subquery(latest.values("comment")[:1]),
            status_obs=models.Exists(open_points),
            status_obs_text=Subquery(open_points.order_by("-month", "-id").values("text")[:1]),
        )

    def answered_by(self, user: Any) -> ItemQuerySet:
        """Items a person answers for: as responsible person, or as director of the
        owning committee's area."""
        return self.filter(
            Q(responsible=user)
            | Q(
                committee__memberships__user=user,
                committee__memberships__role=MembershipRole.DIRECTOR,
            )
        ).distinct()


NARRATIVE_FIELDS = ("course", "coordination", "commitment", "board_role")


class Item(models.Model):
    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("nummer"), max_length=20)
    title = models.CharField(_("emne"), max_length=500)
    description = models.TextField(_("beskrivelse"), blank=True)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="owned_items",
        verbose_name=_("fagudvalg"),
    )
    also_committees = models.ManyToManyField(
        Committee, blank=True, related_name="concerned_items", verbose_name=_("vedrører også")
    )
    heading = models.ForeignKey(
        Heading,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("hovedpunkt"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="items", verbose_name=_("strategiske temaer")
    )
    cross_cutting = models.BooleanField(_("tværgående"), default=False)
    markers = models.CharField(_("markering"), max_length=50, blank=True)
    timing = models.CharField(_("tidspunkt"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_items",
        verbose_name=_("ansvarlig"),
    )
    responsible_name = models.CharField(
        _("ansvarlig (navn)"),
        max_length=200,
        blank=True,
        help_text=_("Bruges når den ansvarlige ikke har en brugerkonto."),
    )
    # The item's narrative (seeds 000 and 004): plain texts, with history like the rest.
    course = models.TextField(_("kursen"), blank=True, help_text=_("Årets kurs for indsatsen."))
    coordination = models.TextField(
        _("koordinering"), blank=True, help_text=_("Proces og tværgående aspekter.")
    )
    commitment = models.TextField(_("commitment"), blank=True)
    board_role = models.TextField(_("Direktionens rolle"), blank=True)
    completed = models.BooleanField(_("afsluttet"), default=False)
    completed_on = models.DateField(_("afsluttet den"), null=True, blank=True)
    public = models.BooleanField(
        _("offentlig"), default=True, help_text=_("Ikke-offentlige punkter udelades i Åben sag.")
    )
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("videreført fra"),
    )
    # As the plan writes it ("AU marts 2025", "Indgår i driften"); read by plans.treatments.
    political_treatment = models.CharField(_("politisk behandling"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[also_committees])
    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "order", "number"]
        verbose_name = _("punkt")
        verbose_name_plural = _("punkter")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number", "committee"], name="item_unique_number_per_committee"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=Q(heading__isnull=True) | Q(kind=Kind.HENSIGT),
                name="item_heading_only_for_intent",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "kind", "order"], name="item_plan_kind_order"),
            models.Index(fields=["plan", "cross_cutting"], name="item_plan_cross_cutting"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def responsible_display(self) -> str:
        user = self.responsible if self.responsible_id else None
        if user is not None:
            return user.get_full_name() or user.get_username()
        return self.responsible_name

    def amounts_by_year(self) -> dict[int, Decimal]:
        """Every year of the plan, 0 where no figure is stored."""
        stored = {amount.year: amount.amount for amount in self.amounts.all()}
        return {year: stored.get(year, Decimal(0)) for year in self.plan.years}

    @transaction.atomic
    def set_amounts(self, amounts: dict[int, Decimal | int | float]) -> None:
        for year, value in amounts.items():
            ItemAmount.objects.update_or_create(
                item=self, year=year, defaults={"amount": Decimal(str(value))}
            )

    def latest_report(self, as_of: date | None = None) -> StatusReport | None:
        reports = self.reports.all()
        if as_of is not None:
            reports = reports.filter(period__lte=as_of)
        return reports.order_by(*LATEST_FIRST).first()

    def record_status(
        self,
        *,
        colour: str,
        comment: str = "",
        period: date | None = None,
        author: Any = None,
        red_reason: str = "",
        obs: bool = False,
        obs_text: str = "",
        carried_forward: bool = False,
        source: str = "web",
    ) -> StatusReport:
        """Insert a new status report; the history is never updated in place.

        `obs=True` also raises an OBS point on the item (unless one is open already):
        the point, not the report, carries the OBS from then on."""
        month = first_of_month(period) if period else current_month()
        with transaction.atomic():
            report = StatusReport.objects.create(
                item=self,
                period=month,
                colour=colour,
                # Cleaned on the way in too: Word's vertical tab pasted into a comment.
                comment=clean_text(comment),
                red_reason=red_reason,
                author=author if author is not None and author.is_authenticated else None,
                author_name=(author.get_full_name() or author.get_username()) if author else "",
                carried_forward=carried_forward,
                source=source,
            )
            if obs and not self.obs_points.open_at().exists():
                self.open_obs(
                    text=clean_text(obs_text) or str(_("OBS-punkt")),
                    author=author,
                    month=month,
                )
        return report

    def open_obs_point(self, as_of: date | None = None) -> ObsPoint | None:
        return self.obs_points.open_at(as_of).order_by("-month", "-id").first()

    def open_obs(self, *, text: str, author: Any, month: date, opened_at: Any = None) -> ObsPoint:
        """Raise an OBS point on the item; refused while one is open (ObsAlreadyOpen)."""
        with transaction.atomic():
            # One writer at a time per item: a double click opens one point.
            Item.objects.select_for_update().filter(pk=self.pk).values_list("pk").get()
            if self.obs_points.open_at().exists():
                raise ObsAlreadyOpen(self.number)
            return ObsPoint.objects.create(
                item=self,
                month=first_of_month(month),
                text=text,
                opened_by=author if author is not None and author.is_authenticated else None,
                opened_by_name=_person_name(author),
                opened_at=opened_at or timezone.now(),
            )


if TYPE_CHECKING:

    class ItemStatus(TypedDict):
        """What `ItemQuerySet.with_status` annotates: the latest report's fields, None
        where the item has no report yet."""

        status_id: int | None
        status_colour: str | None
        status_period: date | None
        status_comment: str | None
        status_obs: bool | None
        status_obs_text: str | None

    # An item from `with_status()`. mypy does not follow annotate() through the custom
    # queryset method, so code that reads the fields casts to QuerySet[ItemWithStatus].
    ItemWithStatus = WithAnnotations[Item, ItemStatus]


class ItemAmount(models.Model):
    """One figure per item per budget year, in 1.000 kr.; negative is a saving."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("punkt")
    )
    year = models.PositiveIntegerField(_("år"))
    amount = models.DecimalField(_("beløb (1.000 kr.)"), max_digits=14, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("beløb")
        verbose_name_plural = _("beløb")
        constraints = [
            models.UniqueConstraint(fields=["item", "year"], name="amount_unique_year_per_item"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2200), name="amount_year_sane"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} {self.year}: {self.amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The plan's years must hold for every amount, whatever path writes it.
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        plan = self.item.plan
        if not plan.first_year <= self.year <= plan.last_year:
            raise ValidationError(
                {
                    "year": _("%(year)s ligger uden for planens budgetår %(first)s-%(last)s.")
                    % {"year": self.year, "first": plan.first_year, "last": plan.last_year}
                }
            )


class InsertOnlyQuerySet(models.QuerySet[Any]):
    """Status reports and published reports are a record: never changed, never removed."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Denne historik kan ikke ændres.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Denne historik kan ikke slettes.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("Denne historik kan ikke ændres.")


class InsertOnlyModel(models.Model):
    objects = InsertOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Denne historik kan ikke ændres.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Denne historik kan ikke slettes.")


class ReportSource(models.TextChoices):
    WEB = "web", _("Web")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demo")


class StatusReport(InsertOnlyModel):
    """One monthly report on an item. A correction is a new record, never an update."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="reports", verbose_name=_("punkt")
    )
    period = models.DateField(_("måned"), help_text=_("Den første dag i måneden."))
    colour = models.CharField(_("farve"), max_length=10, choices=Colour.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    red_reason = models.CharField(
        _("årsag til rød"), max_length=20, choices=RedReason.choices, blank=True
    )
    obs = models.BooleanField(_("OBS-punkt"), default=False)
    obs_text = models.TextField(_("OBS-tekst"), blank=True)
    carried_forward = models.BooleanField(_("uændret siden sidste måned"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("forfatter"),
    )
    author_name = models.CharField(_("forfatter (navn)"), max_length=200, blank=True)
    source = models.CharField(
        _("kilde"), max_length=10, choices=ReportSource.choices, default=ReportSource.WEB
    )
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["item", *OLDEST_FIRST]
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__in=Colour.values), name="report_colour_valid"
            ),
            models.CheckConstraint(
                condition=Q(red_reason__in=[*RedReason.values, ""]),
                name="report_red_reason_valid",
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="report_period_first_of_month"),
        ]
        indexes = [
            # The latest report of an item as of a month, read backwards from the index
            # (period, time, id: the order latest_report_subquery asks for), so the
            # planner never prefers hashing the whole table (PostgreSQL did at 1,600 items).
            models.Index(fields=["item", *OLDEST_FIRST], name="report_item_latest"),
            models.Index(fields=["period", "colour"], name="report_period_colour"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} {self.period:%Y-%m}: {self.get_colour_display()}"

    @property
    def colour_text(self) -> str:
        return str(COLOUR_TEXTS[Colour(self.colour)])


class ObsAlreadyOpen(Exception):
    """The item already has an open OBS point; follow that one up instead."""


class ObsAlreadyClosed(Exception):
    """The OBS point was closed (perhaps by someone else a moment ago)."""


def _person_name(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.get_full_name() or user.get_username())


class ObsPointQuerySet(InsertOnlyQuerySet):
    def open_at(self, month: date | None = None) -> ObsPointQuerySet:
        """The points open in `month`: opened in or before it and not closed by then
        (None: open now, whatever their months)."""
        closed = ObsEvent.objects.filter(point=OuterRef("pk"), kind=ObsEventKind.CLOSED)
        points = self
        if month is not None:
            points = points.filter(month__lte=month)
            closed = closed.filter(month__lte=month)
        return points.exclude(models.Exists(closed))


ObsPointManager = models.Manager.from_queryset(ObsPointQuerySet)


class ObsPoint(InsertOnlyModel):
    """An OBS point on an item: raised by a director or the economy chief, open month
    after month through every status until it is closed with a reason. The point is
    never changed; what happens to it is its insert-only list of events."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="obs_points", verbose_name=_("punkt")
    )
    month = models.DateField(_("måned"), help_text=_("Måneden OBS-punktet blev rejst."))
    text = models.TextField(_("OBS-tekst"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejst af"),
    )
    opened_by_name = models.CharField(_("rejst af (navn)"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("rejst"), default=timezone.now)

    objects: ClassVar[ObsPointManager] = ObsPointManager()

    class Meta:
        ordering = ["item", "month", "opened_at", "id"]
        verbose_name = _("OBS-punkt")
        verbose_name_plural = _("OBS-punkter")
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="obs_month_first_of_month"),
        ]
        indexes = [models.Index(fields=["item", "month"], name="obs_item_month")]

    def __str__(self) -> str:
        return f"OBS {self.item.number} {self.month:%Y-%m}"

    @property
    def is_open(self) -> bool:
        """Open now (reads prefetched events when there are any)."""
        return not any(event.kind == ObsEventKind.CLOSED for event in self.events.all())

    def follow_up(
        self,
        *,
        text: str,
        author: Any,
        month: date,
        follow_up_by: str = "",
        due: date | None = None,
    ) -> ObsEvent:
        """The board's decision or follow-up: what, who follows up, by when."""
        return self._add_event(
            ObsEventKind.DECISION,
            text=text,
            author=author,
            month=month,
            follow_up_by=follow_up_by,
            due=due,
        )

    def close(self, *, reason: str, author: Any, month: date) -> ObsEvent:
        return self._add_event(ObsEventKind.CLOSED, text=reason, author=author, month=month)

    def _add_event(
        self, kind: str, *, text: str, author: Any, month: date, **extra: Any
    ) -> ObsEvent:
        with transaction.atomic():
            # One writer at a time per point: a double click closes it once.
            ObsPoint.objects.select_for_update().filter(pk=self.pk).values_list("pk").get()
            if self.events.filter(kind=ObsEventKind.CLOSED).exists():
                raise ObsAlreadyClosed(str(self))
            return ObsEvent.objects.create(
                point=self,
                kind=kind,
                month=max(first_of_month(month), self.month),
                text=text,
                author=author if author is not None and author.is_authenticated else None,
                author_name=_person_name(author),
                **extra,
            )


class ObsEventKind(models.TextChoices):
    DECISION = "decision", _("Beslutning / opfølgning")
    CLOSED = "closed", _("Lukket")


class ObsEvent(InsertOnlyModel):
    """Something that happened to an OBS point: a decision or follow-up, or its closing."""

    point = models.ForeignKey(
        ObsPoint, on_delete=models.PROTECT, related_name="events", verbose_name=_("OBS-punkt")
    )
    kind = models.CharField(_("hændelse"), max_length=10, choices=ObsEventKind.choices)
    month = models.DateField(_("måned"))
    text = models.TextField(_("tekst"))
    follow_up_by = models.CharField(_("følges op af"), max_length=200, blank=True)
    due = models.DateField(_("senest"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("af"),
    )
    author_name = models.CharField(_("af (navn)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        ordering = ["point", "created_at", "id"]
        verbose_name = _("OBS-hændelse")
        verbose_name_plural = _("OBS-hændelser")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ObsEventKind.values), name="obs_event_kind_valid"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="obs_event_month_first"),
            # Closed once: a second closing can never be stored.
            models.UniqueConstraint(
                fields=["point"], condition=Q(kind="closed"), name="obs_closed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.point}"


class PublishedReportKind(models.TextChoices):
    BOARD = "board", _("Statusrapport til direktionen")
    STRATEGIC = "strategic", _("Strategisk udmøntningsplan")
    EXTRACT = "extract", _("Udsnit til udvalgsmøde")


class PublishConflict(Exception):
    """The meeting already has an edition the publisher has not chosen to replace."""

    def __init__(self, current: PublishedReport) -> None:
        super().__init__(f"Udgave {current.pk} findes allerede til mødet")
        self.current = current


class PublishedReportQuerySet(InsertOnlyQuerySet):
    def current_for(
        self, plan: BudgetPlan, kind: str, meeting_date: date
    ) -> PublishedReport | None:
        """The newest edition published for the meeting, if any."""
        return (
            self.filter(plan=plan, kind=kind, meeting_date=meeting_date)
            .select_related("published_by")
            .defer("pdf")
            .order_by("-published_at", "-id")
            .first()
        )

    def publish(
        self,
        *,
        plan: BudgetPlan,
        kind: str,
        period: date,
        meeting_date: date,
        pdf: bytes,
        published_by: Any,
        token: str = "",
        replaces: PublishedReport | None = None,
    ) -> PublishedReport:
        """Keep a report as it is taken to a meeting, once.

        The same one-time `token` (a double click, a resent form) returns the edition it
        already published. A meeting that has an edition gets a new one only when the
        publisher replaces that very edition (`replaces`); otherwise PublishConflict.
        The plan's row is locked, so two publishers run one after the other."""
        with transaction.atomic():
            BudgetPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
            if token:
                done = self.filter(token=token).defer("pdf").first()
                if done is not None:
                    return done
            current = self.current_for(plan, kind, meeting_date)
            if current is not None and (replaces is None or replaces.pk != current.pk):
                raise PublishConflict(current)
            return self.create(
                plan=plan,
                kind=kind,
                period=period,
                meeting_date=meeting_date,
                pdf=pdf,
                published_by=published_by,
                token=token or None,
                replaces=current,
            )

    def publish_once(
        self,
        *,
        plan: BudgetPlan,
        kind: str,
        period: date,
        meeting_date: date,
        published_by: Any,
        token: str,
        replaces_id: int | None,
        render: Callable[[str], bytes],
    ) -> tuple[PublishedReport, bool]:
        """What every "Udgiv" does: the edition this one-time `token` already published (a
        double click) with False, or a new one rendered by `render` (given the "Erstatter
        udgaven af ..." line) with True. A meeting that has an edition gets a new one only
        when the publisher confirmed replacing that edition (`replaces_id`); otherwise
        PublishConflict names the edition to ask about."""
        if token:
            done = self.filter(token=token).defer("pdf").first()
            if done is not None:
                return done, False
        current = self.current_for(plan, kind, meeting_date)
        if current is not None and replaces_id != current.pk:
            raise PublishConflict(current)
        published = self.publish(
            plan=plan,
            kind=kind,
            period=period,
            meeting_date=meeting_date,
            pdf=render(replaces_text(current)),
            published_by=published_by,
            token=token,
            replaces=current,
        )
        return published, True


PublishedReportManager = models.Manager.from_queryset(PublishedReportQuerySet)


class PublishedReport(InsertOnlyModel):
    """A report as it was taken to a meeting: the PDF bytes, kept unchanged."""

    plan = models.ForeignKey(
        BudgetPlan,
        on_delete=models.PROTECT,
        related_name="published_reports",
        verbose_name=_("plan"),
    )
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=PublishedReportKind.choices,
        default=PublishedReportKind.BOARD,
    )
    period = models.DateField(_("måned"))
    meeting_date = models.DateField(_("mødedato"))
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("udgivet af"),
    )
    published_at = models.DateTimeField(_("udgivet"), default=timezone.now)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("erstatter"),
    )
    # The publish form's one-time token: a second POST of the same form publishes nothing.
    token = models.CharField(_("engangsnøgle"), max_length=64, null=True, blank=True, unique=True)

    objects: ClassVar[PublishedReportManager] = PublishedReportManager()

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("udgivet rapport")
        verbose_name_plural = _("udgivne rapporter")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PublishedReportKind.values), name="published_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period:%Y-%m} ({self.meeting_date:%d-%m-%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sha256 = hashlib.sha256(bytes(self.pdf)).hexdigest()
        super().save(*args, **kwargs)

    @property
    def edition_label(self) -> str:
        """'12-03-2025 kl. 14:05 (Bettina Andersen)': how a later edition names this one."""
        when = timezone.localtime(self.published_at).strftime("%d-%m-%Y kl. %H:%M")
        by = _person_name(self.published_by) if self.published_by_id else ""
        return f"{when} ({by})" if by else when


def replaces_text(edition: PublishedReport | None) -> str:
    if edition is None:
        return ""
    return str(_("Erstatter udgaven af %(edition)s.") % {"edition": edition.edition_label})


class ReadTokenQuerySet(models.QuerySet["ReadToken"]):
    def usable(self) -> ReadTokenQuerySet:
        """Tokens that open the feeds now: not revoked, not expired, and their creator still
        an active user (a token stops working when the person who made it leaves)."""
        now = timezone.now()
        return self.filter(revoked=False, created_by__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ReadToken(models.Model):
    """A read-only token for the JSON export and the iCal feed (BI tools, calendars)."""

    name = models.CharField(_("navn"), max_length=100)
    key_hash = models.CharField(_("nøgle (SHA-256)"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    revoked = models.BooleanField(_("tilbagekaldt"), default=False)
    expires_at = models.DateTimeField(
        _("udløber"),
        null=True,
        blank=True,
        help_text=_("Tomt: nøglen udløber ikke. Efter tidspunktet virker nøglen ikke længere."),
    )

    objects = ReadTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("læsenøgle")
        verbose_name_plural = _("læsenøgler")

    def __str__(self) -> str:
        return self.name


class ReminderSent(models.Model):
    """One status reminder e-mailed to a person for a plan's month on a reminder day
    (`day`: days before the deadline). The unique constraint makes a second run of
    `send_status_reminders` on the same day send nothing, also from two cron hosts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("modtager"),
    )
    plan = models.ForeignKey(
        BudgetPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan")
    )
    period = models.DateField(_("måned"))
    day = models.PositiveSmallIntegerField(_("dage før fristen"))
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sendt påmindelse")
        verbose_name_plural = _("sendte påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "period", "day"], name="reminder_once_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period:%Y-%m} ({self.day})"


PENDING_IMPORT_LIFETIME = timedelta(days=1)


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def expired(self) -> PendingImportQuerySet:
        return self.filter(created_at__lt=timezone.now() - PENDING_IMPORT_LIFETIME)

    def current(self) -> PendingImportQuerySet:
        return self.filter(created_at__gte=timezone.now() - PENDING_IMPORT_LIFETIME)

    def clear_expired(self) -> int:
        """Removes the uploads nobody confirmed within a day; returns how many."""
        count, _by_model = self.expired().delete()
        return count


class PendingImport(models.Model):
    """An uploaded workbook kept between its preview and the administrator's confirmation,
    for at most a day (`PENDING_IMPORT_LIFETIME`)."""

    plan_slug = models.CharField(_("budgetperiode"), max_length=20)
    filename = models.CharField(_("filnavn"), max_length=255)
    content = models.BinaryField(_("indhold"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploadet af"),
    )
    created_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("afventende import")
        verbose_name_plural = _("afventende importer")

    def __str__(self) -> str:
        return f"{self.filename} → {self.plan_slug}"
