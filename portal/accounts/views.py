"""The account screens that Django's auth views do not cover: the profile, a friendlier logout."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@login_required
@require_GET
def profile(request):
    """The signed-in user's own record, read-only: admins maintain it (Django admin → 用户)."""
    user = request.user
    return render(request, "accounts/profile.html", {"profile_user": user})


class PortalLogoutView(auth_views.LogoutView):
    """Django's POST-only logout, telling the user on the next page that it worked."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("您已安全退出平台。"))
        return response
