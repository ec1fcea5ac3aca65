"""Writes of indicators, figures and targets (`niaga.programs.domain.indicators`):
rules with the field and code of each error, nothing changed on bad input,
audit events, and who may write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs.domain import indicators as domain
from niaga.programs.models import Indicator, IndicatorFigure, IndicatorKey, Target
from niaga.regions.models import Regency
from tests.conftest import make_user
from tests.programs.dashboard_world import indicator

pytestmark = pytest.mark.django_db
JOMBANG, BANJARMASIN = "35.17", "63.71"


@pytest.fixture
def officer(jatim_program_officer):
    return jatim_program_officer


@pytest.fixture
def products(opop_jatim):
    return indicator(opop_jatim, IndicatorKey.PRODUCTS)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def events(action: str) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def count(model) -> int:
    with scopes_disabled():
        return model.objects.count()


# --- Indicators ----------------------------------------------------------------------------


def test_create_an_indicator(officer, opop_jatim):
    indicator = domain.indicator_create(
        actor=officer, program=opop_jatim, key="santripreneurs", source="entered"
    )
    with translation.override("id"):
        expected = str(IndicatorKey.SANTRIPRENEURS.label)
    assert (indicator.key, indicator.name, indicator.source, indicator.order) == (
        "santripreneurs",
        expected,
        "entered",
        1,
    )
    assert indicator.province_id == opop_jatim.province_id
    second = domain.indicator_create(
        actor=officer, program=opop_jatim, key="products", name=" Produk  OPOP ", source="computed"
    )
    assert (second.name, second.order) == ("Produk OPOP", 2)
    [event, _] = events("programs.indicator.create")
    assert event.after == {
        "program": opop_jatim.pk,
        "key": "santripreneurs",
        "name": expected,
        "source": "entered",
        "order": 1,
    }
    assert event.actor == officer


def test_bad_definitions_name_their_fields(officer, opop_jatim, products):
    with pytest.raises(ValidationError) as error:
        domain.indicator_create(
            actor=officer,
            program=opop_jatim,
            key="omzet",
            name="x" * 201,
            source="guess",
            order="a",
        )
    assert codes(error.value) == {
        "key": ["invalid_choice"],
        "source": ["invalid_choice"],
        "order": ["invalid"],
        "name": ["max_length"],
    }
    with pytest.raises(ValidationError) as error, translation.override("en"):
        domain.indicator_create(
            actor=officer, program=opop_jatim, key="products", source="computed"
        )
    assert codes(error.value) == {"key": ["unique"]}
    with translation.override("en"):
        assert error.value.error_dict["key"][0].messages == [
            "OPOP Jawa Timur already has the indicator “Products”."
        ]
    assert count(Indicator) == 1


def test_update_changes_name_source_and_order_but_not_the_key(officer, products):
    domain.indicator_update(
        actor=officer, indicator=products, name="Produk", source="entered", order=5
    )
    with scopes_disabled():
        products.refresh_from_db()
    assert (products.name, products.source, products.order, products.key) == (
        "Produk",
        "entered",
        5,
        "products",
    )
    [event] = events("programs.indicator.update")
    assert event.before == {"name": "Products", "source": "computed", "order": 0}
    assert event.after == {"name": "Produk", "source": "entered", "order": 5}
    with pytest.raises(TypeError):
        domain.indicator_update(actor=officer, indicator=products, key="sosiopreneurs")
    with pytest.raises(ValidationError) as error:
        domain.indicator_update(actor=officer, indicator=products, name=" ", source="x")
    assert codes(error.value) == {"name": ["required"], "source": ["invalid_choice"]}


def test_an_indicator_with_history_is_not_deleted(officer, products):
    figure = domain.figure_record(
        actor=officer, indicator=products, as_of="2021-12-31", value=450, source_note="Dinas"
    )
    target = domain.target_set(actor=officer, indicator=products, year=2024, value=1_000)
    with pytest.raises(ValidationError) as error, translation.override("en"):
        domain.indicator_delete(actor=officer, indicator=products)
    assert error.value.code == "has_history"
    assert error.value.params == {"name": "Products", "figures": 1, "targets": 1}
    assert count(Indicator) == 1
    domain.figure_delete(actor=officer, figure=figure)
    domain.target_delete(actor=officer, target=target)
    domain.indicator_delete(actor=officer, indicator=products)
    assert count(Indicator) == 0
    [event] = events("programs.indicator.delete")
    assert event.before["key"] == "products"


def test_the_standard_set_adds_what_is_missing(officer, opop_jatim, products):
    created = domain.indicators_add_standard(actor=officer, program=opop_jatim)
    assert [i.key for i in created] == [k for k in IndicatorKey.values if k != "products"]
    assert {i.source for i in created} == {"computed"}
    assert [i.order for i in created] == list(range(1, 8))
    assert domain.indicators_add_standard(actor=officer, program=opop_jatim) == []
    assert count(Indicator) == 8
    assert len(events("programs.indicator.create")) == 7


# --- Figures -------------------------------------------------------------------------------


def test_record_a_figure_with_its_source(officer, products):
    figure = domain.figure_record(
        actor=officer,
        indicator=products,
        as_of=dt.date(2022, 12, 31),
        value="239.993",
        source_note="Dinas KUKM Jatim",
        regency=JOMBANG,
    )
    with scopes_disabled():
        figure.refresh_from_db()
    assert (figure.as_of, figure.value, figure.source_note, figure.regency_id) == (
        dt.date(2022, 12, 31),
        239_993,
        "Dinas KUKM Jatim",
        JOMBANG,
    )
    assert figure.recorded_by == officer
    [event] = events("programs.figure.record")
    assert event.after == {
        "indicator": products.pk,
        "as_of": "2022-12-31",
        "regency": JOMBANG,
        "value": 239_993,
        "source_note": "Dinas KUKM Jatim",
    }


def test_a_grant_figure_is_read_as_rupiah(officer, opop_jatim):
    grants = indicator(opop_jatim, IndicatorKey.GRANTS_DISBURSED)
    figure = domain.figure_record(
        actor=officer,
        indicator=grants,
        as_of="2023-12-31",
        value="Rp 2,5 miliar",
        source_note="BPKAD",
    )
    assert figure.value == 2_500_000_000


def test_bad_figures_name_every_field_and_save_nothing(officer, products):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    # Raised in English: the messages are translated when they are made.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        domain.figure_record(
            actor=officer,
            indicator=products,
            as_of=tomorrow,
            value=-1,
            source_note="  ",
            regency=BANJARMASIN,
        )
    assert codes(error.value) == {
        "as_of": ["date_future"],
        "value": ["min_value"],
        "source_note": ["required"],
        "regency": ["regency_province"],
    }
    assert error.value.error_dict["regency"][0].messages == [
        "Choose a regency or city of Jawa Timur."
    ]
    with pytest.raises(ValidationError) as error:
        domain.figure_record(
            actor=officer, indicator=products, as_of="31-12-2022", value="1,5", source_note="x"
        )
    assert codes(error.value) == {"as_of": ["invalid"], "value": ["invalid"]}
    with pytest.raises(ValidationError) as error:
        domain.figure_record(
            actor=officer, indicator=products, as_of="1999-12-31", value=10**16, source_note="x"
        )
    assert codes(error.value) == {"as_of": ["date_too_early"], "value": ["max_value"]}
    assert count(IndicatorFigure) == 0
    assert events("programs.figure.record") == []


def test_one_figure_per_date_and_area(officer, products):
    domain.figure_record(
        actor=officer, indicator=products, as_of="2022-12-31", value=1, source_note="a"
    )
    domain.figure_record(
        actor=officer,
        indicator=products,
        as_of="2022-12-31",
        value=2,
        source_note="b",
        regency=JOMBANG,
    )
    with pytest.raises(ValidationError) as error:
        domain.figure_record(
            actor=officer, indicator=products, as_of="2022-12-31", value=3, source_note="c"
        )
    assert codes(error.value) == {"as_of": ["unique"]}
    assert count(IndicatorFigure) == 2


def test_delete_a_figure_is_audited(officer, products):
    figure = domain.figure_record(
        actor=officer, indicator=products, as_of="2022-12-31", value=7, source_note="Dinas"
    )
    domain.figure_delete(actor=officer, figure=figure)
    assert count(IndicatorFigure) == 0
    [event] = events("programs.figure.delete")
    assert (event.before["value"], event.before["source_note"]) == (7, "Dinas")


# --- Targets ----------------------------------------------------------------------------------


def test_set_a_target_then_change_it(officer, products):
    target = domain.target_set(actor=officer, indicator=products, year=2024, value="1.000")
    again = domain.target_set(actor=officer, indicator=products, year="2024", value=1_200)
    regency = domain.target_set(
        actor=officer,
        indicator=products,
        year=2024,
        value=50,
        regency=Regency.objects.get(pk=JOMBANG),
    )
    assert again.pk == target.pk
    with scopes_disabled():
        rows = Target.objects.values_list("year", "regency_id", "value")
        assert sorted(rows, key=lambda row: row[1] or "") == [
            (2024, None, 1_200),
            (2024, "35.17", 50),
        ]
    first, second, third = events("programs.target.set")
    assert (first.before, first.after["value"]) == (None, 1_000)
    assert (second.before["value"], second.after["value"]) == (1_000, 1_200)
    assert third.after["regency"] == JOMBANG
    # Setting the same value again changes nothing and records nothing.
    domain.target_set(actor=officer, indicator=products, year=2024, value=1_200)
    assert len(events("programs.target.set")) == 3
    assert regency.regency_id == JOMBANG


def test_bad_targets_name_their_fields(officer, products):
    with pytest.raises(ValidationError) as error:
        domain.target_set(actor=officer, indicator=products, year=1999, value=0, regency="99.99")
    assert codes(error.value) == {
        "year": ["year_range"],
        "value": ["min_value"],
        "regency": ["regency_province"],
    }
    with pytest.raises(ValidationError) as error:
        domain.target_set(actor=officer, indicator=products, year="dua ribu", value="")
    assert codes(error.value) == {"year": ["invalid"], "value": ["required"]}
    assert count(Target) == 0


def test_delete_a_target_is_audited(officer, products):
    target = domain.target_set(actor=officer, indicator=products, year=2030, value=2_000)
    domain.target_delete(actor=officer, target=target)
    assert count(Target) == 0
    [event] = events("programs.target.delete")
    assert event.before == {"indicator": products.pk, "year": 2030, "regency": None, "value": 2_000}


# --- Who may write ------------------------------------------------------------------------------


def test_a_viewer_and_another_provinces_officer_may_not_write(
    jatim, products, opop_jatim, kalsel_program_officer
):
    viewer = make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])
    admin = make_user("jatim-admin-2", province=jatim, roles=[Role.PROVINCE_ADMIN])
    for actor in (viewer, kalsel_program_officer):
        with pytest.raises(PermissionDenied):
            domain.indicator_create(
                actor=actor, program=opop_jatim, key="santripreneurs", source="computed"
            )
        with pytest.raises(PermissionDenied):
            domain.indicators_add_standard(actor=actor, program=opop_jatim)
        with pytest.raises(PermissionDenied):
            domain.figure_record(
                actor=actor, indicator=products, as_of="2022-12-31", value=1, source_note="x"
            )
        with pytest.raises(PermissionDenied):
            domain.target_set(actor=actor, indicator=products, year=2024, value=1)
        with pytest.raises(PermissionDenied):
            domain.indicator_update(actor=actor, indicator=products, name="x")
        with pytest.raises(PermissionDenied):
            domain.indicator_delete(actor=actor, indicator=products)
    assert (count(Indicator), count(IndicatorFigure), count(Target)) == (1, 0, 0)
    # A province admin may, as a program officer may.
    domain.target_set(actor=admin, indicator=products, year=2024, value=1)
    assert count(Target) == 1


def test_the_system_may_write_without_an_actor(products):
    figure = domain.figure_record(
        actor=None, indicator=products, as_of="2022-12-31", value=1, source_note="demo"
    )
    assert figure.recorded_by is None
    [event] = events("programs.figure.record")
    assert event.actor_label == "system"
