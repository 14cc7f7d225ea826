"""The desk's "make one" forms: a valid POST saves the object and its audit
entry together, says so, and goes back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from picdesk.audit.models import record


def save_posted(request, form, action: str, success: str, page: str):
    """For a valid POST of ``form``: save it with an audit entry ``action``,
    show ``success`` (``{}`` is what was saved) and redirect to ``page``;
    None otherwise, for the caller to render the form (with its errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    with transaction.atomic():
        saved = form.save()
        record(request.user, action, detail=str(saved))
    messages.success(request, success.format(saved))
    return redirect(page)
