"""Signing in and out (with a failed-login throttle), and the admin's pages:
users and their roles, and the quarantine of killed photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from picdesk.core import ratelimit
from picdesk.audit.models import Actor, AuditEntry
from picdesk.core.config import setting
from picdesk.desk.forms import NewUserForm, RoleForm, TimeZoneForm
from picdesk.desk.models import DeskProfile
from picdesk.photos.downloads import stored_original_response
from picdesk.photos.models import Photo
from picdesk.core.roles import ROLES, change_role, create_user, role_of, role_required



class LoginView(auth_views.LoginView):
    """Django's login, refusing to check any password for an address or a
    user name with too many recent failures (PICDESK_LOGIN_FAILURES per
    PICDESK_LOGIN_WINDOW), so passwords cannot be guessed at speed."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        window = setting("PICDESK_LOGIN_WINDOW")
        if any(ratelimit.used("login", who, window) >= setting("PICDESK_LOGIN_FAILURES")
               for who in self._clients()):
            return ratelimit.too_many_requests(window, "Too many failed sign-ins")
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for who in self._clients():
            ratelimit.count("login", who, setting("PICDESK_LOGIN_WINDOW"))
        return super().form_invalid(form)

    def _clients(self) -> list[str]:
        name = self.request.POST.get("username", "")[:150].lower()
        return [f"addr:{ratelimit.client_address(self.request)}", f"user:{name}"]


@role_required("contributor")
def account(request):
    """The signed-in editor's own settings: the time zone of desk times."""
    profile = DeskProfile.objects.filter(user=request.user).first() or DeskProfile(user=request.user)
    form = TimeZoneForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        DeskProfile.choose_time_zone(request.user, form.cleaned_data["time_zone"])
        messages.success(request, f"Desk times now show in {profile.time_zone or 'the desk default'}.")
        return redirect("desk:account")
    return render(request, "desk/account.html", {"form": form})


@role_required("admin")
def users(request):
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = create_user(form.cleaned_data["username"], form.cleaned_data["password"], form.cleaned_data["role"],
                           by=Actor("desk", request.user))
        messages.success(request, f"{user.username} can now sign in as {form.cleaned_data['role']}.")
        return redirect("desk:users")
    people = [(user, role_of(user)) for user in get_user_model().objects.order_by("username")]
    return render(request, "desk/users.html", {"form": form, "people": people, "roles": ROLES})


@require_POST
@role_required("admin")
def user_role(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        if user == request.user and (form.cleaned_data["role"] != "admin" or not form.cleaned_data["active"]):
            messages.error(request, "You cannot take away your own admin role.")
            return redirect("desk:users")
        change_role(user, form.cleaned_data["role"], form.cleaned_data["active"], by=Actor("desk", request.user))
        messages.success(request, f"{user.username} is now {form.cleaned_data['role']}.")
    return redirect("desk:users")


@require_safe
@role_required("admin")
def quarantine(request):
    killed = Photo.objects.filter(killed_at__isnull=False).order_by("-killed_at")
    kills = {entry.photo_id: entry for entry in AuditEntry.objects.filter(action="killed", photo__in=killed)}
    return render(request, "desk/quarantine.html", {"killed": [(photo, kills.get(photo.pk)) for photo in killed]})


@require_safe
@role_required("admin")
def quarantined_original(request, pk: int):
    """The killed photo's original exactly as it arrived: the evidence copy."""
    photo = get_object_or_404(Photo, pk=pk, killed_at__isnull=False)
    return stored_original_response(photo)
