"""The pesantren pages: list, form, profile, cooperative, businesses, accounts; who may
see and change them, province isolation, query counts.

Pages are read in English (the language switch's cookie): these pages' Indonesian
texts come with the catalogue, and what is checked here is the content.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.regions.models import Regency
from niaga.registry.domain import pesantren as domain
from niaga.registry.models import (
    Cooperative,
    CurationStatus,
    Enterprise,
    Pesantren,
    PesantrenAccess,
    Typology,
)
from tests.conftest import make_user
from tests.registry.factories import (
    make_cooperative,
    make_nik,
    make_person,
    make_pesantren,
    make_product,
)

pytestmark = pytest.mark.django_db

JOMBANG, DIWEK, SURABAYA, WONOCOLO, BANJARMASIN = "35.17", "35.17.08", "35.78", "35.78.02", "63.71"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(name, province="jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, **kwargs})


def text(response) -> str:
    return response.content.decode()


def squash(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed, for phrase assertions."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def world(jatim, kalsel):
    """Jatim's Tebuireng with a cooperative, people and products, and a Kalsel pesantren
    whose rows could leak into Jatim's pages."""
    with scope(province=jatim):
        tebuireng = make_pesantren(
            jatim,
            name="PP Tebuireng",
            nspp="510035170001",
            regency=Regency.objects.get(code=JOMBANG),
            district_id=DIWEK,
            leader_name="KH. Abdul Hakim Mahfudz",
            santri_male=2500,
            santri_female=1800,
            typology=Typology.COMBINED,
            opop_joined_year=2019,
            takes_pesantrenpreneur=True,
        )
        cooperative = make_cooperative(
            tebuireng, name="Kopontren Tebuireng", nib="9120001234567", members_count=320
        )
        nik = make_nik(Regency.objects.get(code=JOMBANG), timezone.datetime(2004, 5, 9).date())
        santri = make_person(jatim, full_name="Muhammad Rizki", pesantren=tebuireng, nik=nik)
        make_product(cooperative, name="Kopi Tebuireng", status=CurationStatus.CURATED)
        make_product(santri, name="Keripik Tempe Rizki", status=CurationStatus.SUBMITTED)
    with scope(province=kalsel):
        banjar = make_pesantren(
            kalsel, name="PP Darussalam Martapura", regency=Regency.objects.get(code=BANJARMASIN)
        )
        make_cooperative(banjar, name="Kopontren Darussalam")
        make_person(kalsel, full_name="Ahmad Banjar", pesantren=banjar)
    return {
        "tebuireng": tebuireng,
        "cooperative": cooperative,
        "santri": santri,
        "nik": nik,
        "banjar": banjar,
    }


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_the_provinces_pesantren_only(client, world, jatim_registry):
    client.force_login(jatim_registry)
    page = text(client.get(url("pesantren_list")))
    assert "PP Tebuireng" in page and "NSPP 510035170001" in page
    assert "PP Darussalam Martapura" not in page
    row = squash(page.split('id="pesantren-table"')[1])
    assert (
        "PP Tebuireng NSPP 510035170001 KH. Abdul Hakim Mahfudz Kabupaten Jombang "
        "District Diwek Combined 4300 Pesantrenpreneur Kopontren Tebuireng 1 2 2019 Active"
    ) in row
    assert "1 pesantren" in squash(page)


def test_the_list_filters(client, jatim, world, jatim_registry):
    with scope(province=jatim):
        make_pesantren(
            jatim,
            name="PP Sidogiri",
            leader_name="KH. Fuad Noerhasan",
            regency=Regency.objects.get(code="35.14"),
            typology=Typology.SALAFIYAH,
            takes_santripreneur=True,
            opop_joined_year=2021,
            status="inactive",
        )
    client.force_login(jatim_registry)

    def names(**query):
        page = text(client.get(url("pesantren_list"), query))
        return re.findall(r'/pesantren/\d+/">([^<]+)</a>', page)

    assert names() == ["PP Sidogiri", "PP Tebuireng"]
    assert names(q="fuad") == ["PP Sidogiri"]
    assert names(q="51003517") == ["PP Tebuireng"]
    assert names(q="tebuireng hakim") == ["PP Tebuireng"]
    assert names(regency=JOMBANG) == ["PP Tebuireng"]
    assert names(typology="salafiyah") == ["PP Sidogiri"]
    assert names(pillar="santripreneur") == ["PP Sidogiri"]
    assert names(pillar="pesantrenpreneur") == ["PP Tebuireng"]
    assert names(status="inactive") == ["PP Sidogiri"]
    assert names(joined="2019") == ["PP Tebuireng"]
    assert names(joined="2021", status="active") == []


