"""Charts of the program dashboard as server-rendered SVG: the same markup on
the page and in the PDF (WeasyPrint draws inline SVG), no JavaScript, no
style attributes (the strict CSP allows SVG presentation attributes), every
text escaped here. Each chart has a <title> and a <desc> that say in words
what it shows, and the page puts a table of its figures next to it.

- `series_chart`: an indicator's yearly values as bars (computed values and
  entered figures in two colours), the target as a dashed line, and the
  forecast to the target year as a dashed line inside its shaded range.
- `regency_chart`: the regency drill-down as horizontal bars, with each
  regency's own target as a tick.
- `progress_bar`: the actual against the target, a thin bar.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from niaga.programs.dashboard import (
    COMPUTED,
    FIGURE,
    IndicatorSummary,
    RegencyBreakdown,
    format_short,
)

INK = "#1d2430"
MUTED = "#5b6472"
GRID = "#d9dee3"
COMPUTED_FILL = "#0b5d4b"
FIGURE_FILL = "#c08f00"
TARGET_STROKE = "#b02a37"
FORECAST_STROKE = "#0a58ca"
FORECAST_FILL = "#cfe2ff"
TRACK_FILL = "#e2e6ea"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _f(number: float) -> str:
    return f"{number:.1f}"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = 11,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def _steps():
    # 1, 2, 5, 10, 20, 25, 50, ...: whole numbers only (indicators count things).
    for power in range(19):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10**power
            if step == int(step):
                yield int(step)


def axis(value: float, *, most: int = 5) -> tuple[int, int]:
    """(top, step) of a value axis from 0 that holds `value` with at most
    `most` steps of a round size."""
    for step in _steps():
        count = max(1, math.ceil(value / step))
        if count <= most:
            return count * step, step
    return math.ceil(value), math.ceil(value)  # pragma: no cover - beyond 10**18


def _open(chart_id: str, width: int, height: int, title: str, desc: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


# --- The yearly series --------------------------------------------------------------


def series_description(summary: IndicatorSummary) -> str:
    """The chart in words, for screen readers (and its <desc>)."""
    known = [p for p in summary.series if p.value is not None]
    parts = []
    if known:
        parts.append(
            _("Values at the end of each year: %(values)s.")
            % {"values": "; ".join(f"{p.year}: {summary.fmt(p.value)}" for p in known)}
        )
    else:
        parts.append(_("No values yet."))
    if summary.target is not None:
        parts.append(
            _("Target for %(year)s: %(value)s.")
            % {"year": summary.target_year, "value": summary.target_text}
        )
    if summary.forecast is not None:
        parts.append(summary.forecast_text)
    parts.append(summary.verdict_text + ".")
    return " ".join(parts)


def series_chart(summary: IndicatorSummary, *, chart_id: str) -> SafeString:
    """The yearly series with the target and the forecast (see the module docstring)."""
    width, height = 640, 300
    left, right, top, bottom = 78, 24, 28, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    years = [p.year for p in summary.series]
    first, last = years[0], years[-1]
    if summary.forecast is not None:
        last = max(last, summary.forecast.year)
    if summary.target_year is not None and summary.target_year >= first:
        last = max(last, summary.target_year)
    slots = last - first + 1
    slot = plot_w / slots
    money = summary.is_money

    def x(year: int) -> float:
        return left + (year - first + 0.5) * slot

    tallest = max(
        [p.value or 0 for p in summary.series]
        + [summary.target or 0]
        + [summary.forecast.high_int if summary.forecast else 0]
        + [value for year, value in summary.targets if first <= year <= last]
    )
    top_value, step = axis(tallest * 1.05)

    def y(value: float) -> float:
        return top + plot_h - (value / top_value) * plot_h

    out = [_open(chart_id, width, height, summary.name, series_description(summary), "chart")]
    # Grid and the value axis.
    for i in range(top_value // step + 1):
        value = i * step
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y(value))}" y2="{_f(y(value))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            _text(
                left - 6,
                y(value) + 4,
                format_short(round(value), money=money),
                size=10,
                anchor="end",
                fill=MUTED,
            )
        )
    # Year labels (every other year when there are many).
    every = 1 if slots <= 14 else 2
    for year in range(first, last + 1):
        if (year - first) % every == 0 or year == last:
            out.append(
                _text(x(year), top + plot_h + 15, str(year), size=10, anchor="middle", fill=MUTED)
            )
    # Bars.
    bar = max(4.0, slot * 0.6)
    for point in summary.series:
        if not point.value:
            continue
        fill = FIGURE_FILL if point.origin == FIGURE else COMPUTED_FILL
        out.append(
            f'<rect x="{_f(x(point.year) - bar / 2)}" y="{_f(y(point.value))}" width="{_f(bar)}" '
            f'height="{_f(top + plot_h - y(point.value))}" fill="{fill}">'
            f"<title>{escape(f'{point.year}: {summary.fmt(point.value)}')}</title></rect>"
        )
    # Targets: every province target as a diamond, the chosen one as a line.
    for year, value in summary.targets:
        if first <= year <= last:
            cx, cy = x(year), y(value)
            out.append(
                f'<path d="M{_f(cx)} {_f(cy - 6)} L{_f(cx + 6)} {_f(cy)} L{_f(cx)} {_f(cy + 6)} '
                f'L{_f(cx - 6)} {_f(cy)} Z" fill="{TARGET_STROKE}"/>'
            )
    if summary.target is not None:
        ty = y(summary.target)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(ty)}" y2="{_f(ty)}" '
            f'stroke="{TARGET_STROKE}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        label = _("Target %(year)s: %(value)s") % {
            "year": summary.target_year,
            "value": summary.target_text,
        }
        out.append(_text(left + 4, ty - 5, label, size=11, fill=TARGET_STROKE, weight="bold"))
    # The forecast: from the last known value to the target year, in its range.
    known = [p for p in summary.series if p.value is not None]
    if summary.forecast is not None and known:
        fc = summary.forecast
        x0, y0 = x(known[-1].year), y(known[-1].value)
        x1 = x(fc.year)
        out.append(
            f'<path d="M{_f(x0)} {_f(y0)} L{_f(x1)} {_f(y(fc.high_int))} '
            f'L{_f(x1)} {_f(y(fc.low_int))} Z" fill="{FORECAST_FILL}" fill-opacity="0.8" '
            f'stroke="{FORECAST_STROKE}" stroke-width="0.5"/>'
        )
        out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y0)}" x2="{_f(x1)}" y2="{_f(y(fc.value_int))}" '
            f'stroke="{FORECAST_STROKE}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<circle cx="{_f(x1)}" cy="{_f(y(fc.value_int))}" r="4" fill="{FORECAST_STROKE}"/>'
        )
        out.append(
            _text(
                min(x1, width - right - 2),
                y(fc.value_int) - 8,
                summary.fmt(fc.value_int),
                size=10,
                anchor="end",
                fill=FORECAST_STROKE,
                weight="bold",
            )
        )
    # Axis line and the legend.
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    legend_y = height - 22
    origins = {p.origin for p in summary.series if p.value}
    items = [
        item
        for item, shown in (
            (("rect", COMPUTED_FILL, _("Computed")), COMPUTED in origins),
            (("rect", FIGURE_FILL, _("Entered figure")), FIGURE in origins),
            (("line", TARGET_STROKE, _("Target")), summary.target is not None),
            (("band", FORECAST_FILL, _("Forecast and range")), summary.forecast is not None),
        )
        if shown
    ]
    lx = left
    for kind, colour, label in items:
        if kind == "line":
            out.append(
                f'<line x1="{lx}" x2="{lx + 14}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        else:
            stroke = f' stroke="{FORECAST_STROKE}"' if kind == "band" else ""
            out.append(
                f'<rect x="{lx}" y="{legend_y - 10}" width="14" height="10" fill="{colour}"'
                f"{stroke}/>"
            )
        out.append(_text(lx + 18, legend_y, label, size=10, fill=MUTED))
        lx += 28 + 6.2 * len(label)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


# --- The regency drill-down --------------------------------------------------------


def regency_description(breakdown: RegencyBreakdown) -> str:
    rows = [r for r in breakdown.rows if r.value is not None]
    summary = breakdown.indicator
    if not rows:
        return _("No values per regency/city.")
    return _("%(indicator)s per regency/city, %(year)s: %(values)s.") % {
        "indicator": summary.name,
        "year": breakdown.year,
        "values": "; ".join(f"{r.name}: {summary.fmt(r.value)}" for r in rows),
    }


def regency_chart(breakdown: RegencyBreakdown, *, chart_id: str) -> SafeString:
    """One horizontal bar per regency/city in the table's order, its target a tick."""
    summary = breakdown.indicator
    rows = [r for r in breakdown.rows if r.value is not None]
    row_h, label_w, value_w = 20, 170, 110
    width = 640
    plot_w = width - label_w - value_w - 10
    height = 20 + max(1, len(rows)) * row_h + 10
    tallest = max([r.value for r in rows] + [r.target or 0 for r in rows] + [1])
    top_value, _step = axis(tallest)
    title = _("%(indicator)s per regency/city, %(year)s") % {
        "indicator": summary.name,
        "year": breakdown.year,
    }
    out = [_open(chart_id, width, height, title, regency_description(breakdown), "chart")]
    if not rows:
        out.append(_text(10, 30, _("No values per regency/city."), fill=MUTED))
    for i, row in enumerate(rows):
        top = 10 + i * row_h
        name = row.name if len(row.name) <= 26 else row.name[:25] + "…"
        out.append(_text(label_w - 6, top + 14, name, size=11, anchor="end"))
        length = plot_w * row.value / top_value
        fill = FIGURE_FILL if row.origin == FIGURE else COMPUTED_FILL
        out.append(
            f'<rect x="{label_w}" y="{top + 3}" width="{_f(max(length, 0))}" height="{row_h - 6}" '
            f'fill="{fill}"/>'
        )
        if row.target:
            tx = label_w + plot_w * row.target / top_value
            out.append(
                f'<line x1="{_f(tx)}" x2="{_f(tx)}" y1="{top + 1}" y2="{top + row_h - 1}" '
                f'stroke="{TARGET_STROKE}" stroke-width="2"/>'
            )
        out.append(
            _text(label_w + length + 4, top + 14, summary.fmt(row.value), size=10, fill=MUTED)
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


# --- Progress ------------------------------------------------------------------------


def progress_bar(summary: IndicatorSummary) -> SafeString:
    """A thin bar filled to the actual's share of the target (full at 100 % and above)."""
    fill = summary.bar_percent
    colour = COMPUTED_FILL if summary.verdict.is_good else FIGURE_FILL
    label = _("%(percent)s of the target") % {"percent": summary.percent_text}
    return mark_safe(  # noqa: S308 - the label is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-svg" viewBox="0 0 100 6" '
        f'preserveAspectRatio="none" width="100%" height="14" role="img" '
        f'aria-label="{escape(label)}"><rect x="0" y="0" width="100" height="6" '
        f'fill="{TRACK_FILL}" rx="1"/><rect x="0" y="0" width="{fill:.2f}" height="6" '
        f'fill="{colour}" rx="1"/></svg>'
    )
