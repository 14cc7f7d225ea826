"""The desk's screens for rights (photos.rights, slideshows.rights_gate): the
restriction phrases editors keep, and the rights leases on a photo's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from picdesk.audit.models import Actor
from picdesk.core.roles import role_required
from picdesk.photos.models import Photo
from picdesk.photos.rights import BLOCK, CONFIRM, WARN, RestrictionPhrase, RightsLease, replace_phrases
from picdesk.slideshows.rights_gate import add_lease, remove_lease

PHRASES_LIMIT = 200_000
ACTIONS = [(BLOCK, "Block publication"), (CONFIRM, "Publish only after an editor confirms"), (WARN, "Warn")]


class LeaseForm(forms.Form):
    access = forms.ChoiceField(choices=RightsLease.Access.choices)
    starts_at = forms.DateTimeField(label="From", required=False, help_text="Empty: from now on.",
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="Until", required=False, help_text="Empty: for ever.",
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(required=False, max_length=500)


@role_required("editor")
def restrictions(request):
    """The phrases looked for in Special Instructions and usage terms, one
    list per action."""
    if request.method == "POST":
        lists = {action: request.POST.get(action, "")[:PHRASES_LIMIT] for action, _ in ACTIONS}
        saved = replace_phrases(lists, by=Actor("desk", request.user))
        messages.success(request, f"Saved {saved} restriction phrases.")
        return redirect("desk:restrictions")
    phrases = list(RestrictionPhrase.objects.all())
    lists = [(action, label, "\n".join(p.phrase for p in phrases if p.action == action)) for action, label in ACTIONS]
    return render(request, "desk/restrictions.html", {"lists": lists})


@require_POST
@role_required("editor")
def lease(request, pk: int):
    photo = get_object_or_404(Photo.objects.in_use(), pk=pk)
    form = LeaseForm(request.POST, prefix="lease")
    if not form.is_valid():
        messages.error(request, "No lease added: " + "; ".join(f"{name}: {' '.join(errors)}"
                                                               for name, errors in form.errors.items()))
        return redirect("desk:photo", pk=photo.pk)
    try:
        add_lease(photo, form.cleaned_data["access"], starts_at=form.cleaned_data["starts_at"],
                  ends_at=form.cleaned_data["ends_at"], note=form.cleaned_data["note"], by=Actor("desk", request.user))
    except ValueError as exc:
        messages.error(request, f"No lease added: {exc}.")
        return redirect("desk:photo", pk=photo.pk)
    messages.success(request, "Lease added.")
    return redirect(f"{photo_url(photo)}#rights-heading")


@require_POST
@role_required("editor")
def lease_removal(request, pk: int):
    lease = get_object_or_404(RightsLease, pk=pk)
    remove_lease(lease, by=Actor("desk", request.user))
    messages.success(request, "Lease removed.")
    return redirect(f"{photo_url(lease.photo)}#rights-heading")


def photo_url(photo: Photo) -> str:
    return reverse("desk:photo", args=[photo.pk])
