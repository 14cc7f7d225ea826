"""Who may do what on the desk.

Three roles (``DUTIES``), each a Django auth group, each including the one
before it. A superuser (`picdesk manage createsuperuser`) is an admin, and the
only one who may use Django's own admin at /admin/.

The command line reads ``ROLES`` before Django is set up: Django's auth models
are imported inside the functions that use them.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.cache import add_never_cache_headers

ROLES = ("contributor", "editor", "admin")  # each includes the ones before it
DUTIES = {
    "contributor": "uploads photos and edits their metadata",
    "editor": "also builds, schedules, publishes, corrects, unpublishes and kills",
    "admin": "also manages users and sees the quarantine of killed photos",
}


def role_of(user) -> str | None:
    """The highest role ``user`` holds, or None (anonymous, inactive, no role)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_superuser:
        return "admin"
    groups = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    held = [role for role in ROLES if role in groups]
    return held[-1] if held else None


def has_role(user, role: str) -> bool:
    held = role_of(user)
    return held is not None and ROLES.index(held) >= ROLES.index(role)


def require_role(actor, role: str) -> None:
    """For a domain service: PermissionDenied unless ``actor`` (an
    audit.Actor, or None for the system itself) may act as ``role``. A desk
    account needs the role; the other channels are let in by their own gate
    (an API token's scope, access to the shell, an admin-made routing rule)."""
    if actor is not None and actor.user is not None and not has_role(actor.user, role):
        raise PermissionDenied(f"This needs the {role} role.")


def role_required(role: str):
    """The view needs a signed-in user with ``role`` or above: anonymous
    visitors are sent to the login page, everyone else without it gets 403."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied(f"This needs the {role} role.")
            response = view(request, *args, **kwargs)
            # Desk pages show unpublished pictures: never kept by any cache.
            add_never_cache_headers(response)
            return response

        return checked

    return decorate


@transaction.atomic
def set_role(user, role: str) -> None:
    """Give ``user`` exactly ``role`` (one of ROLES)."""
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])


def create_user(username: str, password: str, role: str, email: str = "", *, by=None):
    """A new desk account, on the record as made ``by`` (an audit.Actor, None
    for the system); ValueError when the name is taken or the role unknown."""
    from picdesk.audit.models import record

    require_role(by, "admin")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValueError(f"a user named {username!r} exists already")
    with transaction.atomic():  # an unknown role (set_role refuses it) leaves no account
        user = User.objects.create_user(username, email=email, password=password)
        set_role(user, role)
        record(by, "created user", detail=f"{username} ({role})")
    return user


@transaction.atomic
def change_role(user, role: str, active: bool, *, by=None) -> None:
    """Give ``user`` exactly ``role``, and let them sign in or not."""
    from picdesk.audit.models import record

    require_role(by, "admin")
    set_role(user, role)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(by, "changed role", detail=f"{user.get_username()}: {role}{'' if active else ', deactivated'}")


@transaction.atomic
def change_password(username: str, password: str, *, by=None) -> None:
    """ValueError when there is no such account."""
    from picdesk.audit.models import record

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValueError(f"no desk account is named {username!r}")
    user.set_password(password)
    user.save(update_fields=["password"])
    record(by, "changed password", detail=username)
