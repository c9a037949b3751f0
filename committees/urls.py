from django.urls import path

from committees.views import agenda as agenda_views
from committees.views import meetings, workplan

app_name = "committees"

urlpatterns: list = [
    path("agenda/template/", agenda_views.agenda_template, name="agenda_template"),
    path(
        "plans/<slug:slug>/extracts/<str:code>/agenda/",
        agenda_views.agenda_draft,
        name="agenda_draft",
    ),
    path("plans/<slug:slug>/aarshjul/", meetings.annual_wheel, name="annual_wheel"),
    path(
        "plans/<slug:slug>/extracts/<str:code>/arbejdsplan/",
        workplan.work_plan,
        name="work_plan",
    ),
    path(
        "plans/<slug:slug>/extracts/<str:code>/arbejdsplan.pdf",
        workplan.work_plan_pdf,
        name="work_plan_pdf",
    ),
    path(
        "plans/<slug:slug>/items/<int:pk>/politisk-behandling/",
        workplan.treatment_edit,
        name="treatment_edit",
    ),
    path("plans/<slug:slug>/aarshjul.ics", meetings.ical, name="ical"),
    path("plans/<slug:slug>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("plans/<slug:slug>/meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("plans/<slug:slug>/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "plans/<slug:slug>/meetings/<int:pk>/delete/",
        meetings.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "plans/<slug:slug>/meetings/<int:pk>/bilag.pdf",
        meetings.meeting_attachment,
        name="meeting_attachment",
    ),
    path(
        "plans/<slug:slug>/meetings/<int:pk>/publish/",
        meetings.meeting_publish,
        name="meeting_publish",
    ),
    path(
        "plans/<slug:slug>/meetings/<int:pk>/items/<int:item_pk>/note/",
        meetings.note_create,
        name="note_create",
    ),
]
