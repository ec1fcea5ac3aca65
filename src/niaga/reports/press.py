"""The press summary of a mission: a few sentences in Indonesian, made from the
report's figures, that an officer copies into a press release.

"Misi Dagang Jawa Timur – Kalimantan Selatan mencatat 312 transaksi senilai
Rp 147,3 miliar hingga pukul 18.30 WITA, 13 April 2022. …"

- The headline total, count and clock time are those of the latest announced
  total (what was said on stage); with none announced, the ledger's total at
  its last entry. If the ledger moved after the announcement, a sentence says
  where it stands now.
- Then the split by direction, the three largest commodities, and (once any
  delivery or payment is recorded) the realization so far.

Sentences are translatable (English source) and rendered in Indonesian unless
another language is asked for; amounts in the short form (`147,3 miliar`).
"""

from __future__ import annotations

from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from niaga.core.money import format_rupiah_short
from niaga.realization.charts import percent_text
from niaga.regions.clock import format_clock
from niaga.reports.report import MissionReport

TOP_COMMODITIES = 3


def _day(day, language: str) -> str:
    return format_date(day, format="long", locale="en" if language == "en" else "id")


def _list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def press_summary(report: MissionReport, *, language: str = "id") -> str:
    """The summary as plain text (see the module docstring)."""
    with translation.override(language):
        return _summary(report, language)


def _summary(report: MissionReport, language: str) -> str:
    mission = report.mission
    host = mission.host

    def money(amount: int) -> str:
        return format_rupiah_short(amount, language=language)

    snapshot = report.latest_snapshot
    if snapshot is not None:
        total, count, at = snapshot.total_idr, snapshot.count, snapshot.at
    elif report.ledger_count and report.last_recorded_at is not None:
        total, count, at = report.totals.committed_idr, report.ledger_count, report.last_recorded_at
    else:
        return _("%(mission)s has not recorded any transaction yet.") % {"mission": mission.name}
    local_day = at.astimezone(host.zone).date()
    sentences = [
        ngettext(
            "%(mission)s recorded %(count)s transaction worth %(total)s as of %(clock)s, %(day)s.",
            "%(mission)s recorded %(count)s transactions worth %(total)s as of %(clock)s, %(day)s.",
            count,
        )
        % {
            "mission": mission.name,
            "count": count,
            "total": money(total),
            "clock": format_clock(at, host, language=language),
            "day": _day(local_day, language),
        }
    ]
    totals = report.totals
    if snapshot is not None and (
        totals.committed_idr != snapshot.total_idr or report.ledger_count != snapshot.count
    ):
        sentences.append(
            ngettext(
                "The ledger now stands at %(total)s in %(count)s transaction.",
                "The ledger now stands at %(total)s in %(count)s transactions.",
                report.ledger_count,
            )
            % {"total": money(totals.committed_idr), "count": report.ledger_count}
        )
    direction = {g.key: g.figures.committed_idr for g in report.realization.by_direction}
    if totals.committed_idr > 0:
        values = {
            "province": mission.organiser.name,
            "sell": money(direction["sell"]),
            "buy": money(direction["buy"]),
            "invest": money(direction["invest"]),
        }
        if direction["invest"]:
            sentences.append(
                _(
                    "Sales by %(province)s came to %(sell)s, purchases to %(buy)s "
                    "and investment to %(invest)s."
                )
                % values
            )
        else:
            sentences.append(
                _("Sales by %(province)s came to %(sell)s and purchases to %(buy)s.") % values
            )
        commodities = [
            f"{row.name} ({money(row.figures.committed_idr)})"
            for row in report.realization.by_commodity[:TOP_COMMODITIES]
            if row.figures.committed_idr > 0
        ]
        if commodities:
            sentences.append(
                _("The largest commodities were %(commodities)s.")
                % {"commodities": _list(commodities)}
            )
    if totals.paid_idr or totals.delivered_idr:
        sentences.append(
            _(
                "As of %(day)s, %(paid)s (%(rate)s of the commitments) has been paid "
                "and %(delivered)s delivered."
            )
            % {
                "day": _day(report.realization.today, language),
                "paid": money(totals.paid_idr),
                "rate": percent_text(totals.rate),
                "delivered": money(totals.delivered_idr),
            }
        )
    return " ".join(sentences)
