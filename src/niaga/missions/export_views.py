"""Exports of a mission's participants and deals as CSV (comma or semicolon) and XLSX.

Contact phone numbers are masked, as everywhere outside the record itself.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from niaga.audit.masking import mask_phone
from niaga.core.exports import DELIMITERS, csv_response, xlsx_response
from niaga.missions.models import Deal, Participant
from niaga.missions.views import mission_or_404


def _respond(request, name: str, sheet: str, header, rows, fmt: str):
    if fmt == "xlsx":
        return xlsx_response(name, sheet, header, rows)
    delimiter = DELIMITERS.get(request.GET.get("sep", "comma"))
    if fmt != "csv" or delimiter is None:
        raise Http404("unknown export format")
    return csv_response(name, header, rows, delimiter=delimiter)


def participants_export(request, slug: str, fmt: str):
    mission = mission_or_404(request, slug)
    rows = (
        Participant.objects.filter(mission=mission)
        .select_related("business__province", "business__regency")
        .order_by("side", "business__name")
    )
    header = [
        _("Business"),
        _("Side"),
        _("Province"),
        _("Regency/city"),
        _("Regency code"),
        _("Sector"),
        _("Commodities"),
        _("Contact person"),
        _("Contact phone"),
        "NIB",
    ]
    data = (
        [
            p.business.name,
            p.get_side_display(),
            p.business.province.name,
            p.business.regency.name,
            p.business.regency_id,
            p.business.sector,
            p.business.commodities,
            p.business.contact_name,
            mask_phone(p.business.contact_phone) if p.business.contact_phone else "",
            p.business.nib,
        ]
        for p in rows
    )
    return _respond(request, f"{mission.slug}-peserta", _("Participants"), header, data, fmt)


def deals_export(request, slug: str, fmt: str):
    mission = mission_or_404(request, slug)
    zone = mission.host.zone
    rows = (
        Deal.objects.filter(mission=mission)
        .select_related("seller__business__regency", "buyer__business__regency", "recorded_by")
        .order_by("recorded_at", "id")
    )
    header = [
        _("Number"),
        _("Time (%(zone)s)") % {"zone": mission.host.zone_label},
        _("Entry"),
        _("Corrects"),
        _("Direction"),
        _("Seller"),
        _("Seller's regency/city"),
        _("Buyer"),
        _("Buyer's regency/city"),
        _("Commodity"),
        _("HS code"),
        _("Volume"),
        _("Unit"),
        _("Value (Rp)"),
        _("Stage"),
        _("Late"),
        _("Recorded by"),
        _("Note"),
        _("Reason"),
    ]
    data = (
        [
            d.pk,
            d.recorded_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            d.get_kind_display(),
            d.corrects_id or "",
            d.get_direction_display(),
            d.seller.business.name,
            d.seller.business.regency.name,
            d.buyer.business.name,
            d.buyer.business.regency.name,
            d.commodity,
            d.hs_code,
            float(d.volume) if d.volume is not None else "",
            d.unit,
            d.value_idr,
            d.get_stage_display(),
            d.is_late,
            d.recorded_by.get_username(),
            d.note,
            d.reason,
        ]
        for d in rows
    )
    return _respond(request, f"{mission.slug}-transaksi", _("Deals"), header, data, fmt)
