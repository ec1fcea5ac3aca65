"""The template filters every page uses for money and province-local time."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from niaga.regions.models import Province


def render(source: str, **context) -> str:
    return Template("{% load niaga %}" + source).render(Context(context))


def test_money_filters_in_both_languages():
    with translation.override("id"):
        assert render("{{ v|rupiah }}", v=147_321_766_000) == "Rp 147.321.766.000"
        assert render("{{ v|rupiah_short }}", v=147_321_766_000) == "Rp 147,3 miliar"
        assert render("{{ v|rupiah }}", v=None) == ""
    with translation.override("en"):
        assert render("{{ v|rupiah_short }}", v=1_661_000_000_000) == "IDR 1.66 trillion"


@pytest.mark.django_db
def test_local_time_filters():
    kalsel = Province.objects.get(slug="kalsel")
    moment = dt.datetime(2022, 4, 13, 10, 0, tzinfo=dt.UTC)
    with translation.override("id"):
        assert render("{{ t|local_clock:p }}", t=moment, p=kalsel) == "18.00 WITA"
        assert render("{{ t|local_datetime:p }}", t=moment, p=kalsel) == "13 April 2022, 18.00 WITA"
