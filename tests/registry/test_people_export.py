"""A person's data package (UU PDP right of access): everything held, as JSON and PDF."""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from niaga.audit.models import AuditEvent
from niaga.registry import people_export
from niaga.registry.domain import people as domain
from niaga.registry.models import Enterprise
from tests.registry.factories import (
    default_regency,
    make_nik,
    make_pesantren,
    make_product,
)

pytestmark = pytest.mark.django_db

BIRTH = dt.date(2008, 5, 20)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(jatim, jatim_registry):
    """A santri with everything a person can have: NIK, contact, consent, business, product."""
    regency = default_regency(jatim)
    nik = make_nik(regency, BIRTH, serial=42)
    with scope(province=jatim):
        pesantren = make_pesantren(jatim, name="Pondok Pesantren Al-Amien", nspp="510035290001")
    person = domain.person_create(
        actor=jatim_registry,
        province=jatim,
        full_name="Muhammad Rizki Ramadhan",
        role="santri",
        pillar="santripreneur",
        gender="male",
        birth_date=BIRTH,
        nik=nik,
        phone="0813-3344-5566",
        email="rizki@example.com",
        pesantren=pesantren,
        regency=regency,
        address="Jl. Pesantren 12, Prenduan",
    )
    consent = domain.consent_record(
        actor=jatim_registry,
        person=person,
        purpose="registry",
        given_on=dt.date(2024, 7, 1),
        given_by="guardian",
        guardian_name="Abdul Karim",
        guardian_relation="ayah",
    )
    with scope(province=jatim):
        enterprise = Enterprise.objects.create(
            province=jatim,
            owner=person,
            pesantren=pesantren,
            name="Keripik Singkong Santri",
            pillar="santripreneur",
            business_line="Makanan ringan",
            kbli_code="10794",
        )
        product = make_product(person, name="Keripik Singkong Balado", unit="pak")
    return {
        "person": person,
        "nik": nik,
        "consent": consent,
        "enterprise": enterprise,
        "product": product,
        "pesantren": pesantren,
        "regency": regency,
    }


def test_the_package_holds_every_field_and_the_clear_nik(world, jatim, jatim_privacy):
    person = world["person"]
    data = domain.person_export(actor=jatim_privacy, person=person)
    with scope(province=jatim):
        person.refresh_from_db()
    assert data["person"] == {
        "id": person.pk,
        "full_name": "Muhammad Rizki Ramadhan",
        "nik": world["nik"],
        "role": "santri",
        "role_label": "Santri",
        "pillar": "santripreneur",
        "pillar_label": "Santripreneur (santri)",
        "gender": "male",
        "gender_label": "Male",
        "birth_date": "2008-05-20",
        "phone": "+6281333445566",
        "email": "rizki@example.com",
        "address": "Jl. Pesantren 12, Prenduan",
        "regency": {"code": world["regency"].code, "name": world["regency"].name},
        "pesantren_id": world["pesantren"].pk,
        "created_at": person.created_at.isoformat(),
        "updated_at": person.updated_at.isoformat(),
        "erased_at": None,
    }
    # Every stored field of the person is in the package (the NIK decrypted).
    internal = {"province", "version", "nik_encrypted", "nik_hash", "nik_masked"}
    stored = {f.name for f in type(person)._meta.concrete_fields} - internal
    exported = {key.removesuffix("_id") for key in data["person"]} | {"nik"}
    assert stored <= exported
    assert data["pesantren"] == {
        "id": world["pesantren"].pk,
        "name": "Pondok Pesantren Al-Amien",
        "nspp": "510035290001",
        "regency": world["pesantren"].regency.name,
    }
    assert data["consents"] == [
        {
            "id": world["consent"].pk,
            "purpose": "registry",
            "purpose_label": "Registry and program administration",
            "given_on": "2024-07-01",
            "given_by": "guardian",
            "given_by_label": "A parent or guardian",
            "guardian_name": "Abdul Karim",
            "guardian_relation": "ayah",
            "withdrawn_on": None,
            "recorded_at": world["consent"].recorded_at.isoformat(),
        }
    ]
    assert [(e["name"], e["kbli_code"], e["pesantren"]) for e in data["enterprises"]] == [
        ("Keripik Singkong Santri", "10794", "Pondok Pesantren Al-Amien")
    ]
    assert [(p["id"], p["name"], p["unit"], p["status"]) for p in data["products"]] == [
        (world["product"].pk, "Keripik Singkong Balado", "pak", "draft")
    ]
    assert [e["action"] for e in data["audit_history"]] == [
        "registry.person.create",
        "registry.consent.record",
    ]
    assert data["audit_history"][0]["by"] == "jatim-registry"
    assert data["generated_by"] == "jatim-dpo"
    assert data["province"] == {"code": "35", "name": "Jawa Timur"}


