"""Committees, who belongs to them, their meetings and their remarks on items."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CommitteeKind(models.TextChoices):
    POLITICAL = "political", _("Politisk udvalg")
    ADMINISTRATIVE = "administrative", _("Administrativt organ")


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("godkendes")
    NOTE = "note", _("tages til efterretning")


class CommitteeQuerySet(models.QuerySet["Committee"]):
    def by_code(self, code: str) -> Committee | None:
        """Look a committee up by code or full name, ignoring case and spaces."""
        wanted = " ".join(str(code).split()).casefold()
        for committee in self:
            if wanted in (committee.code.casefold(), committee.name.casefold()):
                return committee
        return None


class Committee(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200, unique=True)
    kind = models.CharField(
        _("type"), max_length=20, choices=CommitteeKind.choices, default=CommitteeKind.POLITICAL
    )
    recommendation = models.CharField(
        _("indstilling"),
        max_length=10,
        choices=Recommendation.choices,
        blank=True,
        help_text=_(
            "Tom: politiske udvalg godkender, administrative organer tager til efterretning."
        ),
    )
    order = models.PositiveIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()
    objects = CommitteeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("udvalg")
        verbose_name_plural = _("udvalg")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CommitteeKind.values), name="committee_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(recommendation__in=[*Recommendation.values, ""]),
                name="committee_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def effective_recommendation(self) -> str:
        if self.recommendation:
            return self.recommendation
        if self.kind == CommitteeKind.POLITICAL:
            return Recommendation.APPROVE
        return Recommendation.NOTE


class MembershipRole(models.TextChoices):
    DIRECTOR = "director", _("Direktør for området")
    HEAD = "head", _("Fagchef")
    SECRETARY = "secretary", _("Udvalgssekretær")


class Membership(models.Model):
    """A person's role towards one committee: the director of its area, a head of
    department in it, or its secretary."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("bruger"),
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("udvalg")
    )
    role = models.CharField(_("rolle"), max_length=20, choices=MembershipRole.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilknytning")
        verbose_name_plural = _("tilknytninger")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "committee", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.committee.code} ({self.get_role_display()})"


# Meetings fall within the plan's years, give or take two (approval meetings come the
# autumn before, follow-up after); anything else is a typing mistake such as 9999-12-31.
MEETING_YEARS_MARGIN = 2


def meeting_date_range(plan: Any) -> tuple[date, date]:
    return (
        date(plan.first_year - MEETING_YEARS_MARGIN, 1, 1),
        date(plan.last_year + MEETING_YEARS_MARGIN, 12, 31),
    )


def validate_meeting_date(plan: Any, day: date | None) -> None:
    """Raise a Danish ValidationError for a meeting date outside the plan's range."""
    if day is None:
        return
    first, last = meeting_date_range(plan)
    if not first <= day <= last:
        raise ValidationError(
            _("Mødedatoen skal ligge mellem %(first)s og %(last)s (planens år ± %(margin)d).")
            % {
                "first": f"{first:%d-%m-%Y}",
                "last": f"{last:%d-%m-%Y}",
                "margin": MEETING_YEARS_MARGIN,
            },
            code="meeting_date_range",
        )


DUPLICATE_MEETING_MESSAGE = _(
    "%(body)s har allerede et møde den %(date)s. Ret det møde i stedet, eller vælg en anden dato."
)


class Meeting(models.Model):
    """A meeting of a committee or of the board, with the attachments made as of its date."""

    plan = models.ForeignKey(
        "plans.BudgetPlan",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("plan"),
    )
    body = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("udvalg/organ")
    )
    date = models.DateField(_("dato"))
    title = models.CharField(_("dagsordenspunkt"), max_length=300)
    case_number = models.CharField(_("sagsnummer"), max_length=40, blank=True)
    focus_theme = models.ForeignKey(
        "plans.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fokusområde (tema)"),
    )
    focus_committee = models.ForeignKey(
        Committee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fokusområde (udvalg)"),
    )
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("inviterede fagchefer"),
    )
    agenda_text = models.TextField(_("dagsordenstekst"), blank=True)
    # The attachment as it went to the meeting ("Udgiv til mødet"): stored bytes, never
    # rebuilt. Empty until published; until then the attachment is a preview.
    attachment = models.OneToOneField(
        "plans.PublishedReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting",
        verbose_name=_("udgivet bilag"),
    )
    # Who changed or deleted a meeting, and what it said before.
    history = HistoricalRecords(m2m_fields=[invited])

    class Meta:
        ordering = ["date", "body__order"]
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        indexes = [models.Index(fields=["plan", "date"], name="meeting_plan_date")]
        constraints = [
            # One meeting per body and day: a double submit must not make two.
            models.UniqueConstraint(
                fields=["plan", "body", "date"], name="meeting_one_per_body_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body.code} {self.date:%d-%m-%Y}: {self.title}"

    def clean(self) -> None:
        if self.plan_id is not None:
            validate_meeting_date(self.plan, self.date)

    def duplicate_message(self) -> str:
        return str(DUPLICATE_MEETING_MESSAGE) % {
            "body": self.body.name,
            "date": f"{self.date:%d-%m-%Y}",
        }

    def has_duplicate(self) -> bool:
        """Another meeting of the same body on the same day in the same plan."""
        return (
            Meeting.objects.filter(plan_id=self.plan_id, body_id=self.body_id, date=self.date)
            .exclude(pk=self.pk)
            .exists()
        )


class CommitteeNote(models.Model):
    """A remark a committee made on an item, e.g. "Ad. 307. Udvalget ønsker ..."."""

    item = models.ForeignKey(
        "plans.Item", on_delete=models.CASCADE, related_name="notes", verbose_name=_("punkt")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="notes", verbose_name=_("udvalg")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("møde"),
    )
    date = models.DateField(_("dato"))
    text = models.TextField(_("bemærkning"))
    public = models.BooleanField(_("offentlig"), default=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("udvalgsbemærkning")
        verbose_name_plural = _("udvalgsbemærkninger")

    def __str__(self) -> str:
        return f"{self.committee.code} {self.date:%d-%m-%Y}: {self.text[:60]}"


class AgendaTemplate(models.Model):
    """The municipality's standard wording of the yearly agenda item around the extract."""

    name = models.CharField(_("navn"), max_length=100, default="Standard")
    # One standard text per kind of body: the committees' item, the board's item.
    kind = models.CharField(
        _("type organ"),
        max_length=20,
        choices=CommitteeKind.choices,
        default=CommitteeKind.POLITICAL,
    )
    text = models.TextField(_("tekst"))
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    class Meta:
        verbose_name = _("skabelon til dagsordenstekst")
        verbose_name_plural = _("skabeloner til dagsordenstekst")
        constraints = [
            models.UniqueConstraint(fields=["kind"], name="agenda_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return self.name
