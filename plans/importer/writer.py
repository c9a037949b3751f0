"""Put a read workbook into a plan: the preview (dry run) and the import itself.

Both run the same comparison, so confirming imports exactly what the preview showed.
Items are matched by number and owning committee; unchanged items are not written,
so importing the same workbook twice changes nothing. The import is one transaction:
any problem that stops it leaves the database as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee
from plans.formatting import danish_number
from plans.importer.reader import (
    FIELD_LABELS,
    KIND_LABELS,
    ParsedItem,
    ParseResult,
    Problem,
    read_workbook,
)
from plans.models import (
    KIND_ORDER,
    BudgetPlan,
    Heading,
    Item,
    ItemAmount,
    ReportSource,
    StatusReport,
    latest_report_subquery,
)
from plans.months import current_month, month_label

COLOUR_WORDS = {
    "green": gettext_lazy("Grøn"),
    "yellow": gettext_lazy("Gul"),
    "red": gettext_lazy("Rød"),
}


class ImportRefused(Exception):
    """The workbook has problems that stop the import; nothing was saved."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(
            _("Importen er stoppet: %(problems)s")
            % {"problems": "; ".join(str(p) for p in preview.fatal)}
        )
        self.preview = preview


@dataclass
class PlanTarget:
    """The plan to import into: an existing plan, or one to create on import."""

    slug: str
    title: str
    first_year: int
    last_year: int
    plan: BudgetPlan | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @classmethod
    def existing(cls, plan: BudgetPlan) -> PlanTarget:
        return cls(plan.slug, plan.title, plan.first_year, plan.last_year, plan)

    @classmethod
    def new(cls, slug: str, title: str = "") -> PlanTarget:
        """Raises ValueError (Danish message) when the slug is not a budget period."""
        first, last = BudgetPlan.years_from_slug(slug)
        default = _("Udmøntningsplan %(period)s") % {"period": slug}
        return cls(slug, title.strip() or default, first, last)