def test_the_export_is_audited_without_the_nik(world, jatim, jatim_privacy):
    domain.person_export(actor=jatim_privacy, person=world["person"], fmt="pdf")
    with scope(province=jatim):
        [event] = AuditEvent.objects.filter(action="registry.person.export")
    assert (event.actor, event.object_id, event.after) == (
        jatim_privacy,
        str(world["person"].pk),
        {"format": "pdf"},
    )
    assert world["nik"] not in json.dumps([event.before, event.after, event.object_repr])


@pytest.mark.parametrize("who", ["jatim_registry", "jatim_admin", "jatim_curator"])
def test_only_the_privacy_officer_exports(world, who, request):
    with pytest.raises(PermissionDenied):
        domain.person_export(actor=request.getfixturevalue(who), person=world["person"])


def test_json_download_round_trips(world, client, jatim_privacy):
    client.force_login(jatim_privacy)
    person = world["person"]
    url = reverse(
        "province:person_export",
        kwargs={"province": "jatim", "person_id": person.pk, "fmt": "json"},
    )
    assert client.get(url).status_code == 405  # a download that writes the audit log is a POST
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert re.fullmatch(
        rf'attachment; filename="data-pribadi-{person.pk}-\d{{4}}-\d{{2}}-\d{{2}}\.json"',
        response["Content-Disposition"],
    )
    data = json.loads(response.content.decode("utf-8"))
    assert data["person"]["nik"] == world["nik"]
    assert data["person"]["full_name"] == "Muhammad Rizki Ramadhan"
    assert data["consents"][0]["guardian_name"] == "Abdul Karim"
    # Reading it back and writing it again gives the same bytes.
    assert people_export.as_json(data) == response.content


def test_pdf_download_is_a_pdf_of_the_same_content(world, client, jatim_privacy):
    client.force_login(jatim_privacy)
    person = world["person"]
    url = reverse(
        "province:person_export", kwargs={"province": "jatim", "person_id": person.pk, "fmt": "pdf"}
    )
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    # The PDF is printed from this HTML; it holds every value of the package.
    data = domain.person_export(actor=jatim_privacy, person=person)
    html = people_export.as_html(data)
    for value in (
        "Muhammad Rizki Ramadhan",
        world["nik"],
        "+6281333445566",
        "rizki@example.com",
        "Jl. Pesantren 12, Prenduan",
        "2008-05-20",
        "Pondok Pesantren Al-Amien",
        "NSPP 510035290001",
        "Abdul Karim (ayah)",
        "Registri dan administrasi program",
        "Keripik Singkong Santri",
        "Keripik Singkong Balado",
        "registry.person.create",
        "registry.consent.record",
        "registry.person.export",
    ):
        assert value in html, value
    assert people_export.as_pdf(data).startswith(b"%PDF-")


def test_unknown_formats_and_outsiders_get_404(world, client, jatim_registry, kalsel_admin):
    person = world["person"]

    def url(province, fmt="json"):
        return reverse(
            "province:person_export",
            kwargs={"province": province, "person_id": person.pk, "fmt": fmt},
        )

    client.force_login(jatim_registry)
    assert client.post(url("jatim")).status_code == 404
    client.force_login(kalsel_admin)
    assert client.post(url("jatim")).status_code == 404
    assert client.post(url("kalsel")).status_code == 404
    with scope(province=person.province):
        assert not AuditEvent.objects.filter(action="registry.person.export").exists()
