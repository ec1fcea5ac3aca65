"""Region reference data, codes and province-local times."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from niaga.regions.clock import format_clock, format_local_datetime
from niaga.regions.codes import (
    Level,
    check_structure,
    code_level,
    lookup_region,
    validate_region_code,
)
from niaga.regions.models import Province, Regency, RegencyKind

UTC = dt.UTC
EXPECTED_ZONES = {
    "WIB": {"Asia/Jakarta", "Asia/Pontianak"},
    "WITA": {"Asia/Makassar"},
    "WIT": {"Asia/Jayapura"},
}
UTC_OFFSET_HOURS = {"WIB": 7, "WITA": 8, "WIT": 9}


def test_all_provinces_and_regencies_are_loaded(db):
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.filter(kind=RegencyKind.KABUPATEN).count() == 416
    assert Regency.objects.filter(kind=RegencyKind.KOTA).count() == 98


def test_every_province_has_a_consistent_time_zone(db):
    for province in Province.objects.all():
        assert province.time_zone in EXPECTED_ZONES[province.zone_label], province
        offset = province.zone.utcoffset(dt.datetime(2022, 4, 13, 12, 0))
        assert offset == dt.timedelta(hours=UTC_OFFSET_HOURS[province.zone_label]), province


@pytest.mark.parametrize(
    ("slug", "code", "name", "label", "zone"),
    [
        ("jatim", "35", "Jawa Timur", "WIB", "Asia/Jakarta"),
        ("kalsel", "63", "Kalimantan Selatan", "WITA", "Asia/Makassar"),
        ("kalbar", "61", "Kalimantan Barat", "WIB", "Asia/Pontianak"),
        ("bali", "51", "Bali", "WITA", "Asia/Makassar"),
        ("papua-barat-daya", "96", "Papua Barat Daya", "WIT", "Asia/Jayapura"),
        ("maluku", "81", "Maluku", "WIT", "Asia/Jayapura"),
    ],
)
def test_known_provinces(db, slug, code, name, label, zone):
    province = Province.objects.get(slug=slug)
    assert (province.code, province.name, province.zone_label, province.time_zone) == (
        code,
        name,
        label,
        zone,
    )


def test_regency_names_are_proper_case_with_their_kind(db):
    assert Regency.objects.get(code="63.03").name == "Kabupaten Banjar"
    assert Regency.objects.get(code="63.71").name == "Kota Banjarmasin"
    assert Regency.objects.get(code="35.78").name == "Kota Surabaya"
    for regency in Regency.objects.all():
        number = int(regency.code[3:])
        expected = RegencyKind.KOTA if number >= 71 else RegencyKind.KABUPATEN
        assert regency.kind == expected, regency.code
        assert regency.name.startswith(("Kabupaten ", "Kota ")), regency.name
        assert regency.name != regency.name.upper(), regency.name
        assert regency.code.startswith(regency.province_id + ".")


def test_clock_in_the_hosts_zone():
    kalsel = Province(
        code="63",
        name="Kalimantan Selatan",
        slug="kalsel",
        zone_label="WITA",
        time_zone="Asia/Makassar",
    )
    moment = dt.datetime(2022, 4, 13, 10, 30, tzinfo=UTC)
    assert format_clock(moment, kalsel, language="id") == "18.30 WITA"
    assert format_clock(moment, kalsel, language="en") == "18:30 WITA"
    assert format_local_datetime(moment, kalsel, language="id") == "13 April 2022, 18.30 WITA"
    jakarta_time = moment.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    assert format_clock(jakarta_time, kalsel, language="id") == "18.30 WITA"
    with pytest.raises(ValueError, match="naive"):
        format_clock(dt.datetime(2022, 4, 13, 18, 30), kalsel)


def test_lookup_by_code(db):
    assert lookup_region("63").name == "Kalimantan Selatan"
    assert lookup_region("63.71").name == "Kota Banjarmasin"
    assert lookup_region("63.99") is None
    assert lookup_region("banjarmasin") is None


def test_validate_region_code(db):
    assert validate_region_code("35") == Level.PROVINCE
    assert validate_region_code("35.78") == Level.REGENCY
    assert validate_region_code("35.78.01") == Level.DISTRICT
    assert validate_region_code("35.78.01.1001") == Level.VILLAGE
    cases = {
        "3578": "region_format",
        "35.70": "region_format",  # 70 is neither kabupaten nor kota
        "35.00": "region_format",
        "00": "region_format",
        "99": "region_unknown",
        "35.69": "region_unknown",
        "63.79.01": "region_unknown",
    }
    for code, error_code in cases.items():
        with pytest.raises(ValidationError) as raised:
            validate_region_code(code)
        assert raised.value.code == error_code, code
        assert code in raised.value.messages[0]
    with pytest.raises(ValidationError):
        validate_region_code("35", Level.REGENCY)


def test_every_shipped_code_passes_the_structure_check(db):
    for code in Regency.objects.values_list("code", flat=True):
        assert check_structure(code) == Level.REGENCY


@given(st.text(max_size=16))
def test_structure_check_accepts_only_the_four_shapes(text):
    try:
        level = check_structure(text)
    except ValidationError as error:
        assert error.code == "region_format"
    else:
        assert level == code_level(text)
        assert all(part.isdigit() for part in text.split("."))
        assert [len(p) for p in text.split(".")] in ([2], [2, 2], [2, 2, 2], [2, 2, 2, 4])
