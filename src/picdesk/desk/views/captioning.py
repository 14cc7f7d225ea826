"""Captioning at speed: the code replacements admins load (photos.codes),
the lookup the desk's text fields use to expand a code as it is typed
(desk/codes.js; saving expands codes anyway, with or without the script),
the metadata templates editors keep (slideshows.stationery) and the names the
caption checker spells against (slideshows.names)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from picdesk.audit.models import Actor
from picdesk.core.roles import role_required
from picdesk.desk.forms import MetadataTemplateForm
from picdesk.photos.codes import CodeFileError, CodeReplacement, expand, load_codes, read_code_file
from picdesk.slideshows.names import DeskName, replace_names
from picdesk.slideshows.stationery import VARIABLES, MetadataTemplate, save_template

CODE_FILE_LIMIT = 5 * 1024 * 1024
NAMES_LIMIT = 2 * 1024 * 1024
SHOWN = 100


class CodeFileForm(forms.Form):
    file = forms.FileField(label="Code file", help_text="Tab-separated, as Photo Mechanic saves it: code, tab, text.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CODE_FILE_LIMIT:
            raise forms.ValidationError("A code file is at most 5 MB.")
        raw = upload.read()
        for encoding in ("utf-8-sig", "utf-16", "cp1252"):  # Photo Mechanic on Windows saves the latter two
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        try:
            return read_code_file(text)
        except CodeFileError as exc:
            raise forms.ValidationError(str(exc)) from exc


@role_required("admin")
def codes(request):
    form = CodeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        code_file = form.cleaned_data["file"]
        loaded = load_codes(code_file, by=Actor("desk", request.user))
        messages.success(request, f"Loaded {loaded} codes." + (
            f" Left out {len(code_file.skipped)} lines: {'; '.join(code_file.skipped[:5])}" if code_file.skipped else ""))
        return redirect("desk:codes")
    query = request.GET.get("q", "").strip()
    shown = CodeReplacement.objects.all()
    if query:
        shown = shown.filter(code__istartswith=query)
    return render(request, "desk/codes.html", {
        "form": form, "count": CodeReplacement.objects.count(), "codes": shown[:SHOWN], "query": query,
        "limit": SHOWN})


@require_safe
@role_required("contributor")
def expansion(request):
    """``?text=`` with its codes expanded, for a field being typed in."""
    return JsonResponse({"text": expand(request.GET.get("text", "")[:200])})


@role_required("editor")
def templates(request):
    """The metadata templates: the list, and one made or edited (``?edit=``)."""
    editing = MetadataTemplate.objects.filter(pk=request.GET.get("edit", "0") if request.GET.get(
        "edit", "").isdigit() else 0).first()
    form = MetadataTemplateForm(request.POST or None, template=editing)
    if request.method == "POST" and form.is_valid():
        template = form.template
        template.name, template.fields = form.cleaned_data["name"], form.cleaned_data["fields"]
        try:
            save_template(template, by=Actor("desk", request.user))
        except IntegrityError:
            form.add_error("name", "Another template has that name.")
        else:
            messages.success(request, f"Saved the template “{template.name}”.")
            return redirect("desk:templates")
    return render(request, "desk/templates.html", {
        "form": form, "editing": editing, "templates": MetadataTemplate.objects.all(), "variables": sorted(VARIABLES)})


@role_required("editor")
def names(request):
    """The desk's dictionary of names, which the caption checker spells against."""
    if request.method == "POST":
        saved = replace_names(request.POST.get("names", "")[:NAMES_LIMIT], by=Actor("desk", request.user))
        messages.success(request, f"Saved {saved} names.")
        return redirect("desk:names")
    text = "\n".join(DeskName.objects.values_list("name", flat=True))
    return render(request, "desk/names.html", {"text": text, "count": text.count("\n") + 1 if text else 0})
