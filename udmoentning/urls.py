from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("committees.urls")),
    path("", include("plans.urls")),
]

# 403.html and 404.html are Django's own handlers' templates; the 500 page needs a handler.
handler500 = "udmoentning.errors.server_error"

if settings.OIDC_ENABLED:
    # /oidc/authenticate/ and /oidc/callback/: sign-in through the municipality's identity provider.
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