@dataclass
class _Change:
    parsed: ParsedItem
    action: str  # "created", "updated", "unchanged"
    existing: Item | None
    fields: dict[str, Any]
    changed_fields: list[str]
    also_codes: list[str]
    also_changed: bool
    amounts: dict[int, Decimal]
    changed_years: list[int]
    record_status: bool
    order: int
    stored_amounts: dict[int, Decimal] = field(default_factory=dict)
    stored_also: list[str] = field(default_factory=list)

    def differences(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for every changed field, amount and committee: what the
        preview shows for a changed item."""
        if self.action != "updated" or self.existing is None:
            return []
        item = self.existing
        rows: list[tuple[str, str, str]] = []
        for name in self.changed_fields:
            if name == "heading":
                before = item.heading.name if item.heading else ""
                rows.append((str(FIELD_LABELS["heading"]), before, self.parsed.heading))
            elif name in ("responsible_id", "responsible_name"):
                label = str(FIELD_LABELS["responsible"])
                if not any(row[0] == label for row in rows):
                    before = item.responsible_display or ""
                    rows.append((label, before, self.parsed.responsible))
            else:
                before, after = getattr(item, name), self.fields[name]
                rows.append((str(FIELD_LABELS.get(name, name)), _shown(before), _shown(after)))
        for year in self.changed_years:
            before_amount = self.stored_amounts.get(year, Decimal(0))
            rows.append(
                (str(year), danish_number(before_amount), danish_number(self.amounts[year]))
            )
        if self.also_changed:
            before = ", ".join(sorted(self.stored_also))
            rows.append((_("Vedrører også"), before, ", ".join(sorted(self.also_codes))))
        return rows


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, str) and value in KIND_LABELS:
        return str(KIND_LABELS[value])
    text = str(value or "")
    return text if len(text) <= 120 else text[:117] + "…"


@dataclass
class PreviewRow:
    kind: str
    kind_label: str
    committee: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportPreview:
    plan_slug: str
    plan_title: str
    plan_exists: bool
    parse: ParseResult
    problems: list[Problem] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    statuses: int = 0
    headings_created: list[str] = field(default_factory=list)
    kept: int = 0
    period_label: str = ""
    changes: list[_Change] = field(default_factory=list, repr=False)
    applied: bool = False
    # Items whose workbook colour would be recorded in a month a director already
    # reported for (their numbers, as written).
    over_reports: list[str] = field(default_factory=list)

    @property
    def unknown_committees(self) -> list[tuple[str, int]]:
        """Committees the workbook names that do not exist: (text, rows naming it)."""
        return [(name, len(rows)) for name, rows in self.parse.unknown_committees.items()]

    @property
    def listed_changes(self) -> list[_Change]:
        """The new and changed items, for the preview's list."""
        return [change for change in self.changes if change.action != "unchanged"]

    @property
    def fatal(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.fatal]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.fatal]

    @property
    def ok(self) -> bool:
        return not self.fatal

    @property
    def ignored_columns(self) -> list[Any]:
        return self.parse.ignored_columns

    @property
    def totals(self) -> PreviewRow:
        total = PreviewRow("", _("I alt"), "")
        for row in self.rows:
            total.created += row.created
            total.updated += row.updated
            total.unchanged += row.unchanged
        return total

    def as_text(self) -> str:
        """The preview as the management command prints it."""
        lines = []
        state = _("findes") if self.plan_exists else _("oprettes ved import")
        lines.append(
            _("Plan: %(slug)s – %(title)s (%(state)s)")
            % {"slug": self.plan_slug, "title": self.plan_title, "state": state}
        )
        if self.rows:
            lines.append("")
            lines.append(
                f"{_('Type'):<22}{_('Udvalg'):<10}{_('Nye'):>6}{_('Ændrede'):>9}{_('Uændrede'):>10}"
            )
            for row in [*self.rows, self.totals]:
                lines.append(
                    f"{row.kind_label!s:<22}{row.committee:<10}{row.created:>6}{row.updated:>9}"
                    f"{row.unchanged:>10}"
                )
        if self.headings_created:
            lines.append("")
            lines.append(
                _("Nye hovedpunkter: %(headings)s") % {"headings": ", ".join(self.headings_created)}
            )
        if self.statuses:
            lines.append(
                _("Nye statusser for %(month)s: %(count)s")
                % {"month": self.period_label, "count": self.statuses}
            )
        if self.kept:
            lines.append(
                _("Punkter i planen, som ikke står i projektmappen (bevares uændret): %(count)s")
                % {"count": self.kept}
            )
        if self.parse.ignored_columns:
            lines.append("")
            lines.append(_("Ignorerede kolonner:"))
            lines.extend(f"  {column}" for column in self.parse.ignored_columns)
        if self.problems:
            lines.append("")
            lines.append(_("Problemer:"))
            lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


# The item's optional fields and the column each is read from. A sheet without the column
# leaves the field of an item already in the plan as it is: a thinner workbook (no
# «Tværgående» or «Afsluttet» column) must not clear what the plan holds.
_OPTIONAL_COLUMNS = {
    "description": "description",
    "cross_cutting": "cross_cutting",
    "markers": "markers",
    "timing": "timing",
    "completed": "completed",
    "responsible_id": "responsible",
    "responsible_name": "responsible",
}


def _users_by_full_name() -> dict[str, int]:
    """Full name (any case) to user id, leaving out names two users share."""
    found: dict[str, int | None] = {}
    for pk, first, last in (
        get_user_model().objects.filter(is_active=True).values_list("pk", "first_name", "last_name")
    ):
        name = " ".join(f"{first} {last}".split()).casefold()
        if name:
            found[name] = None if name in found else pk
    return {name: pk for name, pk in found.items() if pk is not None}


