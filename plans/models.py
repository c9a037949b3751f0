"""The plan, its items, amounts per year and the insert-only status history."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.models import Committee, MembershipRole
from plans.months import current_month, first_of_month

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    APPROVED = "approved", _("Godkendt")
    ARCHIVED = "archived", _("Arkiveret")


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
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def is_archived(self) -> bool:
        return self.state == PlanState.ARCHIVED

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
            models.UniqueConstraint(fields=["plan", "name"], name="theme_unique_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


def latest_report_subquery(as_of: date | None = None) -> models.QuerySet[StatusReport]:
    reports = StatusReport.objects.filter(item=OuterRef("pk"))
    if as_of is not None:
        reports = reports.filter(period__lte=as_of)
    return reports.order_by("-period", "-created_at", "-id")


class ItemQuerySet(models.QuerySet["Item"]):
    def in_extract_for(self, committee: Committee) -> ItemQuerySet:
        """What belongs in a committee's extract: its own items, the items that also
        concern it, and every cross-cutting item."""
        return self.filter(
            Q(committee=committee) | Q(also_committees=committee) | Q(cross_cutting=True)
        ).distinct()

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
        return self.annotate(
            status_id=Subquery(latest.values("id")[:1]),
            status_colour=Subquery(latest.values("colour")[:1]),
            status_period=Subquery(latest.values("period")[:1]),
            status_comment=Subquery(latest.values("comment")[:1]),
            status_obs=Subquery(latest.values("obs")[:1]),
            status_obs_text=Subquery(latest.values("obs_text")[:1]),
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
        return reports.order_by("-period", "-created_at", "-id").first()

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
        """Insert a new status report; the history is never updated in place."""
        return StatusReport.objects.create(
            item=self,
            period=first_of_month(period) if period else current_month(),
            colour=colour,
            comment=comment,
            red_reason=red_reason,
            obs=obs,
            obs_text=obs_text,
            author=author if author is not None and author.is_authenticated else None,
            author_name=(author.get_full_name() or author.get_username()) if author else "",
            carried_forward=carried_forward,
            source=source,
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
        ordering = ["item", "period", "created_at", "id"]
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
            models.Index(fields=["item", "period", "created_at", "id"], name="report_item_latest"),
            models.Index(fields=["period", "colour"], name="report_period_colour"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} {self.period:%Y-%m}: {self.get_colour_display()}"

    @property
    def colour_text(self) -> str:
        return str(COLOUR_TEXTS[Colour(self.colour)])


class PublishedReportKind(models.TextChoices):
    BOARD = "board", _("Statusrapport til direktionen")
    STRATEGIC = "strategic", _("Strategisk udmøntningsplan")
    EXTRACT = "extract", _("Udsnit til udvalgsmøde")


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


class ReadToken(models.Model):
    """A read-only token for the JSON export, for the municipality's BI tools."""

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

    class Meta:
        verbose_name = _("læsenøgle")
        verbose_name_plural = _("læsenøgler")

    def __str__(self) -> str:
        return self.name


class PendingImport(models.Model):
    """An uploaded workbook kept between its preview and the administrator's confirmation."""

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

    class Meta:
        verbose_name = _("afventende import")
        verbose_name_plural = _("afventende importer")

    def __str__(self) -> str:
        return f"{self.filename} → {self.plan_slug}"
