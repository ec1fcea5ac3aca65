"""The indicator pages: defining indicators (and the standard set), recording
figures with their source, setting and deleting targets; who may do what;
province isolation; a fixed number of queries for the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs.models import Indicator, IndicatorFigure, IndicatorKey, Target
from niaga.regions.models import Regency
from tests.conftest import make_user
from tests.programs.dashboard_world import figure, indicator, target

pytestmark = pytest.mark.django_db
LIST = "/province/jatim/programs/opop-jatim/indicators/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer(jatim):
    return make_user(
        "jatim-program-en", province=jatim, roles=[Role.PROGRAM_OFFICER], language="en"
    )


@pytest.fixture
def viewer(jatim):
    return make_user("jatim-viewer-en", province=jatim, roles=[Role.VIEWER], language="en")


@pytest.fixture
def products(opop_jatim):
    return indicator(opop_jatim, IndicatorKey.PRODUCTS, order=1)


@pytest.fixture
def kalsel_santri(opop_kalsel):
    found = indicator(opop_kalsel, IndicatorKey.SANTRIPRENEURS)
    with scopes_disabled():
        figure(found, dt.date(2023, 12, 31), 777, "Dinas KUMKM Kalsel")
        target(found, 2024, 1_000)
    return found


def detail(indicator_row) -> str:
    return f"{LIST}{indicator_row.pk}/"


def count(model, **filters) -> int:
    with scopes_disabled():
        return model.objects.filter(**filters).count()


def test_the_list_shows_each_indicator_with_its_latest_figure_and_targets(officer, products):
    with scopes_disabled():
        figure(products, dt.date(2020, 12, 31), 260)
        figure(products, dt.date(2021, 12, 31), 450, "Dinas KUKM Jatim")
        figure(products, dt.date(2022, 12, 31), 12, regency=Regency.objects.get(pk="35.17"))
        target(products, 2024, 1_000)
    html = client_for(officer).get(LIST).content.decode()
    row = re.search(r'<tr data-key="products">(.*?)</tr>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "Products" in text
    assert "450 December 31, 2021 · Dinas KUKM Jatim" in text
    assert "2024: 1,000" in text
    assert "Computed from the registry" in text
    assert 'id="add-standard"' in html
    assert "Add the 7 missing standard indicators" in html


def test_define_an_indicator(officer, opop_jatim):
    client = client_for(officer)
    response = client.post(
        LIST, {"key": "sosiopreneurs", "name": "", "source": "entered", "order": ""}
    )
    with scopes_disabled():
        created = Indicator.objects.get(program=opop_jatim, key="sosiopreneurs")
    assert response.status_code == 302
    assert response["Location"] == detail(created)
    assert (created.source, created.order) == ("entered", 1)


def test_a_bad_definition_shows_the_rule_and_saves_nothing(officer, products):
    response = client_for(officer).post(
        LIST, {"key": "products", "name": "x", "source": "computed"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    # The form offers only keys not yet defined, so it names the field's rule.
    assert "Select a valid choice. products is not one of the available choices." in html
    assert count(Indicator) == 1


def test_add_the_standard_set(officer, products):
    client = client_for(officer)
    response = client.post(f"{LIST}standard/", follow=True)
    assert "7 standard indicators have been added." in response.content.decode()
    assert count(Indicator) == 8
    response = client.post(f"{LIST}standard/", follow=True)
    assert "Every standard indicator is already defined." in response.content.decode()
    assert count(Indicator) == 8


def test_record_a_figure_and_set_a_target(officer, products):
    client = client_for(officer)
    response = client.post(
        f"{detail(products)}figures/",
        {
            "figure-as_of": "2022-12-31",
            "figure-value": "239.993",
            "figure-source_note": "Dinas KUKM Jatim",
            "figure-regency": "35.17",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail(products)}#figures"
    with scopes_disabled():
        stored = IndicatorFigure.objects.get()
    assert (stored.value, stored.regency_id, stored.source_note) == (
        239_993,
        "35.17",
        "Dinas KUKM Jatim",
    )
    response = client.post(
        f"{detail(products)}targets/", {"target-year": "2024", "target-value": "1.000"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert list(Target.objects.values_list("year", "value", "regency_id")) == [
            (2024, 1_000, None)
        ]
    html = client.get(detail(products)).content.decode()
    assert "239,993" in html and "Kabupaten Jombang" in html and "1,000" in html
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="programs.figure.record").count() == 1
        assert AuditEvent.objects.filter(action="programs.target.set").count() == 1


def test_bad_figures_name_their_fields_and_change_nothing(officer, products):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client_for(officer).post(
        f"{detail(products)}figures/",
        {"figure-as_of": future, "figure-value": "-5", "figure-source_note": "Dinas"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A figure is what was counted; its date cannot be in the future." in html
    assert "The value cannot be negative." in html
    assert 'id="id_figure-as_of_errors"' in html
    for value, note, message in (
        ("1,5", "Dinas", "Give a whole number, digits grouped by dots if you like: 239.993."),
        ("15", "", "This field is required."),
    ):
        response = client_for(officer).post(
            f"{detail(products)}figures/",
            {"figure-as_of": "2022-12-31", "figure-value": value, "figure-source_note": note},
        )
        assert message in response.content.decode()
    assert count(IndicatorFigure) == 0


def test_delete_a_figure_a_target_and_then_the_indicator(officer, products):
    with scopes_disabled():
        row = figure(products, dt.date(2021, 12, 31), 450)
        goal = target(products, 2024, 1_000)
    client = client_for(officer)
    response = client.post(f"{detail(products)}delete/", follow=True)
    assert "has 1 figure(s) and 1 target(s); delete them first" in response.content.decode()
    assert count(Indicator) == 1
    assert client.post(f"{detail(products)}figures/{row.pk}/delete/").status_code == 302
    assert client.post(f"{detail(products)}targets/{goal.pk}/delete/").status_code == 302
    response = client.post(f"{detail(products)}delete/")
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert (count(Indicator), count(IndicatorFigure), count(Target)) == (0, 0, 0)


def test_edit_the_definition(officer, products):
    response = client_for(officer).post(
        detail(products), {"name": "Produk OPOP", "source": "entered", "order": "3"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        products.refresh_from_db()
    assert (products.name, products.source, products.order) == ("Produk OPOP", "entered", 3)


# --- Who may do what ------------------------------------------------------------------------


def test_a_viewer_sees_the_pages_but_may_not_change_anything(viewer, products):
    with scopes_disabled():
        row = figure(products, dt.date(2021, 12, 31), 450)
    client = client_for(viewer)
    html = client.get(LIST).content.decode()
    assert "Products" in html
    assert 'id="add-standard"' not in html and "New indicator" not in html
    page = client.get(detail(products)).content.decode()
    assert "450" in page
    assert "Record a figure" not in page and "Delete" not in page
    posts = [
        (LIST, {"key": "sosiopreneurs", "source": "computed"}),
        (f"{LIST}standard/", {}),
        (detail(products), {"name": "x", "source": "entered", "order": "1"}),
        (
            f"{detail(products)}figures/",
            {"figure-as_of": "2022-12-31", "figure-value": "1", "figure-source_note": "x"},
        ),
        (f"{detail(products)}figures/{row.pk}/delete/", {}),
        (f"{detail(products)}targets/", {"target-year": "2024", "target-value": "1"}),
        (f"{detail(products)}delete/", {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert (count(Indicator), count(IndicatorFigure), count(Target)) == (1, 1, 0)


def test_another_provinces_indicators_answer_404(
    officer, products, kalsel_santri, kalsel_program_officer
):
    client = client_for(officer)
    kalsel_in_jatim = f"/province/jatim/programs/opop-kalsel/indicators/{kalsel_santri.pk}/"
    with scopes_disabled():
        kalsel_figure = kalsel_santri.figures.get()
        kalsel_target = kalsel_santri.targets.get()
    for url in (
        "/province/jatim/programs/opop-kalsel/indicators/",
        "/province/kalsel/programs/opop-kalsel/indicators/",
        kalsel_in_jatim,
        f"{LIST}{kalsel_santri.pk}/",  # Kalsel's indicator under East Java's program
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (
            f"{LIST}{kalsel_santri.pk}/figures/",
            {"figure-as_of": "2022-12-31", "figure-value": "1", "figure-source_note": "x"},
        ),
        (f"{LIST}{kalsel_santri.pk}/targets/", {"target-year": "2024", "target-value": "1"}),
        (f"{LIST}{kalsel_santri.pk}/figures/{kalsel_figure.pk}/delete/", {}),
        (f"{LIST}{kalsel_santri.pk}/targets/{kalsel_target.pk}/delete/", {}),
        (f"{LIST}{products.pk}/figures/{kalsel_figure.pk}/delete/", {}),
        (f"{LIST}{products.pk}/targets/{kalsel_target.pk}/delete/", {}),
        (f"{LIST}{kalsel_santri.pk}/delete/", {}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert (count(IndicatorFigure), count(Target)) == (1, 1)
    kalsel = client_for(kalsel_program_officer)
    assert kalsel.get(LIST).status_code == 404
    assert (
        kalsel.get(f"/province/kalsel/programs/opop-jatim/indicators/{products.pk}/").status_code
        == 404
    )
    assert kalsel.get("/province/kalsel/programs/opop-kalsel/indicators/").status_code == 200


def test_the_list_costs_the_same_queries_with_more_figures(officer, products, opop_jatim):
    client = client_for(officer)
    client.get(LIST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    with scopes_disabled():
        for year in range(2000, 2020):
            figure(products, dt.date(year, 12, 31), year)
            target(products, year, year)
        for key in (IndicatorKey.SANTRIPRENEURS, IndicatorKey.SOSIOPRENEURS):
            figure(indicator(opop_jatim, key), dt.date(2021, 12, 31), 5)
    assert queries() == few
