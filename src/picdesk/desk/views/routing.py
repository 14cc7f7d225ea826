"""Routing rules on the desk, for admins: made, listed, switched off, deleted."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from picdesk.audit.models import Actor
from picdesk.desk.forms import RoutingRuleForm
from picdesk.core.roles import role_required
from picdesk.slideshows import routing
from picdesk.slideshows.models import RoutingRule


@role_required("admin")
def rules(request):
    form = RoutingRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = routing.save_rule(form.save(commit=False), by=Actor("desk", request.user))
        messages.success(request, f"Rule “{rule}” applies to every photo that arrives from now on.")
        return redirect("desk:routing")
    context = {"form": form, "rules": RoutingRule.objects.select_related("series")}
    return render(request, "desk/routing.html", context)


@require_POST
@role_required("admin")
def delete_rule(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    routing.delete_rule(rule, by=Actor("desk", request.user))
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("desk:routing")
