"""Charts of the realization dashboard and the mission report, as server-rendered
SVG: the same markup on the page, in the PDF (WeasyPrint draws inline SVG) and
on the public transparency page. No script, no style attribute (strict CSP),
every text escaped; each chart has a <title> and a <desc> that say in words
what it shows, and every page puts a table of its figures beside it.

- `totals_chart`: committed, delivered and paid as three horizontal bars;
- `rate_chart`: the realization rate (paid ÷ committed, cumulative) by month;
- `series_chart`: the province's record per year, committed and paid bars,
  with the number of missions over each year.
"""

from __future__ import annotations

from babel.dates import format_date
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from niaga.core.money import format_rupiah_short
from niaga.programs.charts import FONT, GRID, INK, MUTED, axis
from niaga.realization.dashboard import Figures, RatePoint, SeriesYear

COMMITTED_FILL = "#5b6472"
DELIVERED_FILL = "#0a58ca"
PAID_FILL = "#0b5d4b"
RATE_STROKE = "#0b5d4b"


def _f(number: float) -> str:
    return f"{number:.1f}"


def _text(x, y, content, *, size=11, anchor="start", fill=INK, weight="normal") -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def percent_text(value: float | None) -> str:
    """'45,2 %' in Indonesian, '45.2 %' in English; '–' when there is no rate."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    if (get_language() or "id").split("-")[0] != "en":
        text = text.replace(".", ",")
    return f"{text} %"


def month_text(month) -> str:
    locale = "en" if (get_language() or "id").startswith("en") else "id"
    return format_date(month, format="MMM y", locale=locale)


def _money_axis(top_value: int) -> tuple[int, int]:
    # A money axis in round steps (axis() gives whole numbers from 1 up).
    return axis(max(top_value, 1) * 1.05)


# --- Committed, delivered, paid ---------------------------------------------------


def totals_chart(figures: Figures, *, chart_id: str) -> SafeString:
    width, label_w, value_w, row_h = 640, 120, 150, 34
    plot_w = width - label_w - value_w
    rows = [
        (_("Committed"), figures.committed_idr, COMMITTED_FILL),
        (_("Delivered"), figures.delivered_idr, DELIVERED_FILL),
        (_("Paid"), figures.paid_idr, PAID_FILL),
    ]
    height = 12 + row_h * len(rows)
    desc = "; ".join(f"{label}: {format_rupiah_short(value)}" for label, value, _fill in rows)
    desc += ". " + _("Realization rate: %(rate)s.") % {"rate": percent_text(figures.rate)}
    title = _("Committed, delivered and paid")
    out = [_open(chart_id, width, height, title, desc)]
    tallest = max(value for _label, value, _fill in rows) or 1
    for i, (label, value, fill) in enumerate(rows):
        top = 6 + i * row_h
        out.append(_text(label_w - 8, top + 20, label, size=12, anchor="end"))
        length = plot_w * max(value, 0) / tallest
        out.append(
            f'<rect x="{label_w}" y="{top + 4}" width="{_f(length)}" height="{row_h - 10}" '
            f'fill="{fill}"/>'
        )
        out.append(
            _text(label_w + length + 6, top + 20, format_rupiah_short(value), size=11, fill=MUTED)
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


# --- The realization rate over time ---------------------------------------------


def rate_chart(points: list[RatePoint], *, chart_id: str) -> SafeString:
    width, height = 640, 260
    left, right, top, bottom = 52, 20, 20, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    title = _("Realization rate over time")
    known = [p for p in points if p.rate is not None]
    if not known:
        desc = _("Nothing committed yet.")
        out = [_open(chart_id, width, 60, title, desc), _text(10, 34, desc, fill=MUTED), "</svg>"]
        return mark_safe("".join(out))  # noqa: S308 - escaped
    last = known[-1]
    desc = _(
        "Paid as a share of committed, at the end of each month, "
        "from %(first)s (%(r0)s) to %(last)s (%(r1)s)."
    ) % {
        "first": month_text(known[0].month),
        "r0": percent_text(known[0].rate),
        "last": month_text(last.month),
        "r1": percent_text(last.rate),
    }
    top_rate = max(100.0, max(p.rate for p in known))
    top_value, step = axis(top_rate)
    count = len(points)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / count)

    def y(rate: float) -> float:
        return top + plot_h - rate / top_value * plot_h

    out = [_open(chart_id, width, height, title, desc)]
    for i in range(top_value // step + 1):
        value = i * step
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_f(y(value))}" y2="{_f(y(value))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, y(value) + 4, f"{value} %", size=10, anchor="end", fill=MUTED))
    every = max(1, -(-count // 8))
    for i, point in enumerate(points):
        if i % every == 0 or i == count - 1:
            out.append(
                _text(
                    x(i),
                    top + plot_h + 16,
                    month_text(point.month),
                    size=10,
                    anchor="middle",
                    fill=MUTED,
                )
            )
    path = " ".join(
        f"{'M' if n == 0 else 'L'}{_f(x(i))} {_f(y(p.rate))}"
        for n, (i, p) in enumerate((i, p) for i, p in enumerate(points) if p.rate is not None)
    )
    out.append(f'<path d="{path}" fill="none" stroke="{RATE_STROKE}" stroke-width="2.5"/>')
    last_index = max(i for i, p in enumerate(points) if p.rate is not None)
    out.append(
        f'<circle cx="{_f(x(last_index))}" cy="{_f(y(last.rate))}" r="4" fill="{RATE_STROKE}"/>'
    )
    out.append(
        _text(
            min(x(last_index), width - right - 2),
            y(last.rate) - 8,
            percent_text(last.rate),
            size=11,
            anchor="end",
            fill=RATE_STROKE,
            weight="bold",
        )
    )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()


# --- The province's record per year --------------------------------------------


def series_chart(series: list[SeriesYear], *, chart_id: str) -> SafeString:
    width, height = 640, 300
    left, right, top, bottom = 112, 16, 30, 62
    plot_w, plot_h = width - left - right, height - top - bottom
    title = _("Missions, committed and paid per year")
    desc = "; ".join(
        _("%(year)s: %(missions)s missions, %(committed)s committed, %(paid)s paid")
        % {
            "year": s.year,
            "missions": s.missions,
            "committed": format_rupiah_short(s.committed_idr),
            "paid": format_rupiah_short(s.paid_idr),
        }
        for s in series
    )
    out = [_open(chart_id, width, height, title, desc + ".")]
    if not series:
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - escaped
    top_value, step = _money_axis(max(max(s.committed_idr, s.paid_idr) for s in series))
    slot = plot_w / len(series)

    def y(value: float) -> float:
        return top + plot_h - value / top_value * plot_h

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
                format_rupiah_short(value),
                size=10,
                anchor="end",
                fill=MUTED,
            )
        )
    bar = max(3.0, slot * 0.32)
    for i, s in enumerate(series):
        centre = left + slot * (i + 0.5)
        for offset, value, fill in (
            (-bar, s.committed_idr, COMMITTED_FILL),
            (0, s.paid_idr, PAID_FILL),
        ):
            if value > 0:
                out.append(
                    f'<rect x="{_f(centre + offset)}" y="{_f(y(value))}" width="{_f(bar)}" '
                    f'height="{_f(top + plot_h - y(value))}" fill="{fill}"/>'
                )
        out.append(
            _text(centre, top + plot_h + 15, str(s.year), size=10, anchor="middle", fill=MUTED)
        )
        if s.missions:
            out.append(
                _text(
                    centre,
                    y(s.committed_idr) - 5,
                    str(s.missions),
                    size=10,
                    anchor="middle",
                    weight="bold",
                )
            )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    legend_y = height - 18
    lx = left
    for label, fill in (
        (_("Committed"), COMMITTED_FILL),
        (_("Paid"), PAID_FILL),
        (_("Number over the bars: missions"), None),
    ):
        if fill:
            out.append(f'<rect x="{lx}" y="{legend_y - 10}" width="14" height="10" fill="{fill}"/>')
            out.append(_text(lx + 18, legend_y, label, size=10, fill=MUTED))
            lx += 30 + 6.2 * len(label)
        else:
            out.append(_text(lx, legend_y, label, size=10, fill=MUTED))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above went through escape()
