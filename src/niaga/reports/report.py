"""The mission report: one function builds every figure, and the page, the PDF,
the XLSX workbook and the API all print what it returns, so they cannot differ.

Sections: the mission's facts; the announced totals (times in the host
province's zone, with its label); totals by direction; the top ten live
commitments by value; breakdowns by commodity and by regency/city of origin;
the participants (count per side and the list); the agreements signed at the
mission; and the realization status (the dashboard's figures,
`niaga.realization.dashboard.for_mission`).

`include_contacts=False` gives the public version: no contact person and no
phone number of any business. The internal version names the contact person
and shows the phone masked (`0812*****890`), as every export does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from niaga.audit.masking import mask_phone
from niaga.missions import queries as mission_queries
from niaga.missions.models import Mission, Participant, Side
from niaga.realization import dashboard
from niaga.regions.clock import format_clock, format_local_datetime
from niaga.regions.models import Province


@dataclass(frozen=True)
class Party:
    """One side of a commitment: the business, its city, and (internal only) its contact."""

    name: str
    city: str
    contact: str  # "Budi Santoso, 0812*****890" or "" (public version, or none recorded)


@dataclass(frozen=True)
class TopRow:
    rank: int
    seller: Party
    buyer: Party
    commodity: str
    volume: str  # "12.500 kg" or ""
    value_idr: int
    stage_label: str
    paid_idr: int


@dataclass(frozen=True)
class SnapshotRow:
    at: dt.datetime
    total_idr: int
    count: int
    host: Province

    @property
    def when(self) -> str:
        """'13 April 2022, 18.30 WITA' in the active language."""
        return format_local_datetime(self.at, self.host)

    @property
    def clock(self) -> str:
        return format_clock(self.at, self.host)


@dataclass(frozen=True)
class ParticipantRow:
    name: str
    side: str
    side_label: str
    city: str
    sector: str
    contact: str


@dataclass(frozen=True)
class AgreementRow:
    kind: str
    title: str
    numbers: str  # each party's number, "; "-separated
    parties: str
    signed_on: dt.date
    place: str


@dataclass
class MissionReport:
    mission: Mission
    include_contacts: bool
    generated_at: dt.datetime
    realization: dashboard.Realization
    snapshots: list[SnapshotRow]
    top: list[TopRow]
    participants: list[ParticipantRow]
    organiser_count: int
    host_count: int
    agreements: list[AgreementRow]
    ledger_count: int
    last_recorded_at: dt.datetime | None

    @property
    def totals(self) -> dashboard.Figures:
        return self.realization.totals

    @property
    def latest_snapshot(self) -> SnapshotRow | None:
        return self.snapshots[-1] if self.snapshots else None

    @property
    def has_follow_up(self) -> bool:
        """True once anything was delivered or paid or any deal left its recorded stage."""
        t = self.totals
        return bool(t.delivered_idr or t.paid_idr) or any(
            d.current_stage != d.stage for d in self.realization.deals
        )

    @property
    def when(self) -> str:
        m = self.mission
        return f"{format_local_datetime(m.opens_at, m.host)}–{format_clock(m.closes_at, m.host)}"

    @property
    def generated_text(self) -> str:
        return format_local_datetime(self.generated_at, self.mission.organiser)

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) rows of the mission's facts, in the active language."""
        m = self.mission
        return [
            (_("Mission"), m.name),
            (_("Organising province"), m.organiser.name),
            (_("Host province"), m.host.name),
            (_("Venue"), f"{m.venue}, {m.host_regency.name}"),
            (_("Date and time"), self.when),
            (_("Status"), str(m.get_status_display())),
            (
                _("Participants"),
                _("%(organiser)s from the organising province, %(host)s from the host side")
                % {"organiser": self.organiser_count, "host": self.host_count},
            ),
            (_("Report made"), self.generated_text),
        ]


def _contact(business, include_contacts: bool) -> str:
    if not include_contacts:
        return ""
    parts = [business.contact_name.strip()]
    if business.contact_phone.strip():
        parts.append(mask_phone(business.contact_phone))
    return ", ".join(p for p in parts if p)


def _party(participant, include_contacts: bool) -> Party:
    business = participant.business
    return Party(business.name, business.regency.name, _contact(business, include_contacts))


def _volume(deal) -> str:
    if deal.volume is None:
        return ""
    return f"{floatformat(deal.volume, '-3g')} {deal.unit}".strip()


def _agreements(mission: Mission) -> list[AgreementRow]:
    try:
        from niaga.agreements.queries import signed_at_mission
    except ImportError:  # the agreements app is optional for the report
        return []
    rows = []
    for agreement in signed_at_mission(mission):
        parties = list(agreement.parties.all())
        rows.append(
            AgreementRow(
                kind=str(agreement.get_kind_display()),
                title=agreement.title,
                numbers="; ".join(p.number for p in parties if p.number),
                parties="; ".join(p.name for p in parties),
                signed_on=agreement.signed_on,
                place=agreement.place,
            )
        )
    return rows


def build(
    mission: Mission,
    *,
    include_contacts: bool,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> MissionReport:
    """Every figure of the mission report. `mission` with organiser, host and
    host_regency loaded; the caller has checked the reader's right to it (and
    passes include_contacts=False to anyone outside the mission's teams)."""
    now = now or timezone.now()
    board = dashboard.for_mission(mission, today=today)
    snapshots = [
        SnapshotRow(at=s.announced_at, total_idr=s.total_idr, count=s.count, host=mission.host)
        for s in mission_queries.snapshots(mission)
    ]
    top = [
        TopRow(
            rank=i,
            seller=_party(deal.seller, include_contacts),
            buyer=_party(deal.buyer, include_contacts),
            commodity=deal.commodity,
            volume=_volume(deal),
            value_idr=deal.value_idr,
            stage_label=deal.current_stage_label,
            paid_idr=deal.paid_idr,
        )
        for i, deal in enumerate(board.top(10), start=1)
    ]
    participants = [
        ParticipantRow(
            name=p.business.name,
            side=p.side,
            side_label=Side(p.side).label,
            city=p.business.regency.name,
            sector=p.business.sector,
            contact=_contact(p.business, include_contacts),
        )
        for p in Participant.objects.with_scopes_disabled()
        .filter(mission_id=mission.pk)
        .select_related("business__regency")
        .order_by("side", "business__name", "id")
    ]
    totals = mission_queries.totals(mission)
    return MissionReport(
        mission=mission,
        include_contacts=include_contacts,
        generated_at=now,
        realization=board,
        snapshots=snapshots,
        top=top,
        participants=participants,
        organiser_count=sum(p.side == Side.ORGANISER for p in participants),
        host_count=sum(p.side == Side.HOST for p in participants),
        agreements=_agreements(mission),
        ledger_count=totals.count,
        last_recorded_at=totals.last_recorded_at,
    )


def filename(mission: Mission, extension: str, *, today: dt.date) -> str:
    """laporan-misi-jatim-kalsel-2022-2026-11-28.pdf"""
    return f"laporan-misi-{mission.slug}-{today.isoformat()}.{extension}"
