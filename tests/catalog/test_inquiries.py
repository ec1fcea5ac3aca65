"""A buyer's inquiry from the product page: saved, audited, mailed, and protected against spam."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_scopes import scopes_disabled

from niaga.audit.models import AuditEvent
from niaga.catalog.models import Inquiry
from tests.catalog.test_pages import text

pytestmark = pytest.mark.django_db


def visitor(address: str = "203.0.113.7") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form(**changes) -> dict:
    data = {
        "name": "Budi Santoso",
        "organisation": "Toko Oleh-Oleh Surya",
        "phone": "0812-3456-7890",
        "email": "",
        "quantity": "200",
        "message": "Apakah bisa kirim 200 pak ke Banjarmasin setiap bulan?",
        "website": "",
    }
    data.update(changes)
    return data


def inquiries() -> list[Inquiry]:
    with scopes_disabled():
        return list(Inquiry.objects.order_by("pk"))


def test_a_visitor_sends_an_inquiry(catalogue, django_capture_on_commit_callbacks):
    product = catalogue["tas"]  # Darul Ulum's, which has an e-mail address
    client = visitor()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/katalog/produk/{product.pk}/", form(email="Budi@Contoh.ID"), follow=True
        )
    assert response.redirect_chain == [(f"/katalog/produk/{product.pk}/#inquiry", 302)]
    assert "Thank you. Your inquiry has been sent" in text(response)
    (saved,) = inquiries()
    assert (
        saved.province_id,
        saved.product_id,
        saved.name,
        saved.organisation,
        saved.phone,
        saved.email,
        saved.quantity,
        saved.status,
        saved.language,
    ) == (
        "35",
        product.pk,
        "Budi Santoso",
        "Toko Oleh-Oleh Surya",
        "+6281234567890",
        "budi@contoh.id",
        200,
        "new",
        "en",
    )
    assert saved.message == "Apakah bisa kirim 200 pak ke Banjarmasin setiap bulan?"
    # Audited by the system, the buyer's contact masked.
    with scopes_disabled():
        event = AuditEvent.objects.get(action="catalog.inquiry.sent")
    assert (event.actor_id, event.actor_label, event.province_id, event.object_id) == (
        None,
        "system",
        "35",
        str(saved.pk),
    )
    assert event.after == {
        "product": product.pk,
        "status": "new",
        "quantity": 200,
        "phone": "+6281******890",  # 13 digits: 4 shown, 6 hidden, 3 shown
        "email": "b***@contoh.id",
        "language": "en",
    }
    # The pesantren hears of it by e-mail (Indonesian, the default language).
    (message,) = mail.outbox
    assert message.to == ["ulum@contoh.id"]
    assert "Tas Rotan Jinjing" in message.subject
    assert "Budi Santoso" in message.body and "0812-3456-7890" in message.body
    assert "http://testserver/province/jatim/inquiries/" in message.body


def test_no_mail_when_the_pesantren_has_no_address(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor().post(f"/katalog/produk/{catalogue['keripik'].pk}/", form())
    assert response.status_code == 302
    assert len(inquiries()) == 1 and mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        (
            {"phone": "", "email": ""},
            "Give a phone number or an e-mail address, so the seller can answer.",
        ),
        ({"phone": "12345"}, "A phone number is an Indonesian mobile or landline number"),
        ({"phone": "", "email": "budi@"}, "Enter an e-mail address such as nama@contoh.id."),
        ({"quantity": "dua ratus"}, "Enter a whole number."),
        ({"quantity": "0"}, "Enter a whole number from 1 to 10.000.000."),
        ({"name": "  "}, "This field is required."),
        ({"message": ""}, "This field is required."),
    ],
)
def test_bad_inquiries_name_the_field_and_save_nothing(catalogue, changes, field_error):
    response = visitor().post(f"/katalog/produk/{catalogue['tas'].pk}/", form(**changes))
    assert response.status_code == 400
    assert field_error in text(response)
    assert inquiries() == [] and mail.outbox == []
    with scopes_disabled():
        assert not AuditEvent.objects.filter(action="catalog.inquiry.sent").exists()


def test_the_honeypot_pretends_success_and_saves_nothing(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor().post(
            f"/katalog/produk/{catalogue['tas'].pk}/",
            form(website="http://spam.example/"),
            follow=True,
        )
    assert response.redirect_chain == [(f"/katalog/produk/{catalogue['tas'].pk}/#inquiry", 302)]
    assert "Thank you. Your inquiry has been sent" in text(response)
    assert inquiries() == [] and mail.outbox == []


def test_no_inquiry_about_a_product_outside_the_catalogue(catalogue):
    response = visitor().post(f"/katalog/produk/{catalogue['draft'].pk}/", form())
    assert response.status_code == 404
    assert inquiries() == []


def test_the_sixth_inquiry_in_an_hour_from_one_address_is_refused(catalogue):
    client = visitor("198.51.100.20")
    url = f"/katalog/produk/{catalogue['tas'].pk}/"
    for n in range(5):
        assert client.post(url, form(message=f"Pertanyaan {n}")).status_code == 302
    response = client.post(url, form(message="Pertanyaan 6"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = text(response)
    assert "One connection may send at most 5 inquiries an hour." in page
    assert "Your inquiry was not sent." in page
    assert [i.message for i in inquiries()] == [f"Pertanyaan {n}" for n in range(5)]
    # Another address is not held back.
    assert visitor("198.51.100.21").post(url, form(message="Dari alamat lain")).status_code == 302
    assert len(inquiries()) == 6
    # The limited address stays refused, whatever it sends.
    assert client.post(url, form(message="Lagi")).status_code == 429
    assert client.post(url, form(website="spam")).status_code == 429
    assert len(inquiries()) == 6


def test_twenty_a_day(catalogue):
    from django.core.cache import cache

    from niaga.catalog import throttle

    client = visitor("198.51.100.30")
    url = f"/katalog/produk/{catalogue['tas'].pk}/"
    hour_key = throttle._key(throttle.LIMITS[0], "198.51.100.30")
    for n in range(20):
        if n and n % 5 == 0:
            cache.delete(hour_key)  # an hour has passed
        assert client.post(url, form(message=f"Pertanyaan {n}")).status_code == 302
    cache.delete(hour_key)
    response = client.post(url, form(message="Pertanyaan 21"))
    assert response.status_code == 429
    assert response["Retry-After"] == "86400"
    assert "One connection may send at most 20 inquiries a day." in text(response)
    assert len(inquiries()) == 20


def test_honeypot_posts_count_against_the_limit(catalogue):
    client = visitor("198.51.100.40")
    url = f"/katalog/produk/{catalogue['tas'].pk}/"
    for _n in range(5):
        assert client.post(url, form(website="x")).status_code == 302
    assert client.post(url, form()).status_code == 429
    assert inquiries() == []


def test_the_address_behind_our_proxy_is_the_last_forwarded_one(catalogue, monkeypatch):
    import dataclasses

    monkeypatch.setattr(settings, "CONFIG", dataclasses.replace(settings.CONFIG, behind_proxy=True))
    url = f"/katalog/produk/{catalogue['tas'].pk}/"
    client = visitor("10.0.0.2")  # the proxy
    for n in range(5):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"1.2.3.4, 203.0.113.{n}"}
        assert client.post(url, form(), **forwarded).status_code == 302
    # Five different buyers behind one proxy; a sixth buyer is not refused.
    assert client.post(url, form(), HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 302
    for _n in range(4):
        client.post(url, form(), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert client.post(url, form(), HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
