from django.urls import path

from plans.views import api as api_views
from plans.views import board_report as board_report_views
from plans.views import extracts as extract_views
from plans.views import home, import_committees, overview
from plans.views import imports as import_views
from plans.views import narrative as narrative_views
from plans.views import obs as obs_views
from plans.views import plan_settings as plan_settings_views
from plans.views import review as review_views
from plans.views import roll_over as roll_over_views
from plans.views import status as status_views
from plans.views import strategy as strategy_views
from plans.views import whole_plan as whole_plan_views

app_name = "plans"

urlpatterns = [
    path("", home.home, name="home"),
    path("plans/<slug:slug>/", overview.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/items/<int:pk>/", overview.item_detail, name="item_detail"),
    path("plans/<slug:slug>/settings/", plan_settings_views.plan_settings, name="plan_settings"),
    path("plans/<slug:slug>/export.xlsx", api_views.export_xlsx, name="export_xlsx"),
    path("api/plans/<slug:slug>/items.json", api_views.api_items, name="api_items"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path(
        "import/<int:pk>/committees/",
        import_committees.import_create_committees,
        name="import_create_committees",
    ),
    path("plans/<slug:slug>/extracts/", extract_views.extract_list, name="extract_list"),
    path("plans/<slug:slug>/hele-planen/", whole_plan_views.whole_plan, name="whole_plan"),
    path(
        "plans/<slug:slug>/hele-planen.pdf", whole_plan_views.whole_plan_pdf, name="whole_plan_pdf"
    ),
    path(
        "plans/<slug:slug>/hele-planen.xlsx",
        whole_plan_views.whole_plan_xlsx,
        name="whole_plan_xlsx",
    ),
    path(
        "plans/<slug:slug>/extracts/<str:code>/",
        extract_views.extract_detail,
        name="extract_detail",
    ),
    path(
        "plans/<slug:slug>/extracts/<str:code>/pdf/", extract_views.extract_pdf, name="extract_pdf"
    ),
    path("plans/<slug:slug>/review/", review_views.red_list, name="red_list"),
    path("plans/<slug:slug>/dashboard/", review_views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/board-report/", board_report_views.board_report, name="board_report"),
    path(
        "plans/<slug:slug>/board-report/draft.pdf",
        board_report_views.board_report_pdf,
        name="board_report_pdf",
    ),
    path(
        "plans/<slug:slug>/board-report/published/<int:pk>.pdf",
        board_report_views.published_report_pdf,
        name="published_report_pdf",
    ),
    path("plans/<slug:slug>/mine/", status_views.my_items, name="my_items"),
    path("plans/<slug:slug>/mine/progress/", status_views.status_progress, name="status_progress"),
    path(
        "plans/<slug:slug>/mine/confirm-unchanged/",
        status_views.bulk_carry_forward,
        name="bulk_carry_forward",
    ),
    path(
        "plans/<slug:slug>/items/<int:pk>/status/", status_views.report_status, name="report_status"
    ),
    path(
        "plans/<slug:slug>/items/<int:pk>/carry-forward/",
        status_views.carry_forward,
        name="carry_forward",
    ),
    path("plans/<slug:slug>/items/<int:pk>/obs/", status_views.mark_obs, name="mark_obs"),
    path("plans/<slug:slug>/items/<int:pk>/obs/open/", obs_views.obs_open, name="obs_open"),
    path(
        "plans/<slug:slug>/obs/<int:pk>/follow-up/", obs_views.obs_follow_up, name="obs_follow_up"
    ),
    path("plans/<slug:slug>/obs/<int:pk>/close/", obs_views.obs_close, name="obs_close"),
    path(
        "plans/<slug:slug>/items/<int:pk>/narrative/",
        narrative_views.edit_narrative,
        name="edit_narrative",
    ),
    path("plans/<slug:slug>/strategy/", strategy_views.strategy, name="strategy"),
    path("plans/<slug:slug>/strategy.pdf", strategy_views.strategy_pdf, name="strategy_pdf"),
    path(
        "plans/<slug:slug>/strategy/publish/",
        strategy_views.strategy_publish,
        name="strategy_publish",
    ),
    path(
        "plans/<slug:slug>/strategy/published/<int:pk>.pdf",
        strategy_views.strategy_published_pdf,
        name="strategy_published_pdf",
    ),
    path("plans/<slug:slug>/strategy/themes/new/", strategy_views.theme_edit, name="theme_create"),
    path(
        "plans/<slug:slug>/strategy/themes/<int:pk>/",
        strategy_views.theme_edit,
        name="theme_edit",
    ),
    path("plans/<slug:slug>/carry-over/", roll_over_views.roll_over, name="carry_over"),
]