def _compare(
    parse: ParseResult,
    target: PlanTarget,
    committees: dict[str, Committee],
) -> ImportPreview:
    preview = ImportPreview(
        plan_slug=target.slug,
        plan_title=target.title,
        plan_exists=target.plan is not None,
        parse=parse,
        problems=list(parse.problems),
        period_label=month_label(current_month()),
    )
    if target.plan is not None and target.plan.is_archived:
        preview.problems.append(
            Problem("", None, "", _("Planen er arkiveret og kan ikke ændres ved en import."))
        )
    plan_years = set(target.years)
    outside = [year for year in parse.years if year not in plan_years]
    for year in outside:
        has_figures = any(item.amounts.get(year) for item in parse.items)
        preview.problems.append(
            Problem(
                "",
                None,
                str(year),
                _("Projektmappen har beløb for %(year)s, men planen dækker %(first)s-%(last)s.")
                % {"year": year, "first": target.first_year, "last": target.last_year}
                if has_figures
                else _("Kolonnen for %(year)s ligger uden for planens budgetår og ignoreres.")
                % {"year": year},
                fatal=has_figures,
            )
        )
    for sheet, sheet_years in parse.sheet_years.items():
        for year in sorted(plan_years - set(sheet_years)):
            preview.problems.append(
                Problem(
                    sheet,
                    None,
                    "",
                    _(
                        "Arket har ingen beløbskolonne for %(year)s (kolonner for %(columns)s); "
                        "nye punkter får 0 for %(year)s, og punkter, der allerede står i planen, "
                        "beholder deres beløb for %(year)s."
                    )
                    % {
                        "year": year,
                        "columns": ", ".join(
                            _("%(year)s i %(column)s") % {"year": y, "column": letter}
                            for y, letter in sheet_years.items()
                        ),
                    },
                    fatal=False,
                )
            )
    if preview.fatal:
        return preview

    existing: dict[tuple[str, str], Item] = {}
    directors_reported: set[int] = set()
    stored_amounts: dict[int, dict[int, Decimal]] = {}
    stored_also: dict[int, list[str]] = {}
    headings: dict[str, Heading] = {}
    reported: set[tuple[int, str, str]] = set()
    period = current_month()
    if target.plan is not None:
        items = Item.objects.filter(plan=target.plan).select_related("committee", "heading")
        existing = {(item.number, item.committee.code): item for item in items}
        # Plain tuples rather than prefetched instances: this is the hot loop of a
        # re-import, where every item is compared and few are written.
        for item_id, year, value in ItemAmount.objects.filter(item__plan=target.plan).values_list(
            "item_id", "year", "amount"
        ):
            stored_amounts.setdefault(item_id, {})[year] = value
        codes = {committee.pk: code for code, committee in committees.items()}
        for item_id, committee_id in Item.also_committees.through.objects.filter(
            item__plan=target.plan
        ).values_list("item_id", "committee_id"):
            stored_also.setdefault(item_id, []).append(codes.get(committee_id, ""))
        headings = {heading.name: heading for heading in target.plan.headings.all()}
        # A colour is recorded once: not when this month already has the same report,
        # nor when it only repeats the item's latest report (an exported workbook).
        reported = set(
            StatusReport.objects.filter(item__plan=target.plan, period=period).values_list(
                "item_id", "colour", "comment"
            )
        )
        directors_reported = set(
            StatusReport.objects.filter(item__plan=target.plan, period=period)
            .exclude(source=ReportSource.IMPORT)
            .values_list("item_id", flat=True)
        )
        latest = latest_report_subquery()
        reported.update(
            (pk, colour, comment or "")
            for pk, colour, comment in Item.objects.filter(plan=target.plan)
            .annotate(
                latest_colour=Subquery(latest.values("colour")[:1]),
                latest_comment=Subquery(latest.values("comment")[:1]),
            )
            .filter(latest_colour__isnull=False)
            .values_list("pk", "latest_colour", "latest_comment")
        )
    users = _users_by_full_name()
    counts: dict[tuple[str, str], Counter[str]] = {}
    matched: set[int] = set()

    for order, parsed in enumerate(parse.items, start=1):
        responsible_id = users.get(" ".join(parsed.responsible.split()).casefold())
        wanted = {
            "kind": parsed.kind,
            "title": parsed.title,
            "description": parsed.description,
            "cross_cutting": parsed.cross_cutting,
            "markers": parsed.markers,
            "timing": parsed.timing,
            "completed": parsed.completed,
            "responsible_id": responsible_id,
            "responsible_name": "" if responsible_id else parsed.responsible,
            **{name: getattr(parsed, name) for name in parsed.narrative_columns},
        }
        if parsed.political_treatment is not None:  # a workbook without the column keeps it
            wanted["political_treatment"] = parsed.political_treatment[:500]
        heading_name = parsed.heading if parsed.kind == "hensigt" else ""
        if (
            heading_name
            and heading_name not in headings
            and (heading_name not in preview.headings_created)
        ):
            preview.headings_created.append(heading_name)
        also_codes = [code for code in parsed.committee_codes[1:]]
        amounts = {year: value for year, value in parsed.amounts.items() if year in plan_years}
        item = existing.get((parsed.number, parsed.committee))
        if item is None:
            change = _Change(
                parsed,
                "created",
                None,
                wanted,
                [],
                also_codes,
                bool(also_codes),
                amounts,
                sorted(amounts),
                bool(parsed.status_colour),
                order,
            )
        else:
            matched.add(item.pk)
            wanted = {
                name: value
                for name, value in wanted.items()
                if name not in _OPTIONAL_COLUMNS or _OPTIONAL_COLUMNS[name] in parsed.columns
            }
            changed = [name for name, value in wanted.items() if getattr(item, name) != value]
            current_heading = item.heading.name if item.heading else ""
            if current_heading != heading_name:
                changed.append("heading")
            stored = stored_amounts.get(item.pk, {})
            changed_years = [
                year for year, value in amounts.items() if stored.get(year, Decimal(0)) != value
            ]
            current_also = sorted(stored_also.get(item.pk, []))
            also_changed = current_also != sorted(also_codes)
            needs_status = bool(parsed.status_colour) and (
                (item.pk, parsed.status_colour, parsed.status_comment) not in reported
            )
            action = "updated" if changed or changed_years or also_changed else "unchanged"
            change = _Change(
                parsed,
                action,
                item,
                wanted,
                changed,
                also_codes,
                also_changed,
                amounts,
                changed_years,
                needs_status,
                order,
                stored,
                current_also,
            )
        preview.changes.append(change)
        if change.record_status:
            preview.statuses += 1
            if item is not None and item.pk in directors_reported:
                preview.over_reports.append(parsed.number)
        counts.setdefault((parsed.kind, parsed.committee), Counter())[change.action] += 1

    if preview.over_reports:
        shown = ", ".join(preview.over_reports[:10])
        more = len(preview.over_reports) - 10
        if more > 0:
            shown = _("%(numbers)s og %(more)s flere") % {"numbers": shown, "more": more}
        preview.problems.append(
            Problem(
                "",
                None,
                "",
                _(
                    "Statusfarverne i projektmappen tilføjer %(count)s status(ser) for %(month)s "
                    "oven i dem, de ansvarlige allerede har indberettet (%(numbers)s). Fjern "
                    "farverne i projektmappen, hvis de ikke er nyere end indberetningerne."
                )
                % {
                    "count": len(preview.over_reports),
                    "month": preview.period_label,
                    "numbers": shown,
                },
                fatal=False,
            )
        )
    preview.kept = len([item for item in existing.values() if item.pk not in matched])
    committee_order = {code: (committee.order, code) for code, committee in committees.items()}
    for kind, code in sorted(
        counts,
        key=lambda key: (KIND_ORDER.get(key[0], 9), committee_order.get(key[1], (0, key[1]))),
    ):
        counter = counts[(kind, code)]
        preview.rows.append(
            PreviewRow(
                kind,
                str(KIND_LABELS[kind]),
                code,
                counter["created"],
                counter["updated"],
                counter["unchanged"],
            )
        )
    return preview