def test_the_list_pages_by_fifty(client, jatim, jatim_registry):
    with scope(province=jatim):
        for n in range(51):
            make_pesantren(jatim, name=f"PP Uji {n:03d}")
    client.force_login(jatim_registry)
    first = squash(text(client.get(url("pesantren_list"))))
    assert "51 pesantren" in first and "PP Uji 049" in first and "PP Uji 050" not in first
    assert "Page 1 of 2" in first
    second = squash(text(client.get(url("pesantren_list"), {"page": 2})))
    assert "PP Uji 050" in second and "PP Uji 049" not in second


def test_the_list_exports_what_is_filtered(client, jatim, world, jatim_registry):
    with scope(province=jatim):
        make_pesantren(jatim, name="PP Sidogiri", regency=Regency.objects.get(code="35.14"))
    client.force_login(jatim_registry)
    page = text(client.get(url("pesantren_list"), {"regency": JOMBANG}))
    assert "regency=35.17&amp;export=csv" in page
    response = client.get(url("pesantren_list"), {"regency": JOMBANG, "export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "PP Tebuireng" in body and "PP Sidogiri" not in body
    assert len(body.strip().splitlines()) == 2  # the header and one pesantren


def _list_queries(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("pesantren_list"))
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_with_more_rows(client, jatim, kalsel, jatim_registry):
    def add(n):
        with scope(province=jatim):
            for i in range(n):
                pesantren = make_pesantren(jatim, district_id=None)
                if i % 2:
                    cooperative = make_cooperative(pesantren)
                    make_person(jatim, pesantren=pesantren)
                    make_product(cooperative)

    client.force_login(jatim_registry)
    add(4)
    few = _list_queries(client)
    add(8)
    assert _list_queries(client) == few


# --- Creating and editing ---------------------------------------------------------------


def test_an_officer_registers_a_pesantren_with_regency_and_district(client, jatim, jatim_registry):
    client.force_login(jatim_registry)
    form = text(client.get(url("pesantren_create")))
    assert f'hx-get="{url("district_options")}"' in form and 'hx-target="#id_district"' in form
    assert '<option value="63.71"' not in form  # other provinces' regencies are not offered
    response = client.post(
        url("pesantren_create"),
        {
            "name": "Pondok Pesantren Tebuireng",
            "nspp": "510035170001",
            "typology": "kombinasi",
            "regency": JOMBANG,
            "district": DIWEK,
            "santri_male": "2500",
            "santri_female": "1800",
            "founded_year": "1899",
            "opop_joined_year": "2019",
            "pillars": ["santripreneur", "sosiopreneur"],
            "phone": "(0321) 861719",
        },
    )
    with scope(province=jatim):
        pesantren = Pesantren.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("pesantren", pesantren_id=pesantren.pk)
    assert (pesantren.regency_id, pesantren.district_id, pesantren.phone) == (
        JOMBANG,
        DIWEK,
        "+62321861719",
    )
    assert pesantren.takes_santripreneur and pesantren.takes_sosiopreneur
    assert not pesantren.takes_pesantrenpreneur
    profile = squash(text(client.get(response["Location"])))
    assert "The pesantren has been registered." in profile
    assert "District Diwek, Kabupaten Jombang" in profile and "(0321) 861719" in profile


def test_bad_input_names_the_fields_and_saves_nothing(client, jatim, jatim_registry):
    client.force_login(jatim_registry)
    response = client.post(
        url("pesantren_create"),
        {
            "name": "PP Uji",
            "nspp": "1234",
            "typology": "salafiyah",
            "regency": JOMBANG,
            "district": WONOCOLO,
            "founded_year": "2020",
            "opop_joined_year": "2019",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"nspp", "district", "opop_joined_year"}
    page = text(response)
    assert "NSPP is 12 digits" in page
    assert "The district Wonocolo is not in Kabupaten Jombang." in squash(page)
    # The district list offers the chosen regency's districts again, not Surabaya's.
    assert f'<option value="{DIWEK}"' in page and f'<option value="{WONOCOLO}"' not in page
    with scope(province=jatim):
        assert not Pesantren.objects.exists()


def test_the_district_options_follow_the_regency(client, jatim_registry, kalsel):
    client.force_login(jatim_registry)
    options = text(client.get(url("district_options"), {"regency": JOMBANG}))
    codes = re.findall(r'<option value="([^"]*)"', options)
    assert codes[0] == "" and len(codes) == 22  # Jombang's 21 districts after the prompt
    assert all(code.startswith("35.17.") for code in codes[1:])
    assert '<option value="35.17.08">Diwek</option>' in options
    # Another province's regency gives nothing to choose.
    options = text(client.get(url("district_options"), {"regency": BANJARMASIN}))
    assert re.findall(r'<option value="([^"]*)"', options) == [""]
    assert "Choose the regency/city first" in options


def test_an_edit_with_a_stale_version_is_refused(client, jatim, world, jatim_registry):
    tebuireng = world["tebuireng"]
    client.force_login(jatim_registry)
    form = text(client.get(url("pesantren_edit", pesantren_id=tebuireng.pk)))
    assert 'name="version" value="1"' in form and 'value="PP Tebuireng"' in form
    assert f'<option value="{DIWEK}" selected>' in form
    domain.pesantren_update(actor=jatim_registry, pesantren=tebuireng, version=1, santri_male=1)
    data = {
        "name": "PP Tebuireng Jombang",
        "typology": "kombinasi",
        "regency": JOMBANG,
        "district": DIWEK,
        "version": "1",
    }
    response = client.post(url("pesantren_edit", pesantren_id=tebuireng.pk), data, follow=True)
    assert "Someone else changed this record while you were editing it." in text(response)
    with scope(province=jatim):
        assert Pesantren.objects.get(pk=tebuireng.pk).name == "PP Tebuireng"
    response = client.post(
        url("pesantren_edit", pesantren_id=tebuireng.pk), {**data, "version": "2"}
    )
    assert response.status_code == 302
    with scope(province=jatim):
        stored = Pesantren.objects.get(pk=tebuireng.pk)
    assert (stored.name, stored.version) == ("PP Tebuireng Jombang", 3)


def test_the_status_button(client, jatim, world, jatim_registry):
    tebuireng = world["tebuireng"]
    client.force_login(jatim_registry)
    response = client.post(
        url("pesantren_status", pesantren_id=tebuireng.pk),
        {"status": "inactive", "version": "1"},
        follow=True,
    )
    assert "The pesantren is now inactive." in text(response)
    with scope(province=jatim):
        assert Pesantren.objects.get(pk=tebuireng.pk).status == "inactive"


# --- The profile ------------------------------------------------------------------------


def test_the_profile_shows_cooperative_people_products_and_history(
    client, jatim, world, jatim_registry
):
    tebuireng, nik = world["tebuireng"], world["nik"]
    domain.pesantren_update(
        actor=jatim_registry, pesantren=tebuireng, version=1, leader_name="KH. Hasyim Asy'ari"
    )
    domain.cooperative_update(
        actor=jatim_registry, cooperative=world["cooperative"], version=1, members_count=400
    )
    client.force_login(jatim_registry)
    page = text(client.get(url("pesantren", pesantren_id=tebuireng.pk)))
    flat = squash(page)
    assert "4300 santri in all" in flat
    cooperative = squash(page.split('id="cooperative"')[1].split("</section>")[0])
    assert "Kopontren Tebuireng" in cooperative and "9120001234567" in cooperative
    assert "Members 400" in cooperative
    people = squash(page.split('id="people"')[1].split("</section>")[0])
    assert f"Muhammad Rizki Santri — {nik[:4]}********{nik[-4:]}" in people
    assert nik not in page  # the NIK only masked
    assert "Ahmad Banjar" not in page
    products = squash(page.split('id="products"')[1].split("</section>")[0])
    assert "Keripik Tempe Rizki Food and beverage Muhammad Rizki Submitted —" in products
    assert "Kopi Tebuireng Food and beverage Kopontren Tebuireng Curated Local market" in (products)
    history = squash(page.split('id="history"')[1].split("</section>")[0])
    # Newest first: the cooperative's change, then the pesantren's.
    assert history.index("Cooperative changed") < history.index("Pesantren changed")
    assert "Members : 320 → 400" in history
    assert "Leader (pengasuh) : KH. Abdul Hakim Mahfudz → KH. Hasyim Asy'ari" in history.replace(
        "&#x27;", "'"
    )


def test_the_profile_costs_the_same_queries_with_more_rows(client, jatim, world, jatim_admin):
    tebuireng, cooperative = world["tebuireng"], world["cooperative"]

    def add(n):
        with scope(province=jatim):
            for _ in range(n):
                person = make_person(jatim, pesantren=tebuireng)
                make_product(person)
                make_product(cooperative)
                Enterprise.objects.create(
                    province=jatim,
                    owner=person,
                    pesantren=tebuireng,
                    name="U",
                    pillar="santripreneur",
                )
            for _ in range(n):
                current = Pesantren.objects.get(pk=tebuireng.pk)
                domain.pesantren_update(
                    actor=jatim_admin,
                    pesantren=current,
                    version=current.version,
                    santri_male=current.santri_male + 1,
                )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("pesantren", pesantren_id=tebuireng.pk))
        assert response.status_code == 200
        return len(captured)

    client.force_login(jatim_admin)
    add(3)
    few = queries()
    add(6)
    assert queries() == few


# --- Cooperatives and businesses ------------------------------------------------------


def test_an_officer_adds_and_edits_the_cooperative(client, jatim, jatim_registry):
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, name="PP Lirboyo")
    client.force_login(jatim_registry)
    form = text(client.get(url("cooperative_create", pesantren_id=pesantren.pk)))
    assert 'value="Kopontren PP Lirboyo"' in form
    data = {
        "name": "Kopontren Lirboyo",
        "legal_form": "koperasi_primer",
        "deed_number": "518/12/BH/2019",
        "deed_date": "2019-07-01",
        "nib": "9120001234568",
        "kbli_code": "47111",
        "kbli_version": "2020",
        "members_count": "150",
    }
    response = client.post(url("cooperative_create", pesantren_id=pesantren.pk), data)
    assert response.status_code == 302
    with scope(province=jatim):
        cooperative = Cooperative.objects.get(pesantren=pesantren)
    assert (cooperative.name, cooperative.members_count) == ("Kopontren Lirboyo", 150)
    # A second "create" goes to the edit form instead.
    response = client.get(url("cooperative_create", pesantren_id=pesantren.pk))
    assert response["Location"] == url("cooperative_edit", pesantren_id=pesantren.pk)
    response = client.post(
        url("cooperative_edit", pesantren_id=pesantren.pk),
        {**data, "nib": "123", "deed_date": "2999-01-01", "version": "1"},
    )
    assert set(response.context["form"].errors) == {"nib", "deed_date"}
    assert "The deed date cannot be in the future." in text(response)
    response = client.post(
        url("cooperative_edit", pesantren_id=pesantren.pk),
        {**data, "members_count": "175", "version": "1"},
    )
    assert response.status_code == 302
    with scope(province=jatim):
        assert Cooperative.objects.get(pk=cooperative.pk).members_count == 175


def test_an_officer_registers_a_business_of_a_pesantrens_person(
    client, jatim, world, jatim_registry
):
    tebuireng, santri = world["tebuireng"], world["santri"]
    with scope(province=jatim):
        make_person(jatim, full_name="Orang Luar Pesantren")
    client.force_login(jatim_registry)
    form = text(client.get(url("enterprise_create") + f"?pesantren={tebuireng.pk}"))
    assert "Muhammad Rizki" in form and "Orang Luar Pesantren" not in form
    assert "Ahmad Banjar" not in form
    response = client.post(
        url("enterprise_create") + f"?pesantren={tebuireng.pk}",
        {
            "name": "Keripik Tempe Rizki",
            "owner": santri.pk,
            "pillar": "santripreneur",
            "pesantren": tebuireng.pk,
            "kbli_version": "2020",
            "started_year": "2023",
        },
    )
    assert response["Location"] == url("pesantren", pesantren_id=tebuireng.pk)
    with scope(province=jatim):
        enterprise = Enterprise.objects.get()
    assert (enterprise.owner_id, enterprise.started_year) == (santri.pk, 2023)
    listing = squash(text(client.get(url("enterprise_list"))))
    assert "Keripik Tempe Rizki Muhammad Rizki Santripreneur (santri) PP Tebuireng" in listing


def test_the_cooperative_list(client, world, jatim_registry):
    client.force_login(jatim_registry)
    page = squash(text(client.get(url("cooperative_list"))))
    assert "1 cooperative" in page and "Kopontren Tebuireng PP Tebuireng Kabupaten Jombang" in page
    assert "Kopontren Darussalam" not in page
    filtered = squash(text(client.get(url("cooperative_list"), {"q": "darussalam"})))
    assert "0 cooperatives" in filtered and "No cooperatives match." in filtered
    assert "Kopontren Tebuireng" not in filtered
    by_nib = squash(text(client.get(url("cooperative_list"), {"q": "91200012"})))
    assert "1 cooperative" in by_nib and "Kopontren Tebuireng" in by_nib


# --- Pesantren accounts ---------------------------------------------------------------------


def test_the_admin_creates_a_login_for_the_pesantren(client, jatim, world, jatim_admin):
    tebuireng = world["tebuireng"]
    client.force_login(jatim_admin)
    profile = text(client.get(url("pesantren", pesantren_id=tebuireng.pk)))
    assert "Create a login for this pesantren" in profile
    response = client.post(
        url("pesantren_account_create", pesantren_id=tebuireng.pk),
        {"username": "tebuireng", "full_name": "Ahmad Fauzi"},
    )
    assert response["Cache-Control"] == "no-store"
    password = re.search(r'id="temporary-password">([^<]+)<', text(response)).group(1)
    with scopes_disabled():
        access = PesantrenAccess.objects.select_related("user").get()
    assert access.pesantren_id == tebuireng.pk and access.user.check_password(password)
    profile = squash(text(client.get(url("pesantren", pesantren_id=tebuireng.pk))))
    assert "tebuireng · Ahmad Fauzi" in profile
    assert "Login created Username : tebuireng" in profile
    assert password not in profile


def test_only_the_province_admin_creates_pesantren_logins(client, world, jatim_registry):
    tebuireng = world["tebuireng"]
    client.force_login(jatim_registry)
    profile = text(client.get(url("pesantren", pesantren_id=tebuireng.pk)))
    assert "Create a login for this pesantren" not in profile
    target = url("pesantren_account_create", pesantren_id=tebuireng.pk)
    assert client.get(target).status_code == 404
    assert client.post(target, {"username": "x", "full_name": "X"}).status_code == 404
    with scopes_disabled():
        assert not PesantrenAccess.objects.exists()


# --- Who may see and change what ---------------------------------------------------------


def _pages(world):
    t, c = world["tebuireng"], world["cooperative"]
    with scope(province=t.province):
        enterprise = Enterprise.objects.create(
            province=t.province,
            owner=world["santri"],
            pesantren=t,
            name="Usaha",
            pillar="santripreneur",
        )
    return {
        "read": [
            url("pesantren_list"),
            url("pesantren", pesantren_id=t.pk),
            url("cooperative_list"),
            url("enterprise_list"),
            url("district_options") + f"?regency={JOMBANG}",
        ],
        "write": [
            url("pesantren_create"),
            url("pesantren_edit", pesantren_id=t.pk),
            url("cooperative_edit", pesantren_id=t.pk),
            url("enterprise_create"),
            url("enterprise_edit", enterprise_id=enterprise.pk),
        ],
        "post_only": [url("pesantren_status", pesantren_id=t.pk)],
        "admin": [url("pesantren_account_create", pesantren_id=t.pk)],
        "ids": {"pesantren": t.pk, "cooperative": c.pk, "enterprise": enterprise.pk},
    }


def _nothing_changed(jatim, world):
    with scope(province=jatim):
        t = Pesantren.objects.get(pk=world["tebuireng"].pk)
        assert (t.name, t.version, t.status) == ("PP Tebuireng", 1, "active")
        assert Pesantren.objects.count() == 1
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action__startswith="registry.").exists()
        assert not PesantrenAccess.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.VIEWER, Role.CURATOR, Role.DESK_OFFICER, Role.PRIVACY_OFFICER]
)
def test_readers_who_may_not_change(client, jatim, world, role):
    pages = _pages(world)
    client.force_login(make_user(f"jatim-{role}", province=jatim, roles=[role]))
    for page in pages["read"]:
        assert client.get(page).status_code == 200, page
    profile = text(client.get(pages["read"][1]))
    for hidden in pages["write"][1:] + pages["post_only"] + pages["admin"]:
        assert hidden not in profile, hidden
    for page in pages["write"] + pages["admin"]:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"name": "Diubah", "version": "1"}).status_code == 404, page
    for page in pages["post_only"]:
        assert client.post(page, {"status": "inactive", "version": "1"}).status_code == 404
    _nothing_changed(jatim, world)


