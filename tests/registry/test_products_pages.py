"""The product pages: list and filters, form, detail with photos, documents and curation,
the curators' queue, the dashboard and a pesantren account's home.

Users here read English (their `language`), so the assertions do not depend on
the Indonesian catalogue; one test checks the Indonesian default separately.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.registry.domain import products as domain
from niaga.registry.models import (
    CurationEvent,
    LegalDocument,
    Product,
    ProductPhoto,
)
from niaga.registry.views.products import dashboard_figures, document_alerts, product_rows
from tests.conftest import make_user
from tests.registry.factories import (
    make_cooperative,
    make_legal_document,
    make_pesantren,
    make_product,
)
from tests.registry.test_products_world import build_world, image_bytes, pesantren_account

pytestmark = pytest.mark.django_db


def url(name, province="jatim", **kwargs):
    return reverse(f"province:{name}", kwargs={"province": province, **kwargs})


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def text(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def today_in_jatim() -> dt.date:
    return timezone.now().astimezone(dt.timezone(dt.timedelta(hours=7))).date()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(jatim, kalsel):
    return build_world(jatim, kalsel)


@pytest.fixture
def registry(jatim_registry):
    return english(jatim_registry)


@pytest.fixture
def curator(jatim_curator):
    return english(jatim_curator)


@pytest.fixture
def catalogue(world):
    """Four Jatim products: draft, curated (halal, modern retail), returned, submitted."""
    today = today_in_jatim()
    with scopes_disabled():
        keripik = make_product(
            world.hikmah_coop,
            name="Keripik Tempe Sagu",
            description="Tempe renyah dari kedelai lokal",
            price_min=12_000,
            price_max=15_000,
        )
        batik = make_product(
            world.ulum_coop,
            name="Batik Tulis Parang",
            category="fashion",
            status="curated",
            level="modern_retail",
        )
        jamu = make_product(world.alumnus, name="Jamu Kunyit Asam", category="cosmetics")
        Product.objects.filter(pk=jamu.pk).update(status="returned")
        kopi = make_product(world.santri, name="Kopi Robusta Pacitan", status="submitted")
        make_legal_document(
            batik,
            "halal",
            "ID35110000123450921",
            issued_on=dt.date(2024, 1, 10),
            expires_on=today + dt.timedelta(days=30),
        )
        make_legal_document(keripik, "pirt", "206357801012326", expires_on=today - dt.timedelta(1))
        # An expired halal certificate does not make a product halal-certified.
        make_legal_document(
            jamu, "halal", "ID35110000123450922", expires_on=today - dt.timedelta(days=3)
        )
        make_legal_document(kopi, "bpom", "MD224510001234", expires_on=today + dt.timedelta(400))
    return {"keripik": keripik, "batik": batik, "jamu": jamu, "kopi": kopi}


# --- The list -----------------------------------------------------------------------


def names_in(response) -> list[str]:
    return [p.name for p in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "Batik Tulis Parang",
                "Jamu Kunyit Asam",
                "Keripik Tempe Sagu",
                "Kopi Robusta Pacitan",
            ],
        ),
        ("q=kedelai+renyah", ["Keripik Tempe Sagu"]),
        ("q=tempe+batik", []),
        ("category=fashion", ["Batik Tulis Parang"]),
        ("status=returned", ["Jamu Kunyit Asam"]),
        ("level=modern_retail", ["Batik Tulis Parang"]),
        ("regency=35.07", ["Jamu Kunyit Asam"]),
        ("regency=35.01", ["Keripik Tempe Sagu", "Kopi Robusta Pacitan"]),
        ("halal=yes", ["Batik Tulis Parang"]),
        ("halal=no", ["Jamu Kunyit Asam", "Keripik Tempe Sagu", "Kopi Robusta Pacitan"]),
        ("documents=expiring", ["Batik Tulis Parang"]),
        ("documents=expired", ["Jamu Kunyit Asam", "Keripik Tempe Sagu"]),
    ],
)
def test_the_list_filters(client, world, catalogue, registry, query, expected):
    client.force_login(registry)
    response = client.get(url("product_list") + "?" + query)
    assert response.status_code == 200
    assert names_in(response) == expected
    assert "Sasirangan Banjar" not in response.content.decode()


def test_the_list_filters_by_pesantren_and_shows_badges(client, world, catalogue, registry):
    client.force_login(registry)
    response = client.get(url("product_list") + f"?pesantren={world.ulum.pk}")
    assert names_in(response) == ["Batik Tulis Parang", "Jamu Kunyit Asam"]
    page = text(response)
    assert "2 products match." in page
    assert "Batik Tulis Parang Fashion and textile Kopontren Darul Ulum Kota Surabaya" in page
    assert "Curated · Modern retail Halal Expires within 90 days" in page
    assert "Jamu Kunyit Asam Cosmetics and herbal Siti Aminah Pondok Pesantren Darul Ulum" in page
    assert "Returned Expired" in page
    response = client.get(url("product_list") + "?q=keripik")
    assert "IDR 12,000 – IDR 15,000 / kg" in text(response)


def test_product_rows_take_a_fixed_today(world, catalogue):
    with scope(province=world.jatim):
        far_future = dt.date(2100, 1, 1)
        assert [p.name for p in product_rows({"documents": "expired"}, far_future)] == [
            "Batik Tulis Parang",
            "Jamu Kunyit Asam",
            "Keripik Tempe Sagu",
            "Kopi Robusta Pacitan",
        ]
        assert [p.name for p in product_rows({"halal": "yes"}, far_future)] == []
        long_ago = dt.date(2000, 1, 1)
        assert [p.name for p in product_rows({"halal": "yes"}, long_ago)] == [
            "Batik Tulis Parang",
            "Jamu Kunyit Asam",
        ]


def test_the_list_exports_what_is_filtered(client, world, catalogue, registry):
    client.force_login(registry)
    response = client.get(url("product_list") + "?category=fashion&export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "Batik Tulis Parang" in body and "Keripik" not in body
    page = client.get(url("product_list") + "?category=fashion").content.decode()
    assert "?category=fashion&amp;export=xlsx" in page


def test_lists_paginate(client, world, registry):
    with scopes_disabled():
        for n in range(55):
            make_product(world.hikmah_coop, name=f"Produk {n:02d}")
    client.force_login(registry)
    first = client.get(url("product_list"))
    assert len(first.context["page"]) == 50
    second = client.get(url("product_list") + "?page=2")
    assert names_in(second) == [f"Produk {n}" for n in range(50, 55)]
    assert "Page 2 of 2" in text(second)


# --- Isolation and permissions --------------------------------------------------------


def test_another_province_sees_nothing(client, world, catalogue, kalsel_registry, kalsel_admin):
    product = catalogue["batik"]
    with scopes_disabled():
        photo_owner = ProductPhoto.objects.create(
            province=world.jatim,
            product=product,
            image="x.webp",
            thumbnail="y.webp",
            width=1,
            height=1,
        )
    client.force_login(kalsel_admin)
    for name, kwargs in [
        ("product_list", {}),
        ("product", {"pk": product.pk}),
        ("registry_dashboard", {}),
        ("curation_queue", {}),
    ]:
        assert client.get(url(name, **kwargs)).status_code == 404
    # Through their own space, a Jatim product is no product at all.
    for name, kwargs in [
        ("product", {"pk": product.pk}),
        ("product_edit", {"pk": product.pk}),
        ("product_document", {"pk": product.pk, "kind": "halal"}),
        ("product_photo", {"pk": product.pk, "photo_id": photo_owner.pk, "variant": "image"}),
    ]:
        assert client.get(url(name, province="kalsel", **kwargs)).status_code == 404
    for name, kwargs, data in [
        ("product_curation", {"pk": product.pk}, {"move": "withdraw", "notes": "x"}),
        ("product_document_remove", {"pk": product.pk, "kind": "halal"}, {}),
        ("product_photo_remove", {"pk": product.pk, "photo_id": photo_owner.pk}, {}),
    ]:
        assert client.post(url(name, province="kalsel", **kwargs), data).status_code == 404
    # Their own list and dashboard hold only their own rows.
    client.force_login(kalsel_registry)
    assert names_in(client.get(url("product_list", province="kalsel"))) == ["Sasirangan Banjar"]
    figures = client.get(url("registry_dashboard", province="kalsel")).context["figures"]
    assert figures["totals"][-1] == 1 and figures["pesantren_count"] == 1
    with scope(province=world.jatim):
        assert LegalDocument.objects.filter(product=product).count() == 1
        assert Product.objects.get(pk=product.pk).status == "curated"


def test_roles_that_may_not_change_products_are_refused(client, world, catalogue, jatim):
    product = catalogue["keripik"]
    viewer = make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])
    desk = make_user("jatim-desk", province=jatim, roles=[Role.DESK_OFFICER])
    curator = make_user("jatim-curator", province=jatim, roles=[Role.CURATOR])
    for user in (viewer, desk, curator):
        client.force_login(user)
        assert client.get(url("product_list")).status_code == 200  # the team reads
        assert client.get(url("product", pk=product.pk)).status_code == 200
        assert client.get(url("product_create")).status_code == 404
        assert client.get(url("product_edit", pk=product.pk)).status_code == 404
        assert client.get(url("product_document_add", pk=product.pk)).status_code == 404
        assert client.post(url("product_photo_add", pk=product.pk), {}).status_code == 404
        assert (
            client.post(url("product_document_remove", pk=product.pk, kind="pirt")).status_code
            == 404
        )
        assert (
            client.post(url("product_curation", pk=product.pk), {"move": "submit"}).status_code
            == 404
        )
    registry = make_user("jatim-registry", province=jatim, roles=[Role.REGISTRY_OFFICER])
    privacy = make_user("jatim-dpo", province=jatim, roles=[Role.PRIVACY_OFFICER])
    national = make_user("nasional", is_national_viewer=True)
    for user in (viewer, desk, registry, privacy, national):
        client.force_login(user)
        assert client.get(url("curation_queue")).status_code == 404
        assert client.get(url("registry_dashboard")).status_code == 200
    for user in (privacy, national):
        client.force_login(user)
        assert client.get(url("product", pk=product.pk)).status_code == 200
        assert client.get(url("product_create")).status_code == 404
        assert client.get(url("product_edit", pk=product.pk)).status_code == 404
        assert (
            client.post(url("product_curation", pk=product.pk), {"move": "submit"}).status_code
            == 404
        )
    with scope(province=jatim):
        assert Product.objects.get(pk=product.pk).status == "draft"
        assert LegalDocument.objects.filter(product=product).count() == 1


def test_a_pesantren_account_sees_only_its_own_products(client, world, catalogue):
    account = english(pesantren_account("akun-hikmah", world.hikmah))
    client.force_login(account)
    for name in ("product_list", "registry_dashboard", "curation_queue"):
        assert client.get(url(name)).status_code == 404
    own, foreign = catalogue["keripik"], catalogue["batik"]
    assert client.get(url("product", pk=own.pk)).status_code == 200
    assert client.get(url("product_edit", pk=own.pk)).status_code == 200
    for name in ("product", "product_edit"):
        assert client.get(url(name, pk=foreign.pk)).status_code == 404
    assert client.post(url("product_curation", pk=foreign.pk), {"move": "x"}).status_code == 404
    home = client.get(url("registry_my"))
    assert [p.name for p in home.context["products"]] == [
        "Keripik Tempe Sagu",
        "Kopi Robusta Pacitan",
    ]
    page = text(home)
    assert "Pondok Pesantren Al-Hikmah" in page and "Batik" not in page
    assert 'href="/province/jatim/inquiries/"' in home.content.decode()
    # The form offers only the pesantren's own owners, and refuses any other.
    form = client.get(url("product_create")).context["form"]
    offered = [
        label for _group, options in form.fields["owner"].choices[1:] for _v, label in options
    ]
    assert offered == [
        "Kopontren Al-Hikmah · Pondok Pesantren Al-Hikmah",
        "Ahmad Fauzi · Pondok Pesantren Al-Hikmah",
    ]
    response = client.post(
        url("product_create"),
        {
            "owner": f"cooperative:{world.ulum_coop.pk}",
            "name": "X",
            "category": "food",
            "unit": "kg",
        },
    )
    assert response.context["form"].errors == {"owner": ["Choose the owner from the list."]}


def test_the_team_has_no_pesantren_home(client, world, registry):
    client.force_login(registry)
    assert client.get(url("registry_my")).status_code == 404


def test_an_account_submits_its_own_draft_from_its_home(client, world, catalogue):
    account = english(pesantren_account("akun-hikmah", world.hikmah))
    client.force_login(account)
    product = catalogue["keripik"]
    response = client.post(
        url("product_curation", pk=product.pk),
        {"move": "submit", "version": "1", "next": url("registry_my")},
    )
    assert response.status_code == 302 and response["Location"] == url("registry_my")
    with scope(province=world.jatim):
        event = CurationEvent.objects.get(product=product)
    assert (event.to_status, event.actor) == ("submitted", account)
    # It may not start the review.
    response = client.post(url("product_curation", pk=product.pk), {"move": "start_review"})
    assert response.status_code == 404
    # An offsite `next` is ignored.
    response = client.post(
        url("product_curation", pk=catalogue["kopi"].pk),
        {"move": "submit", "next": "https://example.com/"},
    )
    assert response["Location"] == url("product", pk=catalogue["kopi"].pk)


# --- Query counts -------------------------------------------------------------------


def _grow(world, n):
    with scopes_disabled():
        for i in range(n):
            pesantren = make_pesantren(world.jatim)
            cooperative = make_cooperative(pesantren)
            product = make_product(cooperative, status="submitted" if i % 2 else "curated")
            make_legal_document(
                product, "pirt", "206357801012326", expires_on=today_in_jatim() + dt.timedelta(9)
            )
            make_legal_document(
                product, "bpom", "MD224510001234", expires_on=today_in_jatim() - dt.timedelta(9)
            )
            CurationEvent.objects.create(
                province=world.jatim, product=product, from_status="draft", to_status="submitted"
            )
            if pesantren.pk % 2:
                # The account's pesantren gets products too.
                make_product(world.hikmah_coop, name=f"Produk Hikmah {i}")


def _queries(client, address) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_list_queue_dashboard_and_home_cost_the_same_with_more_rows(
    client, world, registry, jatim_admin
):
    account = pesantren_account("akun-hikmah", world.hikmah)
    _grow(world, 4)
    pages = [url("product_list"), url("curation_queue"), url("registry_dashboard")]

    def counts():
        client.force_login(jatim_admin)
        team = [_queries(client, page) for page in pages]
        client.force_login(account)
        return [*team, _queries(client, url("registry_my"))]

    few = counts()
    _grow(world, 12)
    assert counts() == few


def test_the_detail_costs_the_same_with_more_photos_documents_and_events(
    client, world, catalogue, registry, curator
):
    product = catalogue["kopi"]
    client.force_login(registry)

    def count():
        return _queries(client, url("product", pk=product.pk))

    domain.photo_add(actor=registry, product=product, upload=_upload())
    few = count()
    for _ in range(3):
        domain.photo_add(actor=registry, product=product, upload=_upload())
    domain.legal_document_set(
        actor=registry, product=product, kind="pirt", number="206357801012326"
    )
    domain.product_review_start(actor=curator, product=product)
    domain.product_return(actor=curator, product=product, notes="Kemasan")
    assert count() == few


# --- Dashboard ----------------------------------------------------------------------


def test_dashboard_counts_are_exact(client, world, catalogue, registry):
    with scopes_disabled():
        make_product(world.hikmah_coop, category="food", status="curated", level="export")
        make_product(world.hikmah_coop, category="food", status="curated", level="local")
        make_product(world.ulum_coop, category="craft", status="in_review")
    client.force_login(registry)
    response = client.get(url("registry_dashboard"))
    figures = response.context["figures"]
    assert figures["headings"] == [
        "Draft",
        "Submitted",
        "In review",
        "Returned",
        "Local market",
        "Modern retail",
        "Export-ready",
    ]
    rows = dict(figures["rows"])
    #                                draft sub rev ret loc mod exp total
    assert rows["Food and beverage"] == [1, 1, 0, 0, 1, 0, 1, 4]
    assert rows["Fashion and textile"] == [0, 0, 0, 0, 0, 1, 0, 1]
    assert rows["Cosmetics and herbal"] == [0, 0, 0, 1, 0, 0, 0, 1]
    assert rows["Craft"] == [0, 0, 1, 0, 0, 0, 0, 1]
    assert rows["Services"] == [0] * 8
    assert figures["totals"] == [1, 1, 1, 1, 1, 1, 1, 7]
    assert figures["by_level"] == [("Local market", 1), ("Modern retail", 1), ("Export-ready", 1)]
    assert (figures["pesantren_count"], figures["cooperative_count"], figures["person_count"]) == (
        2,
        2,
        2,
    )
    page = text(response)
    assert "Food and beverage 1 1 0 0 1 0 1 4" in page
    assert "Total 1 1 1 1 1 1 1 7" in page
    assert "Expiring within 90 days 1" in page and "Expired 2" in page
    alerts = response.context["alerts"]
    assert [d.product.name for d in alerts["expiring"]] == ["Batik Tulis Parang"]
    assert [d.product.name for d in alerts["expired"]] == ["Keripik Tempe Sagu", "Jamu Kunyit Asam"]


def test_document_alerts_on_fixed_days(world, catalogue):
    today = today_in_jatim()
    with scope(province=world.jatim):
        later = document_alerts(today + dt.timedelta(days=31))
        assert later["expiring_count"] == 0 and later["expired_count"] == 3
        earlier = document_alerts(today - dt.timedelta(days=5))
        assert [d.number for d in earlier["expiring"]] == [
            "ID35110000123450922",
            "206357801012326",
            "ID35110000123450921",
        ]
        assert earlier["expired_count"] == 0
        assert dashboard_figures()["totals"][-1] == 4


# --- The form -----------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "owner": f"cooperative:{world.hikmah_coop.pk}",
        "name": "Sambal Pecel Al-Hikmah",
        "description": "Sambal kacang khas Madiun",
        "category": "food",
        "price_min": "25.000",
        "price_max": "30.000",
        "unit": "botol",
        "monthly_capacity": "500",
        "hs_code": "2103.90.90",
    }
    data.update(overrides)
    return data


def test_an_officer_registers_a_product(client, world, registry):
    client.force_login(registry)
    form = client.get(url("product_create") + f"?cooperative={world.hikmah_coop.pk}")
    assert form.context["form"].initial == {"owner": f"cooperative:{world.hikmah_coop.pk}"}
    response = client.post(url("product_create"), form_data(world))
    with scope(province=world.jatim):
        product = Product.objects.get(name="Sambal Pecel Al-Hikmah")
    assert response["Location"] == url("product", pk=product.pk)
    assert (product.price_min, product.price_max, product.hs_code) == (25_000, 30_000, "21039090")
    assert (product.pesantren, product.regency_id, product.status) == (
        world.hikmah,
        "35.01",
        "draft",
    )
    page = text(client.get(response["Location"]))
    assert "The product has been registered as a draft." in page
    assert "IDR 25,000 – IDR 30,000 / botol" in page and "500 botol" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"hs_code": "0901.11"}, "hs_code", "An HS code is 8 digits"),
        ({"hs_code": "9801.00.00"}, "hs_code", "An HS code begins with its chapter"),
        ({"price_min": "50.000"}, "price_max", "The highest price must not be below the lowest"),
        ({"price_min": "25,000"}, "price_min", ""),
        ({"price_max": "-5"}, "price_max", ""),
        ({"owner": ""}, "owner", "This field is required."),
        ({"owner": "person:999999"}, "owner", "Choose the owner from the list."),
        ({"name": ""}, "name", "This field is required."),
        ({"category": "jewellery"}, "category", "Select a valid choice."),
        ({"monthly_capacity": "-1"}, "monthly_capacity", "greater than or equal to 0"),
    ],
)
def test_bad_input_is_shown_at_its_field(client, world, registry, overrides, field, message):
    client.force_login(registry)
    response = client.post(url("product_create"), form_data(world, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    with scope(province=world.jatim):
        assert not Product.objects.filter(name="Sambal Pecel Al-Hikmah").exists()


def test_editing_with_a_stale_version_changes_nothing(client, world, registry, catalogue):
    product = catalogue["keripik"]
    client.force_login(registry)
    edit = client.get(url("product_edit", pk=product.pk))
    assert edit.context["form"].initial["version"] == 1
    domain.product_update(actor=registry, product=product, version=1, unit="pak")
    response = client.post(
        url("product_edit", pk=product.pk),
        form_data(world, name="Keripik Baru", version="1"),
        follow=True,
    )
    assert "Someone else changed this record while you were editing it." in text(response)
    with scope(province=world.jatim):
        assert Product.objects.get(pk=product.pk).name == "Keripik Tempe Sagu"


def test_editing_a_curated_products_name_sends_it_back(client, world, registry, catalogue):
    product = catalogue["batik"]
    client.force_login(registry)
    data = form_data(
        world,
        owner=f"cooperative:{world.ulum_coop.pk}",
        name="Batik Tulis Parang Rusak",
        category="fashion",
        version="1",
    )
    response = client.post(url("product_edit", pk=product.pk), data, follow=True)
    assert "went back to the curators for review" in text(response)
    with scope(province=world.jatim):
        assert Product.objects.get(pk=product.pk).status == "submitted"


# --- A product: photos, documents, curation -----------------------------------------


def _upload(data=None, name="foto.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data or image_bytes(), content_type="image/jpeg")


def test_photos_through_the_page(client, world, catalogue, registry):
    product = catalogue["keripik"]
    client.force_login(registry)
    response = client.post(
        url("product_photo_add", pk=product.pk), {"image": _upload(), "caption": "Kemasan baru"}
    )
    assert response.status_code == 302
    with scope(province=world.jatim):
        photo = ProductPhoto.objects.get(product=product)
    detail = client.get(url("product", pk=product.pk)).content.decode()
    thumb = url("product_photo", pk=product.pk, photo_id=photo.pk, variant="thumbnail")
    assert f'src="{thumb}"' in detail and 'alt="Kemasan baru"' in detail
    served = client.get(thumb)
    assert served["Content-Type"] == "image/webp"
    assert b"".join(served.streaming_content)[8:12] == b"WEBP"
    # A file that is not an image: the error is at the field, and the page still works.
    bad = client.post(
        url("product_photo_add", pk=product.pk),
        {"image": _upload(b"%PDF-1.4 bukan foto", name="foto.jpg")},
    )
    assert bad.status_code == 400
    assert bad.context["photo_form"].errors == {
        "image": ["The file is a PDF image; photos must be JPEG, PNG or WebP."]
    }
    # Reorder and remove.
    client.post(
        url("product_photo_add", pk=product.pk), {"image": _upload(image_bytes(size=(90, 90)))}
    )
    with scope(province=world.jatim):
        second = ProductPhoto.objects.get(product=product, width=90)
    client.post(
        url("product_photo_move", pk=product.pk, photo_id=second.pk), {"direction": "first"}
    )
    with scope(province=world.jatim):
        assert list(product.photos.order_by("position").values_list("pk", flat=True)) == [
            second.pk,
            photo.pk,
        ]
    client.post(url("product_photo_remove", pk=product.pk, photo_id=photo.pk))
    with scope(province=world.jatim):
        assert list(product.photos.values_list("pk", flat=True)) == [second.pk]


def test_photos_are_served_to_the_team_and_the_own_pesantren_only(
    client, world, catalogue, registry, jatim_desk
):
    product = catalogue["keripik"]
    photo = domain.photo_add(actor=registry, product=product, upload=_upload())
    address = url("product_photo", pk=product.pk, photo_id=photo.pk, variant="image")
    for user, status in (
        (jatim_desk, 200),
        (pesantren_account("akun-hikmah", world.hikmah), 200),
        (pesantren_account("akun-ulum", world.ulum), 404),
    ):
        client.force_login(user)
        assert client.get(address).status_code == status
    client.logout()
    assert client.get(address).status_code == 302  # to the login page
    other = catalogue["batik"]
    client.force_login(registry)
    wrong = url("product_photo", pk=other.pk, photo_id=photo.pk, variant="image")
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {
                "kind": "halal",
                "number": "SH2021-1-000123",
                "halal_scheme": "regular",
                "issued_on": "2024-01-01",
            },
            {"number": "is a halal certification application number"},
        ),
        (
            {"kind": "halal", "number": "ID35110000123450921", "issued_on": "2024-01-01"},
            {"halal_scheme": "Choose the halal scheme: regular or self-declare."},
        ),
        (
            {"kind": "halal", "number": "ID35110000123450921", "halal_scheme": "regular"},
            {"issued_on": "A halal certificate has an issue date; enter it."},
        ),
        ({"kind": "pirt", "number": "2063578"}, {"number": "A P-IRT number is 15 digits"}),
        ({"kind": "bpom", "number": "MD 2245"}, {"number": "A BPOM registration number is MD"}),
        ({"kind": "sni", "number": "ISO 9001"}, {"number": "An SNI number is written like"}),
        ({"kind": "trademark", "number": "TM 1"}, {"number": "A trademark number is"}),
        (
            {
                "kind": "bpom",
                "number": "MD224510001234",
                "issued_on": "2025-01-02",
                "expires_on": "2025-01-01",
            },
            {"expires_on": "The expiry date must not be before the issue date."},
        ),
        (
            {"kind": "pirt", "number": "206357801012326", "expires_on": "31/02/2025"},
            {"expires_on": "Enter a valid date."},
        ),
    ],
)
def test_document_errors_are_at_their_fields(client, world, catalogue, registry, data, errors):
    product = catalogue["kopi"]  # has a BPOM document already: add a new kind to test BPOM
    with scopes_disabled():
        LegalDocument.objects.filter(product=product).delete()
    client.force_login(registry)
    response = client.post(url("product_document_add", pk=product.pk), data)
    assert response.status_code == 200
    found = response.context["form"].errors
    assert list(found) == list(errors)
    for field, message in errors.items():
        assert message in found[field][0]
    with scope(province=world.jatim):
        assert not LegalDocument.objects.filter(product=product).exists()


def test_documents_through_the_page(client, world, catalogue, registry):
    product = catalogue["keripik"]
    client.force_login(registry)
    response = client.post(
        url("product_document_add", pk=product.pk),
        {
            "kind": "halal",
            "number": "ID35110000123450921",
            "halal_scheme": "self_declare",
            "issued_on": "2025-06-01",
        },
        follow=True,
    )
    page = text(response)
    assert "Saved: Halal certificate." in page
    assert "Halal certificate Self-declare ID35110000123450921 1 Jun 2025 — Valid" in page
    assert "P-IRT (home-industry food permit) 206357801012326" in page and "Expired" in page
    # Edit the P-IRT: the form starts from what is stored.
    edit = client.get(url("product_document", pk=product.pk, kind="pirt"))
    assert edit.context["form"].initial["number"] == "206357801012326"
    response = client.post(
        url("product_document", pk=product.pk, kind="pirt"),
        {
            "kind": "pirt",
            "number": "206357801012399",
            "version": "1",
            "expires_on": (today_in_jatim() + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.post(url("product_document_remove", pk=product.pk, kind="halal"))
    with scope(province=world.jatim):
        assert list(
            LegalDocument.objects.filter(product=product).values_list("kind", "number")
        ) == [("pirt", "206357801012399")]


def test_curation_through_the_page_and_its_history(client, world, catalogue, registry, curator):
    product = catalogue["keripik"]
    client.force_login(registry)
    detail = client.get(url("product", pk=product.pk))
    assert [m.name for m in detail.context["moves"]] == ["submit"]
    client.post(url("product_curation", pk=product.pk), {"move": "submit", "version": "1"})
    client.force_login(curator)
    queue = client.get(url("curation_queue"))
    assert [p.name for p in queue.context["page"]] == ["Kopi Robusta Pacitan", "Keripik Tempe Sagu"]
    client.post(url("product_curation", pk=product.pk), {"move": "start_review", "version": "2"})
    # Returning without notes is refused with the rule, and changes nothing.
    response = client.post(
        url("product_curation", pk=product.pk), {"move": "return", "notes": " "}, follow=True
    )
    assert "Write the notes for the owner: what must change before curation." in text(response)
    response = client.post(
        url("product_curation", pk=product.pk),
        {"move": "curate", "level": "export", "notes": "Lolos uji", "version": "3"},
        follow=True,
    )
    page = text(response)
    assert "Keripik Tempe Sagu is now: Curated (Export-ready)." in page
    with scope(province=world.jatim):
        events = list(CurationEvent.objects.filter(product=product).order_by("at", "id"))
    wib = [timezone.localtime(e.at, dt.timezone(dt.timedelta(hours=7))) for e in events]
    stamps = [f"{t:%B} {t.day}, {t.year}, {t:%H:%M} WIB" for t in wib]
    assert [e.actor.username for e in events] == [
        "jatim-registry",
        "jatim-curator",
        "jatim-curator",
    ]
    history = page[page.index("History") :]
    assert f"{stamps[0]} · jatim-registry Draft → Submitted" in history
    assert f"{stamps[1]} · jatim-curator Submitted → In review" in history
    assert f"{stamps[2]} · jatim-curator In review → Curated · Export-ready Lolos uji" in history
    # A stale page cannot move it again.
    response = client.post(
        url("product_curation", pk=product.pk),
        {"move": "withdraw", "notes": "x", "version": "3"},
        follow=True,
    )
    assert "Someone else changed this record" in text(response)
    assert [m.name for m in response.context["moves"]] == ["recurate", "withdraw"]


def test_pages_speak_indonesian_by_default(client, world, catalogue, jatim_registry):
    client.force_login(jatim_registry)
    response = client.get(url("product", pk=catalogue["keripik"].pk))
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "Rp 12.000 – Rp 15.000 / kg" in text(response)
