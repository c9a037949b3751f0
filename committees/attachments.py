"""A meeting's attachment: a preview as of the meeting until it is published, then the
stored PDF that went to the meeting, unchanged forever.

The preview is built as of the meeting: statuses at or before the meeting's month and
committee remarks dated before the meeting day (remarks recorded at the meeting belong
to later attachments). "Udgiv til mødet" stores exactly those bytes as a
`plans.PublishedReport` and links the meeting to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from committees.models import CommitteeKind, Meeting
from plans.agenda import meeting_focus
from plans.board_report import build_board_report, render_board_report_pdf
from plans.extracts import build_extract, render_extract_pdf
from plans.models import PublishedReport, PublishedReportKind
from plans.months import first_of_month

DANISH_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "ae", "ø": "oe", "å": "aa"})


def ascii_name(name: str) -> str:
    """Header-safe file names: ØK -> OEK."""
    return name.translate(DANISH_LETTERS)


def is_board(meeting: Meeting) -> bool:
    return meeting.body.kind == CommitteeKind.ADMINISTRATIVE


@dataclass(frozen=True)
class AttachmentPdf:
    pdf: bytes
    filename: str
    published: PublishedReport | None = None


def attachment_filename(meeting: Meeting) -> str:
    if is_board(meeting):
        return ascii_name(f"statusrapport-{meeting.date:%Y-%m-%d}.pdf")
    # A meeting's attachment is the public version ("Åben sag"), and its name says so.
    return ascii_name(f"udsnit-{meeting.body.code}-{meeting.date:%Y-%m-%d}-aaben.pdf")


def preview_pdf(meeting: Meeting) -> bytes:
    """The attachment as it would go to the meeting if published now."""
    period = first_of_month(meeting.date)
    if is_board(meeting):
        report = build_board_report(
            meeting.plan, period, meeting_date=meeting.date, case_number=meeting.case_number
        )
        focus, invited = meeting_focus(meeting)
        return render_board_report_pdf(replace(report, focus=focus, invited=list(invited)))
    extract = build_extract(
        meeting.plan,
        meeting.body,
        period,
        public=True,
        meeting_date=meeting.date,
        case_number=meeting.case_number,
        agenda_text=meeting.agenda_text or None,
    )
    return render_extract_pdf(extract)


def published_for(meeting: Meeting) -> PublishedReport | None:
    """What went to the meeting: its own published attachment, or for a board meeting
    the board report published from the board-report page for the meeting's day (its
    newest edition: a later one replaced the earlier for that very meeting)."""
    if meeting.attachment_id is not None:
        return PublishedReport.objects.get(pk=meeting.attachment_id)
    if is_board(meeting):
        return PublishedReport.objects.current_for(
            meeting.plan, PublishedReportKind.BOARD, meeting.date
        )
    return None


def meeting_attachment(meeting: Meeting) -> AttachmentPdf:
    """The published PDF when there is one, otherwise the preview."""
    published = published_for(meeting)
    if published is not None:
        return AttachmentPdf(bytes(published.pdf), attachment_filename(meeting), published)
    return AttachmentPdf(preview_pdf(meeting), attachment_filename(meeting))


class AlreadyPublished(Exception):
    pass


@transaction.atomic
def publish_attachment(meeting: Meeting, user: Any) -> PublishedReport:
    """Freeze the meeting's attachment: store the preview's bytes and link them.

    Once only: a second publication (or a concurrent one) raises AlreadyPublished."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.attachment_id is not None:
        raise AlreadyPublished
    # A board report already published for this day is what went to the meeting.
    published = published_for(locked) if is_board(meeting) else None
    if published is not None:
        locked.attachment = meeting.attachment = published
        locked.save(update_fields=["attachment"])
        return published
    published = PublishedReport.objects.create(
        plan=meeting.plan,
        kind=PublishedReportKind.BOARD if is_board(meeting) else PublishedReportKind.EXTRACT,
        period=first_of_month(meeting.date),
        meeting_date=meeting.date,
        pdf=preview_pdf(meeting),
        published_by=user,
    )
    locked.attachment = published
    locked.save(update_fields=["attachment"])
    meeting.attachment = published
    return published