def preview_import(content: bytes, target: PlanTarget) -> ImportPreview:
    """The dry run: what importing `content` into the target plan would do."""
    committees = {committee.code: committee for committee in Committee.objects.all()}
    parse = read_workbook(content, [(c.code, c.name) for c in committees.values()])
    return _compare(parse, target, committees)


def apply_import(content: bytes, target: PlanTarget, user: Any = None) -> ImportPreview:
    """Import `content`; raises ImportRefused (nothing saved) when a problem stops it."""
    with transaction.atomic():
        if target.plan is None:
            existing = BudgetPlan.objects.select_for_update().filter(slug=target.slug).first()
            if existing is not None:
                target = PlanTarget.existing(existing)
        else:
            # Serialise concurrent imports into the same plan.
            BudgetPlan.objects.select_for_update().filter(pk=target.plan.pk).first()
        preview = preview_import(content, target)
        if not preview.ok:
            raise ImportRefused(preview)
        _write(preview, target, user)
        preview.applied = True
        return preview


def _write(preview: ImportPreview, target: PlanTarget, user: Any) -> None:
    plan = target.plan
    if plan is None:
        plan = BudgetPlan.objects.create(
            slug=target.slug,
            title=target.title,
            first_year=target.first_year,
            last_year=target.last_year,
        )
        target.plan = plan
    committees = {committee.code: committee for committee in Committee.objects.all()}
    headings = {heading.name: heading for heading in plan.headings.all()}
    next_order = max((heading.order for heading in headings.values()), default=0) + 1
    for name in preview.headings_created:
        if name not in headings:
            headings[name] = Heading.objects.create(plan=plan, name=name, order=next_order)
            next_order += 1

    def heading_for(change: _Change) -> Heading | None:
        name = change.parsed.heading if change.parsed.kind == "hensigt" else ""
        return headings.get(name) if name else None

    new_items: list[Item] = []
    creations = [change for change in preview.changes if change.action == "created"]
    for change in creations:
        new_items.append(
            Item(
                plan=plan,
                number=change.parsed.number,
                committee=committees[change.parsed.committee],
                heading=heading_for(change),
                order=change.order,
                **change.fields,
            )
        )
    if new_items:
        new_items = Item.objects.bulk_create(new_items, batch_size=500)
        _record_creations([item.pk for item in new_items], user)
        for change, created in zip(creations, new_items, strict=True):
            change.existing = created

    new_amounts: list[ItemAmount] = []
    also_links: list[Any] = []
    through = Item.also_committees.through
    for change in preview.changes:
        item = change.existing
        assert item is not None
        if change.action == "updated":
            for name in change.changed_fields:
                if name == "heading":
                    item.heading = heading_for(change)
                else:
                    setattr(item, name, change.fields[name])
            if change.changed_fields:
                item.save()
            stored = {amount.year: amount for amount in item.amounts.all()}
            for year in change.changed_years:
                amount = stored.get(year)
                if amount is None:
                    new_amounts.append(
                        ItemAmount(item=item, year=year, amount=change.amounts[year])
                    )
                else:
                    amount.amount = change.amounts[year]
                    amount.save()
            if change.also_changed:
                item.also_committees.set([committees[code] for code in change.also_codes])
        elif change.action == "created":
            # A missing year reads as 0 (Item.amounts_by_year), so zeros are not stored.
            new_amounts.extend(
                ItemAmount(item=item, year=year, amount=value)
                for year, value in sorted(change.amounts.items())
                if value
            )
            also_links.extend(
                through(item_id=item.pk, committee_id=committees[code].pk)
                for code in change.also_codes
            )
    if new_amounts:
        # The item's own history records its creation; a first history row per amount
        # would triple the write for no information, so amounts start their history at
        # their first change.
        ItemAmount.objects.bulk_create(new_amounts, batch_size=1000)
    if also_links:
        through.objects.bulk_create(also_links, batch_size=1000)

    period = current_month()
    author_name = ""
    if user is not None and getattr(user, "is_authenticated", False):
        author_name = user.get_full_name() or user.get_username()
    reports = [
        StatusReport(
            item=change.existing,
            period=period,
            colour=change.parsed.status_colour,
            comment=change.parsed.status_comment,
            author=user if author_name else None,
            author_name=author_name,
            source=ReportSource.IMPORT,
        )
        for change in preview.changes
        if change.record_status
    ]
    if reports:
        # Insert-only history: bulk_create inserts, it never updates.
        StatusReport.objects.bulk_create(reports, batch_size=1000)


