from django.urls import path

from plans.views import home, overview

app_name = "plans"

urlpatterns = [
    path("", home.home, name="home"),
    path("plans/<slug:slug>/", overview.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/items/<int:pk>/", overview.item_detail, name="item_detail"),
]
