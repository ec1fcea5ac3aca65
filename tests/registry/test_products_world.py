"""A small named world for the product, curation and photo tests (no tests here).

East Java has two pesantren, Al-Hikmah (Pacitan, with its cooperative and a
santri) and Darul Ulum (Surabaya, with its cooperative and an alumnus who
lives in Malang), each with its own pesantren account; South Kalimantan has a
pesantren, a cooperative and a product of its own that must never leak.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django_scopes import scopes_disabled
from PIL import Image

from niaga.accounts.models import Role
from niaga.regions.models import Province, Regency
from niaga.registry.models import (
    Cooperative,
    Person,
    PersonRole,
    Pesantren,
    PesantrenAccess,
    Product,
)
from tests.conftest import make_user
from tests.registry.factories import (
    make_cooperative,
    make_person,
    make_pesantren,
    make_product,
)


@dataclass
class World:
    jatim: Province
    kalsel: Province
    hikmah: Pesantren
    hikmah_coop: Cooperative
    ulum: Pesantren
    ulum_coop: Cooperative
    santri: Person  # of Al-Hikmah, no regency of their own
    alumnus: Person  # of Darul Ulum, lives in Malang
    banjar: Pesantren
    banjar_coop: Cooperative
    banjar_product: Product


def build_world(jatim: Province, kalsel: Province) -> World:
    with scopes_disabled():
        hikmah = make_pesantren(
            jatim, name="Pondok Pesantren Al-Hikmah", regency=Regency.objects.get(code="35.01")
        )
        ulum = make_pesantren(
            jatim, name="Pondok Pesantren Darul Ulum", regency=Regency.objects.get(code="35.78")
        )
        banjar = make_pesantren(
            kalsel, name="Pondok Pesantren Banjar", regency=Regency.objects.get(code="63.71")
        )
        banjar_coop = make_cooperative(banjar, name="Kopontren Banjar")
        return World(
            jatim=jatim,
            kalsel=kalsel,
            hikmah=hikmah,
            hikmah_coop=make_cooperative(hikmah, name="Kopontren Al-Hikmah"),
            ulum=ulum,
            ulum_coop=make_cooperative(ulum, name="Kopontren Darul Ulum"),
            santri=make_person(jatim, full_name="Ahmad Fauzi", pesantren=hikmah),
            alumnus=make_person(
                jatim,
                full_name="Siti Aminah",
                role=PersonRole.ALUMNUS,
                gender="female",
                pesantren=ulum,
                regency=Regency.objects.get(code="35.07"),
            ),
            banjar=banjar,
            banjar_coop=banjar_coop,
            banjar_product=make_product(banjar_coop, name="Sasirangan Banjar"),
        )


def pesantren_account(username: str, pesantren: Pesantren):
    """A login with the pesantren role that speaks for `pesantren`."""
    user = make_user(username, province=pesantren.province, roles=[Role.PESANTREN])
    with scopes_disabled():
        PesantrenAccess.objects.create(province=pesantren.province, user=user, pesantren=pesantren)
    return user


def image_bytes(fmt: str = "JPEG", size=(800, 600), color=(180, 40, 40), **save) -> bytes:
    buffer = io.BytesIO()
    alpha = save.pop("alpha", False)
    mode = "RGBA" if alpha else "RGB"
    Image.new(mode, size, (*color, 128) if alpha else color).save(buffer, fmt, **save)
    return buffer.getvalue()
