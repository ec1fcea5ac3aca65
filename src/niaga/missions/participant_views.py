"""A mission's participants: the list, adding one business, importing a CSV/XLSX list.

An import is two steps: the upload is checked and previewed with every bad row
listed (line, column, rule), and only a clean file can be committed. The file
waits between the steps in the uploads folder under a random name, so any app
server can finish what another started.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from niaga.missions import domain
from niaga.missions.imports import MAX_BYTES, read_participants
from niaga.missions.models import Participant, Side
from niaga.missions.views import mission_or_404
from niaga.regions.models import Province, Regency

PENDING = "imports/pending"


class ParticipantForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Business name"), max_length=200)
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"), queryset=Province.objects.all()
    )
    regency = forms.ModelChoiceField(
        label=gettext_lazy("Regency/city"), queryset=Regency.objects.all()
    )
    sector = forms.CharField(label=gettext_lazy("Sector"), max_length=100)
    commodities = forms.CharField(label=gettext_lazy("Commodities"), max_length=300, required=False)
    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=Side.choices)
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=150, required=False
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), max_length=20, required=False
    )
    nib = forms.CharField(label="NIB", max_length=13, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Participant list (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "Columns: nama, provinsi, kabupaten/kota, sektor, pihak; optional narahubung, "
            "telepon, komoditas, NIB, alamat. Codes are Kemendagri codes (35, 35.78)."
        ),
    )


def _pending_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING / token


def participants(request, slug: str):
    mission = mission_or_404(request, slug)
    can_manage = request.user.has_perm("missions.manage_mission", mission)
    form = ParticipantForm(request.POST or None) if can_manage else None
    if request.method == "POST" and can_manage and form.is_valid():
        data = form.cleaned_data
        side = data.pop("side")
        try:
            business = domain.business_create(actor=request.user, owner=mission.organiser, **data)
            domain.participant_add(
                actor=request.user, mission=mission, business=business, side=side
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("%(name)s takes part now.") % {"name": business.name})
            return redirect("province:participants", province=request.province.slug, slug=slug)
    rows = (
        Participant.objects.filter(mission=mission)
        .select_related("business__province", "business__regency")
        .order_by("side", "business__name")
    )
    return TemplateResponse(
        request,
        "missions/participants.html",
        {
            "mission": mission,
            "rows": rows,
            "form": form,
            "upload": UploadForm() if can_manage else None,
        },
    )


@require_POST
def participants_upload(request, slug: str):
    mission = mission_or_404(request, slug, "missions.manage_mission")
    upload = UploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("province:participants", province=request.province.slug, slug=slug)
    received = upload.cleaned_data["file"]
    content = received.read(MAX_BYTES + 1)
    parsed = read_participants(content, received.name)
    token = ""
    if parsed.ok:
        token = secrets.token_urlsafe(16)
        path = _pending_path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        (path.parent / f"{token}.name").write_text(received.name)
    return TemplateResponse(
        request,
        "missions/participants_preview.html",
        {"mission": mission, "parsed": parsed, "token": token, "filename": received.name},
    )


@require_POST
def participants_commit(request, slug: str):
    mission = mission_or_404(request, slug, "missions.manage_mission")
    token = request.POST.get("token", "")
    path = _pending_path(token)
    if not token.replace("-", "").replace("_", "").isalnum() or not path.exists():
        messages.error(request, _("This import has expired; upload the file again."))
        return redirect("province:participants", province=request.province.slug, slug=slug)
    name_file = path.parent / f"{token}.name"
    parsed = read_participants(path.read_bytes(), name_file.read_text())
    try:
        if not parsed.ok:
            raise ValidationError(_("The file has problems; nothing was saved."))
        count = domain.participants_import(actor=request.user, mission=mission, rows=parsed.rows)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s participants were added.") % {"count": count})
    finally:
        path.unlink(missing_ok=True)
        name_file.unlink(missing_ok=True)
    return redirect("province:participants", province=request.province.slug, slug=slug)
