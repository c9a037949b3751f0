from django.urls import path

from plans.views import home, overview
from plans.views import status as status_views

app_name = "plans"

urlpatterns = [
    path("", home.home, name="home"),
    path("plans/<slug:slug>/", overview.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/items/<int:pk>/", overview.item_detail, name="item_detail"),
    path("plans/<slug:slug>/mine/", status_views.my_items, name="my_items"),
    path("plans/<slug:slug>/mine/progress/", status_views.status_progress, name="status_progress"),
    path(
        "plans/<slug:slug>/items/<int:pk>/status/", status_views.report_status, name="report_status"
    ),
    path(
        "plans/<slug:slug>/items/<int:pk>/carry-forward/",
        status_views.carry_forward_status,
        name="carry_forward",
    ),
    path("plans/<slug:slug>/items/<int:pk>/obs/", status_views.mark_obs, name="mark_obs"),
]
