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
from picdesk.desk import signin_lock
from picdesk.desk.models import DeskProfile
from picdesk.desk.views.culling import back
from picdesk.photos.downloads import stored_original_response
from picdesk.photos.models import Photo
from picdesk.core.roles import ROLES, change_role, create_user, role_of, role_required



class LoginView(auth_views.LoginView):
    """Django's login behind the desk's lock on guessing (desk.signin_lock):
    over the allowance, no password is checked and the answer is 429."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not signin_lock.take_attempt(request):
            return ratelimit.too_many_requests(setting("PICDESK_LOGIN_WINDOW"), "Too many failed sign-ins")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        signin_lock.give_back(self.request)
        return super().form_valid(form)


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


THEMES = ("grey", "light")
A_YEAR = 365 * 24 * 3600


@require_POST
@role_required("contributor")
def theme(request):
    """The desk's colours on this browser: neutral grey, the photo editor's
    ground for judging pictures, or light."""
    response = redirect(back(request))
    if (chosen := request.POST.get("theme")) in THEMES:
        response.set_cookie("desk_theme", chosen, max_age=A_YEAR, samesite="Lax", httponly=True,
                            secure=request.is_secure())
    return response
