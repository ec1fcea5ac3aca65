"""The dashboard's words and numbers in the reader's language: how each
indicator is counted, the verdicts, the forecast's method, and the formats
of values (1.000.000 / 1,000,000; Rp 2,5 miliar; 66,7%). Used by the page,
the PDF, the XLSX and the national comparison alike (`niaga.programs.dashboard`)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from babel.dates import format_date
from babel.numbers import format_compact_decimal, format_decimal
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from niaga.core.money import format_rupiah, format_rupiah_short
from niaga.programs import forecast as fc
from niaga.programs.models import IndicatorKey

DEFINITIONS = {
    IndicatorKey.SANTRIPRENEURS: gettext_lazy(
        "People in the registry whose pillar is santripreneur, plus people who completed "
        "a cohort of this program, each person once. A person counts from the year they "
        "were registered or, if earlier, the year they first completed a cohort."
    ),
    IndicatorKey.PESANTRENPRENEURS: gettext_lazy(
        "Pesantren cooperatives (kopontren) in the registry, from the year they were registered."
    ),
    IndicatorKey.SOSIOPRENEURS: gettext_lazy(
        "People in the registry whose pillar is sosiopreneur, from the year they were registered."
    ),
    IndicatorKey.PRODUCTS: gettext_lazy(
        "Products in the registry, whatever their curation status, from the year they were "
        "registered."
    ),
    IndicatorKey.CURATED_PRODUCTS: gettext_lazy(
        "Products curated by then, by the curation history (a withdrawn curation stops "
        "counting); now: the products whose status is curated."
    ),
    IndicatorKey.PESANTREN_ASSISTED: gettext_lazy(
        "Distinct pesantren that received from this program a grant that still stands "
        "(net of reversals) or any assistance."
    ),
    IndicatorKey.TRAINING_GRADUATES: gettext_lazy(
        "Completed enrolments in this program's cohorts, by completion date."
    ),
    IndicatorKey.GRANTS_DISBURSED: gettext_lazy(
        "The sum of this program's grants in rupiah, net of reversals, by grant date."
    ),
}
REGENCY_RULE = gettext_lazy(
    "Regency: a person's regency/city of residence, else their pesantren's; for "
    "cooperatives, grants and assistance the pesantren's; for products their own."
)
ENTERED_RULE = gettext_lazy(
    "Entered as dated figures with their source; the actual is the latest figure, and "
    "years without a figure are gaps."
)
FIGURES_WIN_RULE = gettext_lazy(
    "All values are running totals at the end of each year. A figure entered for a year "
    "takes the place of the computed value of that year."
)


# --- Formatting, in the active language --------------------------------------------


def _locale() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def format_value(value: int | None, *, money: bool = False) -> str:
    """1.000.000 (Indonesian) or 1,000,000 (English); rupiah for money; "–" for none."""
    if value is None:
        return "–"
    if money:
        return format_rupiah(int(value))
    return format_decimal(int(value), locale=_locale())


def format_short(value: int, *, money: bool = False) -> str:
    """An axis label: 1,2 jt / 1.2M; Rp 1,5 miliar."""
    if money:
        return format_rupiah_short(int(value))
    if abs(value) < 10_000:
        return format_decimal(int(value), locale=_locale())
    return format_compact_decimal(int(value), locale=_locale(), fraction_digits=1)


def format_day(day: dt.date | None) -> str:
    """31 Desember 2022 / December 31, 2022."""
    return format_date(day, format="long", locale=_locale()) if day else ""


def format_percent(percent: Fraction | None) -> str:
    if percent is None:
        return "–"
    return format_decimal(round(float(percent), 1), format="#,##0.0", locale=_locale()) + "%"


def verdict_text(verdict: fc.Verdict, *, target_year: int | None, money: bool) -> str:
    gap = format_value(verdict.gap, money=money)
    texts = {
        fc.NO_TARGET: lambda: _("No target set"),
        fc.NO_FORECAST: lambda: _("Too few yearly values for a forecast (two are needed)"),
        fc.NO_VALUE: lambda: (
            _("No value for %(year)s to compare with its target") % {"year": target_year}
        ),
        fc.MISSED: lambda: (
            _("Target for %(year)s missed by %(gap)s") % {"year": target_year, "gap": gap}
        ),
        fc.ON_TRACK: lambda: _("On track"),
        fc.SHORT: lambda: _("Short by %(gap)s at this pace") % {"gap": gap},
    }
    if verdict.kind == fc.REACHED:
        return _("Target for %(year)s reached") % {"year": target_year}
    return texts[verdict.kind]()


def method_text(forecast: fc.Forecast | None) -> str:
    if forecast is None:
        return _(
            "Forecast: a straight-line trend through the last yearly values needs at least "
            "two of them and a target year still ahead."
        )
    first, last = forecast.years_used[0], forecast.years_used[-1]
    return _(
        "Forecast: a straight line fitted (least squares) through the last %(count)s "
        "yearly values (%(first)s–%(last)s), read at %(year)s. Range: the last value "
        "carried forward to %(year)s at the smallest and at the largest change per year "
        "among those years."
    ) % {"count": len(forecast.points), "first": first, "last": last, "year": forecast.year}
