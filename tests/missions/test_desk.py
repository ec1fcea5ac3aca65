"""The desk page and its endpoints: who may use them, the type-ahead, recording
exactly once per key, field errors in Indonesian, closed missions, corrections."""

import json
import re
import uuid
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from niaga.core.money import format_rupiah, format_rupiah_short
from niaga.missions import desk, domain, queries
from niaga.missions.domain import LedgerBusy
from niaga.missions.models import Deal, EntryKind, MissionStatus, Side
from niaga.regions.models import Province
from tests.conftest import make_user
from tests.missions.conftest import add_business

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def desk_url(name="desk", province="jatim", slug="uji-misi", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, "slug": slug, **kwargs})


def payload(sellers, buyers, **changes):
    data = {
        "key": str(uuid.uuid4()),
        "direction": "sell",
        "seller_id": sellers[0].pk,
        "buyer_id": buyers[0].pk,
        "commodity": "Telur ayam ras",
        "hs_code": "04072100",
        "volume": "12,5",
        "unit": "ton",
        "value_idr": "2.500.000.000",
        "stage": "komitmen",
        "note": "",
        "confirm_large": False,
    }
    data.update(changes)
    return data


def post(client, data, name="desk_deals", **kwargs):
    return client.post(
        desk_url(name, **kwargs), data=json.dumps(data), content_type="application/json"
    )


def ledger(mission):
    with scopes_disabled():
        return list(
            Deal.objects.filter(mission=mission)
            .order_by("id")
            .values_list("idempotency_key", "kind", "value_idr")
        )


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)


def test_the_desk_renders_for_a_desk_officer(client, mission, sellers, buyers, jatim_desk):
    client.force_login(jatim_desk)
    response = client.get(desk_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]  # a cached page would reuse a key
    key = re.search(r'name="key" id="desk-key" value="([^"]+)"', html)[1]
    assert UUID.fullmatch(key)
    # A fresh key each time the form is opened.
    again = client.get(desk_url()).content.decode()
    assert re.search(r'name="key" id="desk-key" value="([^"]+)"', again)[1] != key
    assert 'inputmode="numeric"' in html
    assert '<script src="/static/missions/js/desk.js" defer>' in html
    # Strict CSP: no inline script (JSON data blocks are not run), no style attribute, no hx-on.
    assert all('type="application/json"' in attrs for attrs in inline_scripts(html))
    assert " style=" not in html and "hx-on" not in html
    people = json.loads(
        unescape(
            re.search(r'id="desk-participants" type="application/json">(.*?)</script>', html)[1]
        )
    )
    assert [p["name"] for p in people] == [
        "CV Batubara Tanah Laut",
        "CV Kopi Ijen",
        "PT Borneo Pangan",
        "UD Telur Makmur",
    ]
    assert {p["side"] for p in people} == {"organiser", "host"}
    assert 'id="desk-total-short">Rp 0</div>' in html
    assert "Belum ada transaksi" in html or "No deals recorded at this desk yet." in html
    config = json.loads(
        unescape(re.search(r'id="desk-config" type="application/json">(.*?)</script>', html)[1])
    )
    assert config["urls"]["deals"] == desk_url("desk_deals")
    assert config["storage"] == f"niaga.desk.{mission.pk}.{jatim_desk.pk}"
    assert config["money"] == {
        "prefix": "Rp ",
        "group": ".",
        "decimal": ",",
        "units": {"6": "juta", "9": "miliar", "12": "triliun"},
    }


def test_the_mission_page_links_to_the_desk_while_it_takes_entries(
    client, mission, jatim_desk, jatim_admin, kalsel_admin
):
    link = f'id="desk-link" href="{desk_url()}"'
    mission_url = reverse("province:mission", kwargs={"province": "jatim", "slug": "uji-misi"})
    client.force_login(jatim_desk)
    assert link in client.get(mission_url).content.decode()
    client.force_login(kalsel_admin)
    hosted = reverse("province:mission", kwargs={"province": "kalsel", "slug": "uji-misi"})
    assert 'id="desk-link"' not in client.get(hosted).content.decode()
    domain.mission_set_status(actor=jatim_admin, mission=mission, status=MissionStatus.CLOSED)
    client.force_login(jatim_desk)
    assert 'id="desk-link"' not in client.get(mission_url).content.decode()
    client.force_login(jatim_admin)  # a manager adds late entries
    assert link in client.get(mission_url).content.decode()


