"""Routing rules on the desk, for admins: made, listed, switched off, deleted."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from picdesk.audit.models import record
from picdesk.desk.forms import RoutingRuleForm
from picdesk.desk.views.saving import save_posted
from picdesk.roles import role_required
from picdesk.slideshows.models import RoutingRule


@role_required("admin")
def rules(request):
    form = RoutingRuleForm(request.POST or None)
    if done := save_posted(request, form, "made routing rule",
                           "Rule “{}” applies to every photo that arrives from now on.", "desk:routing"):
        return done
    context = {"form": form, "rules": RoutingRule.objects.select_related("series")}
    return render(request, "desk/routing.html", context)


@require_POST
@role_required("admin")
def delete_rule(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    with transaction.atomic():
        rule.delete()
        record(request.user, "deleted routing rule", detail=rule.name)
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("desk:routing")
