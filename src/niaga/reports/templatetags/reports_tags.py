"""Template filters of the realization pages and the mission report."""

from django import template

from niaga.realization.charts import month_text, percent_text

register = template.Library()


@register.filter
def percent(value):
    """{{ figures.rate|percent }} → '45,2 %' ('45.2 %' in English, '–' for none)."""
    return percent_text(value)


@register.filter
def month(value):
    """{{ point.month|month }} → 'Apr 2022' in the reader's language."""
    return month_text(value) if value else ""