def test_money_config_follows_the_formatting_helper():
    assert desk.money_config("en") == {
        "prefix": "IDR ",
        "group": ",",
        "decimal": ".",
        "units": {"6": "million", "9": "billion", "12": "trillion"},
    }
    assert format_rupiah_short(2_500_000_000, language="en") == "IDR 2.5 billion"


def test_the_desk_is_not_found_for_anyone_who_may_not_record(
    client, mission, sellers, buyers, jatim, kalsel_viewer, kalsel_admin
):
    jatim_viewer = make_user("jatim-pemantau", province=jatim, roles=["viewer"])
    bali_admin = make_user(
        "bali-admin", province=Province.objects.get(slug="bali"), roles=["province_admin"]
    )
    data = payload(sellers, buyers)
    cases = [
        (kalsel_viewer, "kalsel"),  # the host province may view the mission, not record in it
        (kalsel_admin, "kalsel"),
        (jatim_viewer, "jatim"),  # the organiser's viewer holds no desk role
        (bali_admin, "bali"),
        (bali_admin, "jatim"),
    ]
    for user, province in cases:
        client.force_login(user)
        assert client.get(desk_url(province=province)).status_code == 404
        assert client.get(desk_url("desk_participants", province=province)).status_code == 404
        assert client.get(desk_url("desk_recent", province=province)).status_code == 404
        assert post(client, data, province=province).status_code == 404
    assert ledger(mission) == []


def names(response):
    assert response.status_code == 200
    return [p["name"] for p in response.json()["results"]]


def test_the_type_ahead_filters_by_side_and_text(client, mission, sellers, buyers, jatim_desk):
    client.force_login(jatim_desk)
    search = desk_url("desk_participants")
    assert names(client.get(search, {"q": "telur", "side": "organiser"})) == ["UD Telur Makmur"]
    assert names(client.get(search, {"q": "TELUR", "side": "host"})) == []
    assert names(client.get(search, {"q": "", "side": "host"})) == [
        "CV Batubara Tanah Laut",
        "PT Borneo Pangan",
    ]
    assert names(client.get(search, {"q": "cv"})) == ["CV Batubara Tanah Laut", "CV Kopi Ijen"]
    assert names(client.get(search, {"q": "kopi cv", "side": ""})) == ["CV Kopi Ijen"]
    assert names(client.get(search, {"q": "%"})) == []  # no wildcards
    result = client.get(search, {"q": "borneo"}).json()["results"]
    assert result == [
        {
            "id": buyers[0].pk,
            "name": "PT Borneo Pangan",
            "side": "host",
            "regency": buyers[0].business.regency.name,
        }
    ]


