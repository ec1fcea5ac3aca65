"""A small public catalogue: Indonesian products with known words, two provinces.

East Java (two pesantren, in Kabupaten Malang and Kota Surabaya) has curated
food, craft, fashion and cosmetics products whose descriptions use the
affixed forms the search must see through (pengrajin, perajin, membatik,
dikerjakan), and a draft and a submitted product with the same words that
must never appear. South Kalimantan has two curated products of its own.
Products are written with the factories and indexed with `refresh_product`,
as the domain functions do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.catalog.indexing import refresh_product
from niaga.regions.models import Regency
from niaga.registry.models import Cooperative, CurationStatus, Pesantren, Product
from tests.registry.factories import (
    make_cooperative,
    make_legal_document,
    make_pesantren,
    make_product,
)


def listed(owner: Cooperative, name: str, description: str = "", **fields) -> Product:
    """A curated product in the index (curation level local unless given)."""
    fields.setdefault("status", CurationStatus.CURATED)
    with scopes_disabled():
        product = make_product(owner, name=name, description=description, **fields)
        refresh_product(product)
    return product


@dataclass
class Catalogue:
    hikmah: Pesantren  # Kabupaten Malang
    hikmah_coop: Cooperative
    ulum: Pesantren  # Kota Surabaya
    ulum_coop: Cooperative
    banjar: Pesantren  # Kota Banjarmasin
    banjar_coop: Cooperative
    products: dict[str, Product]

    def __getitem__(self, name: str) -> Product:
        return self.products[name]


def build_catalogue(jatim, kalsel) -> Catalogue:
    with scopes_disabled():
        malang = Regency.objects.get(code="35.07")
        surabaya = Regency.objects.get(code="35.78")
        hikmah = make_pesantren(jatim, name="Pondok Pesantren Al-Hikmah", regency=malang)
        ulum = make_pesantren(
            jatim, name="Pondok Pesantren Darul Ulum", regency=surabaya, email="ulum@contoh.id"
        )
        banjar = make_pesantren(
            kalsel, name="Pondok Pesantren Banjar", regency=Regency.objects.get(code="63.71")
        )
        hikmah_coop = make_cooperative(hikmah, name="Kopontren Al-Hikmah")
        ulum_coop = make_cooperative(ulum, name="Kopontren Darul Ulum")
        banjar_coop = make_cooperative(banjar, name="Kopontren Banjar")
    p = {}
    p["keripik"] = listed(
        hikmah_coop,
        "Keripik Singkong Balado",
        "Keripik singkong renyah berbumbu balado pedas, digoreng setiap pagi oleh santri.",
        price_min=15_000,
        price_max=25_000,
        unit="pak",
        monthly_capacity=1200,
    )
    p["anyaman"] = listed(
        hikmah_coop,
        "Kerajinan Anyaman Bambu",
        "Tampah dan keranjang dari bambu tua yang diawetkan.",
        category="craft",
    )
    p["tas"] = listed(
        ulum_coop,
        "Tas Rotan Jinjing",
        "Dianyam rapat oleh para pengrajin desa di sekitar pondok.",
        category="craft",
    )
    p["tudung"] = listed(
        ulum_coop,
        "Tudung Saji Pandan",
        "Dibuat tangan oleh perajin santri putri dari daun pandan dan rangka bambu.",
        category="craft",
        level="modern_retail",
    )
    p["batik"] = listed(
        hikmah_coop,
        "Kain Batik Tulis Pesisiran",
        "Kain katun dengan motif pesisiran, pewarna alami.",
        category="fashion",
    )
    p["sarung"] = listed(
        ulum_coop,
        "Kain Sarung Motif Parang",
        "Dikerjakan dengan membatik memakai canting, motif tulis khas Madura.",
        category="fashion",
    )
    p["robusta"] = listed(
        hikmah_coop,
        "Kopi Robusta Bubuk",
        "Kopi robusta dipetik merah dan disangrai sedang.",
        level="modern_retail",
    )
    p["arabika"] = listed(
        ulum_coop, "Kopi Arabika Ijen", "Kopi arabika dataran tinggi, proses basah."
    )
    p["madu"] = listed(
        hikmah_coop,
        "Madu Hutan Murni",
        "Madu lebah hutan tanpa pemanasan.",
        level="export",
        price_min=85_000,
        price_max=150_000,
        unit="botol",
        monthly_capacity=300,
    )
    p["sabun"] = listed(
        ulum_coop, "Sabun Sereh Wangi", "Sabun mandi dari minyak kelapa.", category="cosmetics"
    )
    p["pisang"] = listed(
        banjar_coop, "Keripik Pisang Kepok", "Keripik pisang kepok khas Banjar, manis dan renyah."
    )
    p["sasirangan"] = listed(
        banjar_coop,
        "Kain Sasirangan Tulis",
        "Kain sasirangan khas Kalimantan Selatan dengan motif tulis.",
        category="fashion",
    )
    with scopes_disabled():
        today = timezone.localdate()
        make_legal_document(
            p["robusta"], "halal", "ID35110000123450921", expires_on=today + dt.timedelta(days=900)
        )
        make_legal_document(
            p["arabika"], "halal", "ID35110000123450922", expires_on=today - dt.timedelta(days=1)
        )
        make_legal_document(p["madu"], "halal", "ID35110000123450923", halal_scheme="self_declare")
        make_legal_document(p["madu"], "bpom", "MD234567890123")
        make_legal_document(p["keripik"], "pirt", "207350701234526")
        for key in ("robusta", "arabika", "madu", "keripik"):
            refresh_product(p[key])  # as the legality document functions do
        # The same words, not curated: never in the catalogue.
        for status, name in (
            (CurationStatus.DRAFT, "Keripik Tempe Kerajinan Batik"),
            (CurationStatus.SUBMITTED, "Keripik Kopi Madu Batik Tulis"),
        ):
            hidden = make_product(
                hikmah_coop, name=name, description="Dibuat para pengrajin.", status=status
            )
            refresh_product(hidden)
            p[status] = hidden
    for product in p.values():
        with scopes_disabled():
            product.refresh_from_db()
    return Catalogue(hikmah, hikmah_coop, ulum, ulum_coop, banjar, banjar_coop, p)


@pytest.fixture
def catalogue(jatim, kalsel) -> Catalogue:
    return build_catalogue(jatim, kalsel)
