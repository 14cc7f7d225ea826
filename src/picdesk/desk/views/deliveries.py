"""The desk's screens for push delivery (slideshows.deliveries): every
delivery with its state, attempts and last error, resent on request; and the
subscribers admins keep."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from picdesk.audit.models import Actor
from picdesk.core.keyset import page_by_key
from picdesk.core.roles import role_required
from picdesk.slideshows.deliveries import Delivery, Subscriber, SubscriberError, remove_subscriber, resend, save_subscriber

PAGE_SIZE = 100


class SubscriberForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["name", "kind", "url", "series", "keywords", "credit", "version", "active"]


@require_safe
@role_required("editor")
def deliveries(request):
    rows = Delivery.objects.select_related("subscriber", "slideshow")
    state = request.GET.get("state", "")
    if state in Delivery.State.values:
        rows = rows.filter(state=state)
    page = page_by_key(rows.order_by("-pk"), ("pk",), request.GET, PAGE_SIZE)
    return render(request, "desk/deliveries.html", {"page": page, "states": Delivery.State.choices, "state": state})


@require_POST
@role_required("editor")
def resend_delivery(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    resend(delivery, by=Actor("desk", request.user))
    messages.success(request, f"Sent again to {delivery.subscriber.name}.")
    return redirect("desk:deliveries")


@role_required("admin")
def subscribers(request):
    form = SubscriberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = save_subscriber(form.save(commit=False), by=Actor("desk", request.user))
        except SubscriberError as exc:
            form.add_error("url", str(exc))
        else:
            note = f" Its secret, for the partner: {subscriber.secret}" if subscriber.secret else ""
            messages.success(request, f"{subscriber.name} added.{note}")
            return redirect("desk:subscribers")
    return render(request, "desk/subscribers.html", {"form": form, "subscribers": Subscriber.objects.select_related("series")},
                  status=400 if form.errors else 200)


@require_POST
@role_required("admin")
def remove(request, pk: int):
    subscriber = get_object_or_404(Subscriber, pk=pk)
    remove_subscriber(subscriber, by=Actor("desk", request.user))
    messages.success(request, f"{subscriber.name} removed: nothing more is delivered to it.")
    return redirect("desk:subscribers")