def test_the_type_ahead_is_capped_and_costs_the_same_with_many_participants(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    client.force_login(jatim_desk)
    search = desk_url("desk_participants")

    def count(params) -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(search, params).status_code == 200
        return len(captured)

    few = count({"q": "pt", "side": "host"})
    for n in range(25):
        add_business(jatim_admin, mission, f"PT Mitra Banua {n:02d}", "63.71", Side.HOST)
    assert count({"q": "pt", "side": "host"}) == few
    found = names(client.get(search, {"q": "pt", "side": "host"}))
    assert found == ["PT Borneo Pangan"] + [f"PT Mitra Banua {n:02d}" for n in range(9)]


def test_posting_a_deal_records_it_and_returns_the_new_total(
    client, mission, sellers, buyers, jatim_desk
):
    client.force_login(jatim_desk)
    first = payload(sellers, buyers)
    response = post(client, first)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "recorded"
    assert body["replayed"] is False
    deal = body["deal"]
    assert re.fullmatch(r"\d\d\.\d\d WITA", deal.pop("clock"))
    assert deal == {
        "id": deal["id"],
        "key": first["key"],
        "direction": "sell",
        "direction_label": "Jual",
        "seller": "UD Telur Makmur",
        "buyer": "PT Borneo Pangan",
        "commodity": "Telur ayam ras",
        "value_idr": 2_500_000_000,
        "value_full": "Rp 2.500.000.000",
        "value_short": "Rp 2,5 miliar",
        "stage": "komitmen",
        "stage_label": "Komitmen",
        "is_late": False,
    }
    assert body["totals"] == {
        "version": 1,
        "total_idr": 2_500_000_000,
        "total_short": "Rp 2,5 miliar",
        "total_full": "Rp 2.500.000.000",
        "count": 1,
    }
    with scopes_disabled():
        stored = Deal.objects.get(pk=deal["id"])
    assert (stored.volume, stored.unit, stored.hs_code) == (Decimal("12.5"), "ton", "04072100")
    assert stored.recorded_by == jatim_desk

    # A value written in words, a purchase: seller from the host side.
    second = payload(
        sellers,
        buyers,
        direction="buy",
        seller_id=buyers[1].pk,
        buyer_id=sellers[1].pk,
        commodity="Batubara",
        value_idr="147,3 miliar",
        volume="",
        hs_code="",
    )
    response = post(client, second)
    assert response.status_code == 201
    assert response.json()["totals"]["total_idr"] == 149_800_000_000
    assert response.json()["totals"]["total_short"] == "Rp 149,8 miliar"
    assert queries.ledger_sums(mission) == {"total_idr": 149_800_000_000, "count": 2}


def test_the_same_key_twice_records_once(client, mission, sellers, buyers, jatim_desk):
    client.force_login(jatim_desk)
    data = payload(sellers, buyers)
    first = post(client, data)
    again = post(client, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["replayed"] is True
    assert again.json()["deal"] == first.json()["deal"]
    # A browser retry of the plain form, the value typed another way: still the same deal.
    form_retry = client.post(desk_url("desk_deals"), {**data, "value_idr": "2500000000"})
    assert form_retry.status_code == 200
    assert form_retry.json()["deal"]["id"] == first.json()["deal"]["id"]
    assert ledger(mission) == [(data["key"], "original", 2_500_000_000)]
    assert queries.totals(mission).total_idr == 2_500_000_000


def test_the_same_key_with_another_payload_is_refused(client, mission, sellers, buyers, jatim_desk):
    client.force_login(jatim_desk)
    data = payload(sellers, buyers)
    first = post(client, data).json()
    response = post(client, {**data, "value_idr": "3.000.000.000"})
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "conflict"
    assert first["deal"]["clock"] in body["message"]
    assert body["errors"] == {}
    assert ledger(mission) == [(data["key"], "original", 2_500_000_000)]


def test_validation_errors_name_each_field_in_indonesian(
    client, mission, sellers, buyers, jatim_desk
):
    client.force_login(jatim_desk)
    response = post(
        client,
        payload(sellers, buyers, direction="", commodity=" ", value_idr="2,5 M", stage="lelang"),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "invalid"
    assert body["errors"]["direction"] == ["Pilih jual, beli, atau investasi."]
    assert body["errors"]["stage"] == ["Pilih potensi, komitmen, atau kontrak."]
    assert body["errors"]["commodity"] == ["Sebutkan komoditasnya, mis. telur ayam ras."]
    assert body["errors"]["value_idr"][0].startswith("Singkatan “M” bermakna ganda")
    assert set(body["errors"]) == {"direction", "stage", "commodity", "value_idr"}

    # The domain's rules between fields, keyed the same way.
    response = post(client, payload(sellers, buyers, buyer_id=sellers[1].pk, hs_code="0407"))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "hs_code": ["Kode HS terdiri atas tepat 8 digit (BTKI 2022), mis. 04072100."],
        "buyer_id": ["Penjual dan pembeli harus berasal dari pihak yang berbeda."],
    }
    # Above Rp 1 triliun the officer confirms; unconfirmed it is refused on the value.
    large = payload(sellers, buyers, value_idr="1.500.000.000.000")
    response = post(client, large)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "value_idr": [
            "Nilai di atas Rp 1.000.000.000.000: pastikan Rp 1.500.000.000.000 memang benar."
        ]
    }
    assert ledger(mission) == []
    assert post(client, {**large, "confirm_large": True}).status_code == 201
    # Not a JSON object of plain values.
    bad = client.post(desk_url("desk_deals"), data="[1]", content_type="application/json")
    assert bad.status_code == 400
    nested = post(client, {**payload(sellers, buyers), "seller_id": {"id": 1}})
    assert nested.status_code == 400
    assert queries.ledger_sums(mission) == {"total_idr": 1_500_000_000_000, "count": 1}


def test_a_closed_mission_refuses_desk_officers(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    client.force_login(jatim_desk)
    recorded = post(client, payload(sellers, buyers)).json()["deal"]
    domain.mission_set_status(actor=jatim_admin, mission=mission, status=MissionStatus.CLOSED)
    response = post(client, payload(sellers, buyers))
    assert response.status_code == 409
    assert response.json() == {
        "status": "closed",
        "message": "Misi dagang ini sudah ditutup; hanya pengelola misi yang dapat "
        "menambahkan entri terlambat.",
        "errors": {},
    }
    html = client.get(desk_url()).content.decode()
    assert 'id="desk-closed">Misi dagang ini sudah ditutup' in html
    assert 'id="desk-form"' not in html
    assert "desk-correct-form" not in html  # no corrections either
    # A correction sent anyway is refused and changes nothing.
    response = client.post(
        desk_url("desk_correct", deal_id=recorded["id"]),
        {f"c{recorded['id']}-key": str(uuid.uuid4()), f"c{recorded['id']}-reason": "Salah"},
    )
    assert response.status_code == 409
    assert queries.ledger_sums(mission) == {"total_idr": 2_500_000_000, "count": 1}

    # A manager may still add a late entry.
    client.force_login(jatim_admin)
    assert 'id="desk-form"' in client.get(desk_url()).content.decode()
    late = post(client, payload(sellers, buyers, value_idr="1.000.000"))
    assert late.status_code == 201
    assert late.json()["deal"]["is_late"] is True


def test_a_planned_mission_takes_no_deals(client, jatim, kalsel, jatim_admin, jatim_desk):
    from tests.missions.conftest import make_mission

    planned = make_mission(jatim_admin, jatim, kalsel, slug="rencana", status=MissionStatus.PLANNED)
    seller = add_business(jatim_admin, planned, "UD Sumber Rejeki", "35.05", Side.ORGANISER)
    buyer = add_business(jatim_admin, planned, "CV Banjar Jaya", "63.71", Side.HOST)
    client.force_login(jatim_desk)
    assert "Misi dagang ini belum dibuka." in client.get(desk_url(slug="rencana")).content.decode()
    response = post(client, payload([seller], [buyer]), slug="rencana")
    assert response.status_code == 409
    assert response.json()["message"] == "Misi dagang ini belum dibuka."
    assert ledger(planned) == []


def correction(client, deal_id, **fields):
    data = {f"c{deal_id}-key": fields.pop("key", str(uuid.uuid4()))}
    data.update({f"c{deal_id}-{name}": value for name, value in fields.items()})
    return client.post(desk_url("desk_correct", deal_id=deal_id), data), data


def test_a_correction_changes_the_total(client, mission, sellers, buyers, jatim_desk):
    client.force_login(jatim_desk)
    first = post(client, payload(sellers, buyers)).json()["deal"]
    second = post(client, payload(sellers, buyers, value_idr="500.000.000")).json()["deal"]
    assert queries.totals(mission).total_idr == 3_000_000_000

    response, sent = correction(
        client, first["id"], reason="Salah ketik nol", value_idr="250.000.000"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 2.500.000.000" in html and "Rp 250.000.000" in html
    assert 'id="desk-total-short" >' not in html
    assert 'hx-swap-oob="true"' in html
    assert f'id="desk-total-full">{format_rupiah(750_000_000)}</div>' in html
    assert queries.totals(mission).total_idr == 750_000_000
    assert queries.ledger_sums(mission) == {"total_idr": 750_000_000, "count": 2}
    with scopes_disabled():
        kinds = list(
            Deal.objects.filter(corrects_id=first["id"])
            .order_by("id")
            .values_list("kind", flat=True)
        )
    assert kinds == [EntryKind.REVERSAL, EntryKind.CORRECTION]
    # The corrected original shows as corrected and offers no second correction.
    assert re.search(rf'class="desk-entry is-reversed" data-deal="{first["id"]}"', html)
    assert f"/desk/deals/{first['id']}/correct/" not in html

    # The same correction sent again (a dropped answer) changes nothing more.
    again = client.post(desk_url("desk_correct", deal_id=first["id"]), sent)
    assert again.status_code == 200
    assert queries.totals(mission).total_idr == 750_000_000

    # No changed field: the deal is cancelled.
    response, _sent = correction(client, second["id"], reason="Batal")
    assert response.status_code == 200
    assert queries.totals(mission).total_idr == 250_000_000
    assert queries.totals(mission).count == 1


def test_a_bad_correction_names_its_field_and_changes_nothing(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    client.force_login(jatim_desk)
    deal = post(client, payload(sellers, buyers)).json()["deal"]
    response, _sent = correction(client, deal["id"], reason="", value_idr="2,5 M")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tuliskan alasan transaksi dikoreksi." in html
    assert "Singkatan “M” bermakna ganda" in html
    assert re.search(r"<details class=\"desk-correct\" open>", html)
    response, _sent = correction(client, deal["id"], reason="Sama", value_idr="2.500.000.000")
    assert response.status_code == 422
    assert queries.ledger_sums(mission) == {"total_idr": 2_500_000_000, "count": 1}

    # Another officer's deal is not this desk's to correct.
    other = make_user("jatim-desk2", province=mission.organiser, roles=["desk_officer"])
    client.force_login(other)
    response, _sent = correction(client, deal["id"], reason="Bukan milik saya")
    assert response.status_code == 404
    assert queries.ledger_sums(mission) == {"total_idr": 2_500_000_000, "count": 1}


def test_recent_deals_are_this_officers_and_cost_the_same_with_more_deals(
    client, mission, sellers, buyers, jatim_desk, jatim_admin
):
    client.force_login(jatim_admin)
    post(client, payload(sellers, buyers, commodity="Kopi robusta"))
    client.force_login(jatim_desk)
    post(client, payload(sellers, buyers, commodity="Beras premium"))

    def count(url) -> tuple[int, str]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            assert response.status_code == 200
        return len(captured), response.content.decode()

    few_recent, html = count(desk_url("desk_recent"))
    assert "Beras premium" in html and "Kopi robusta" not in html
    few_page, _html = count(desk_url())
    for n in range(14):
        post(client, payload(sellers, buyers, commodity=f"Komoditas {n}", value_idr=str(n + 1)))
    many_recent, html = count(desk_url("desk_recent"))
    assert many_recent == few_recent
    assert count(desk_url())[0] == few_page
    assert len(re.findall(r'<li class="desk-entry[" ]', html)) == desk.RECENT
    assert "Komoditas 13" in html and "Beras premium" not in html


def test_a_busy_ledger_asks_the_desk_to_send_again(
    client, mission, sellers, buyers, jatim_desk, monkeypatch
):
    def busy(**kwargs):
        raise LedgerBusy()

    monkeypatch.setattr(domain, "deal_record", busy)
    client.force_login(jatim_desk)
    response = post(client, payload(sellers, buyers))
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["status"] == "busy"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sends=st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=10),
    values=st.lists(st.integers(1, 10**12), min_size=4, max_size=4),
)
def test_any_order_of_sends_and_repeats_records_each_key_once(
    client, mission, sellers, buyers, jatim_desk, sends, values
):
    """Whatever the desk sends, in any order and however often, with the value
    written plainly or grouped, the ledger holds each key once with its value."""
    client.force_login(jatim_desk)
    before = queries.ledger_sums(mission)
    keys = [str(uuid.uuid4()) for _ in range(4)]
    for index, grouped in sends:
        typed = format_rupiah(values[index])[3:] if grouped else str(values[index])
        response = post(client, payload(sellers, buyers, key=keys[index], value_idr=typed))
        assert response.status_code in (200, 201)
        assert response.json()["deal"]["value_idr"] == values[index]
    sent = {index for index, _grouped in sends}
    after = queries.ledger_sums(mission)
    assert after["count"] - before["count"] == len(sent)
    assert after["total_idr"] - before["total_idr"] == sum(values[i] for i in sent)
    assert queries.totals(mission).total_idr == after["total_idr"]
    with scopes_disabled():
        for index in sent:
            assert Deal.objects.filter(mission=mission, idempotency_key=keys[index]).count() == 1
