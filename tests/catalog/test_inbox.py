"""The inquiry inbox under /province/<slug>/inquiries/: who sees what, answering, audit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.catalog import domain
from niaga.catalog.models import Inquiry
from niaga.registry.models import PesantrenAccess
from tests.catalog.test_pages import text
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def ask(product, name: str, **fields) -> Inquiry:
    fields.setdefault("phone", "081234567890")
    fields.setdefault("message", f"Pertanyaan dari {name}")
    with scopes_disabled():
        product.province  # noqa: B018 - loaded outside the scope the function opens
    return domain.inquiry_send(product=product, name=name, **fields)


@pytest.fixture
def asked(catalogue):
    """Two inquiries about Darul Ulum's products, one about Al-Hikmah's, one in Kalsel."""
    return {
        "tas": ask(catalogue["tas"], "Budi Santoso", email="budi@contoh.id", quantity=50),
        "sabun": ask(catalogue["sabun"], "Rina Wulandari", organisation="Toko Rina"),
        "madu": ask(catalogue["madu"], "Agus Salim"),
        "pisang": ask(catalogue["pisang"], "Hj. Siti Banjar"),
    }


def logged_in(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


@pytest.fixture
def ulum_account(jatim, catalogue):
    user = make_user("ulum-account", province=jatim, roles=[Role.PESANTREN])
    with scopes_disabled():
        PesantrenAccess.objects.create(province=jatim, user=user, pesantren=catalogue.ulum)
    return user


def listed_names(response) -> list[str]:
    import re

    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<tr>\s*<td[^>]*>.*?</td>\s*<td>(.*?)<br", body, re.S)
    ]


def test_an_officer_sees_the_provinces_inquiries_newest_first(asked, jatim_registry):
    client = logged_in(jatim_registry)
    response = client.get("/province/jatim/inquiries/")
    assert response.status_code == 200
    page = text(response)
    assert "All (3) New (3) Answered (0) Closed (0)" in page
    assert listed_names(response) == ["Madu Hutan Murni", "Sabun Sereh Wangi", "Tas Rotan Jinjing"]
    assert "Rina Wulandari Toko Rina" in page
    assert "Pisang" not in page and "Hj. Siti Banjar" not in page


def test_the_detail_shows_the_buyers_contact_and_records_the_answer(asked, jatim_registry):
    client = logged_in(jatim_registry)
    inquiry = asked["tas"]
    url = f"/province/jatim/inquiries/{inquiry.pk}/"
    page = text(client.get(url))
    assert "Name Budi Santoso" in page
    assert "Phone 0812-3456-7890" in page and "E-mail budi@contoh.id" in page
    assert "Quantity 50" in page and "Pertanyaan dari Budi Santoso" in page
    response = client.post(
        url, {"reply_note": "Ditelepon, harga grosir dikirim lewat WhatsApp.", "status": "answered"}
    )
    assert response.status_code == 302 and response["Location"] == url
    with scopes_disabled():
        inquiry.refresh_from_db()
        event = AuditEvent.objects.get(action="catalog.inquiry.answered")
    assert (inquiry.status, inquiry.reply_note, inquiry.answered_by) == (
        "answered",
        "Ditelepon, harga grosir dikirim lewat WhatsApp.",
        jatim_registry,
    )
    assert inquiry.answered_at is not None
    assert (event.actor, event.province_id, event.object_id) == (
        jatim_registry,
        "35",
        str(inquiry.pk),
    )
    assert event.before == {
        "status": "new",
        "reply_note": "",
        "answered_by": None,
        "answered_at": None,
    }
    assert event.after["status"] == "answered"
    assert event.after["reply_note"] == "Ditelepon, harga grosir dikirim lewat WhatsApp."
    assert event.after["answered_by"] == jatim_registry.pk
    page = text(client.get(url))
    assert "Answered" in page and "Last answered by jatim-registry" in page
    response = client.get("/province/jatim/inquiries/", {"status": "answered"})
    assert listed_names(response) == ["Tas Rotan Jinjing"]
    # Reopened as new: audited too.
    client.post(f"/province/jatim/inquiries/{inquiry.pk}/status/", {"status": "new"})
    with scopes_disabled():
        inquiry.refresh_from_db()
        reopened = AuditEvent.objects.get(action="catalog.inquiry.status_changed")
    assert inquiry.status == "new"
    assert (reopened.before, reopened.after) == ({"status": "answered"}, {"status": "new"})


def test_an_answer_needs_a_note_and_a_known_status(asked, jatim_registry):
    client = logged_in(jatim_registry)
    url = f"/province/jatim/inquiries/{asked['tas'].pk}/"
    response = client.post(url, {"reply_note": "  ", "status": "answered"})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    response = client.post(url, {"reply_note": "x", "status": "deleted"})
    assert "Select a valid choice." in text(response)
    # Closing needs no note.
    assert client.post(url, {"reply_note": "", "status": "closed"}).status_code == 302
    with scopes_disabled():
        assert Inquiry.objects.get(pk=asked["tas"].pk).status == "closed"
        assert AuditEvent.objects.filter(action="catalog.inquiry.answered").count() == 1


def test_another_province_sees_nothing(asked, kalsel_registry, kalsel_admin):
    for user in (kalsel_registry, kalsel_admin):
        client = logged_in(user)
        assert client.get("/province/jatim/inquiries/").status_code == 404
        jatim_id = asked["tas"].pk
        assert client.get(f"/province/kalsel/inquiries/{jatim_id}/").status_code == 404
        response = client.post(
            f"/province/kalsel/inquiries/{jatim_id}/", {"reply_note": "x", "status": "answered"}
        )
        assert response.status_code == 404
        assert (
            client.post(
                f"/province/kalsel/inquiries/{jatim_id}/status/", {"status": "closed"}
            ).status_code
            == 404
        )
        # Their own inbox has their own inquiry only.
        response = client.get("/province/kalsel/inquiries/")
        assert listed_names(response) == ["Keripik Pisang Kepok"]
    with scopes_disabled():
        assert Inquiry.objects.get(pk=asked["tas"].pk).status == "new"


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.VIEWER, Role.MISSION_MANAGER, Role.PRIVACY_OFFICER]
)
def test_roles_without_an_inbox_are_refused(asked, jatim, role):
    user = make_user(f"jatim-{role}", province=jatim, roles=[role])
    client = logged_in(user)
    assert client.get("/province/jatim/inquiries/").status_code == 404
    url = f"/province/jatim/inquiries/{asked['tas'].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reply_note": "x", "status": "answered"}).status_code == 404
    with scopes_disabled():
        assert Inquiry.objects.get(pk=asked["tas"].pk).status == "new"


def test_a_national_viewer_has_no_inbox(asked, national_viewer):
    client = logged_in(national_viewer)
    assert client.get("/province/jatim/inquiries/").status_code == 404


def test_curators_and_admins_answer_too(asked, jatim_curator, jatim_admin):
    for user in (jatim_curator, jatim_admin):
        assert logged_in(user).get("/province/jatim/inquiries/").status_code == 200


def test_a_pesantren_account_sees_and_answers_only_its_own(asked, ulum_account):
    client = logged_in(ulum_account)
    response = client.get("/province/jatim/inquiries/")
    assert response.status_code == 200
    assert listed_names(response) == ["Sabun Sereh Wangi", "Tas Rotan Jinjing"]
    assert "All (2) New (2)" in text(response)
    assert client.get(f"/province/jatim/inquiries/{asked['madu'].pk}/").status_code == 404
    response = client.post(
        f"/province/jatim/inquiries/{asked['madu'].pk}/", {"reply_note": "x", "status": "answered"}
    )
    assert response.status_code == 404
    url = f"/province/jatim/inquiries/{asked['sabun'].pk}/"
    assert (
        client.post(
            url, {"reply_note": "Sudah kami kirim katalog harga.", "status": "answered"}
        ).status_code
        == 302
    )
    with scopes_disabled():
        assert Inquiry.objects.get(pk=asked["sabun"].pk).answered_by == ulum_account
        assert Inquiry.objects.get(pk=asked["madu"].pk).status == "new"


def test_the_domain_refuses_an_answerer_outside_the_inbox(asked, ulum_account, jatim_desk):
    for user in (ulum_account, jatim_desk):
        with pytest.raises(PermissionDenied):
            domain.inquiry_answer(actor=user, inquiry=asked["madu"], reply_note="x")
    with pytest.raises(ValidationError) as raised:
        domain.inquiry_set_status(actor=jatim_desk, inquiry=asked["madu"], status="gone")
    assert list(raised.value.message_dict) == ["status"]


def test_the_inbox_costs_the_same_queries_with_more_inquiries(catalogue, jatim_registry):
    client = logged_in(jatim_registry)

    def add(count):
        for n in range(count):
            ask(catalogue["tas" if n % 2 else "madu"], f"Pembeli {n}")

    def cost(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    add(4)
    few = [cost("/province/jatim/inquiries/"), cost("/province/jatim/inquiries/?status=new")]
    add(12)
    many = [cost("/province/jatim/inquiries/"), cost("/province/jatim/inquiries/?status=new")]
    assert few == many


def test_inquiries_are_stored_in_their_products_province(asked, kalsel):
    with scope(province=kalsel):
        assert [i.name for i in Inquiry.objects.all()] == ["Hj. Siti Banjar"]