def test_the_national_viewer_reads_but_does_not_write(client, jatim, world, national_viewer):
    pages = _pages(world)
    client.force_login(national_viewer)
    for page in pages["read"]:
        assert client.get(page).status_code == 200, page
    assert "PP Tebuireng" in text(client.get(pages["read"][0]))
    for page in pages["write"] + pages["admin"] + pages["post_only"]:
        assert (
            client.post(page, {"name": "Diubah", "status": "inactive", "version": "1"}).status_code
            == 404
        ), page
    _nothing_changed(jatim, world)


def test_a_pesantren_account_does_not_see_the_registry_pages(client, jatim, world, jatim_admin):
    user, _password = domain.pesantren_account_create(
        actor=jatim_admin, pesantren=world["tebuireng"], username="tb", full_name="Ahmad"
    )
    user.must_change_password = False
    user.save()
    client.force_login(user)
    for page in _pages(world)["read"]:
        assert client.get(page).status_code == 404, page


def test_another_province_gets_404_for_every_page(client, jatim, kalsel, world, kalsel_admin):
    pages = _pages(world)
    ids = pages["ids"]
    client.force_login(kalsel_admin)
    # Kalsel's own space works and shows only Kalsel's rows…
    own = text(client.get(url("pesantren_list", province="kalsel")))
    assert "PP Darussalam Martapura" in own and "PP Tebuireng" not in own
    assert "Kopontren Tebuireng" not in text(client.get(url("cooperative_list", province="kalsel")))
    # …Jatim's space is not found…
    for page in pages["read"] + pages["write"] + pages["admin"]:
        assert client.get(page).status_code == 404, page
    for page in pages["post_only"] + pages["write"]:
        assert client.post(page, {"status": "inactive", "version": "1"}).status_code == 404
    # …and Jatim's rows are not found through Kalsel's own space either.
    for name, kwargs in [
        ("pesantren", {"pesantren_id": ids["pesantren"]}),
        ("pesantren_edit", {"pesantren_id": ids["pesantren"]}),
        ("pesantren_status", {"pesantren_id": ids["pesantren"]}),
        ("cooperative_create", {"pesantren_id": ids["pesantren"]}),
        ("cooperative_edit", {"pesantren_id": ids["pesantren"]}),
        ("pesantren_account_create", {"pesantren_id": ids["pesantren"]}),
        ("enterprise_edit", {"enterprise_id": ids["enterprise"]}),
    ]:
        target = url(name, province="kalsel", **kwargs)
        # The status action takes only POST (a GET is 405 whatever the id).
        assert client.get(target).status_code == (405 if name == "pesantren_status" else 404)
        assert (
            client.post(
                target,
                {
                    "status": "inactive",
                    "version": "1",
                    "name": "X",
                    "username": "x",
                    "full_name": "X",
                },
            ).status_code
            == 404
        )
    assert (
        client.get(
            url("enterprise_create", province="kalsel") + f"?pesantren={ids['pesantren']}"
        ).status_code
        == 404
    )
    # Jatim's districts are not offered in Kalsel's space.
    options = text(client.get(url("district_options", province="kalsel"), {"regency": JOMBANG}))
    assert "Diwek" not in options
    _nothing_changed(jatim, world)


def test_a_kalsel_officer_cannot_give_a_jatim_person_a_business(
    client, kalsel, world, kalsel_registry
):
    client.force_login(kalsel_registry)
    response = client.post(
        url("enterprise_create", province="kalsel"),
        {
            "name": "Usaha",
            "owner": world["santri"].pk,
            "pillar": "santripreneur",
            "kbli_version": "2020",
        },
    )
    assert "owner" in response.context["form"].errors
    with scopes_disabled():
        assert not Enterprise.objects.exists()