def _record_creations(item_ids: list[int], user: Any) -> None:
    """The items' first history rows, as simple_history's bulk_create_with_history
    writes them ('+', now, the importing user, every tracked field), copied from the
    items' rows by the database (INSERT ... SELECT) instead of built as a thousand model
    instances: that was a third of the time of importing 1,000 rows
    (bench/bench_excel.py)."""
    history = Item.history.model
    quote = connection.ops.quote_name
    history_columns = {field.name: str(field.column) for field in history._meta.concrete_fields}
    copied = [(history_columns[field.name], str(field.column)) for field in history.tracked_fields]
    extra = ("history_date", "history_change_reason", "history_type", "history_user")
    columns = ", ".join(
        quote(name)
        for name in [*(target for target, _ in copied)] + [history_columns[name] for name in extra]
    )
    sources = ", ".join(f"i.{quote(source)}" for _, source in copied)
    history_user = (
        user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    item_table, item_pk = quote(Item._meta.db_table), quote(str(Item._meta.pk.column))
    for start in range(0, len(item_ids), 500):
        batch = item_ids[start : start + 500]
        placeholders = ", ".join(["%s"] * len(batch))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns})"  # noqa: S608
                f" SELECT {sources}, %s, NULL, '+', %s FROM {item_table} i"
                f" WHERE i.{item_pk} IN ({placeholders})",
                [now, history_user, *batch],
            )
