"""The audit log: masking of personal data, recording, and the province admins' page."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope
from hypothesis import given
from hypothesis import strategies as st

from niaga.audit.domain import record
from niaga.audit.masking import mask, mask_nik, mask_phone
from niaga.audit.models import AuditEvent

NIK = "3578014107900001"


def test_masking_of_personal_fields():
    data = {
        "name": "Siti Aminah",
        "nik": NIK,
        "phone": "081234567890",
        "email": "siti.aminah@example.com",
        "birth_date": "1990-07-01",
        "password": "rahasia-sekali",
        "guardian": {"guardian_nik": "3578015007900002", "contact_phone": "+6281234567890"},
        "people": [{"nik": NIK}],
        "notes": None,
    }
    assert mask(data) == {
        "name": "Siti Aminah",
        "nik": "3578********0001",
        "phone": "0812*****890",
        "email": "s***@example.com",
        "birth_date": "****-**-**",
        "password": "[hidden]",
        "guardian": {"guardian_nik": "3578********0002", "contact_phone": "+6281******890"},
        "people": [{"nik": "3578********0001"}],
        "notes": None,
    }


@given(st.from_regex(r"\d{16}", fullmatch=True))
def test_a_masked_nik_never_shows_birth_date_or_more_than_eight_digits(nik):
    masked = mask_nik(nik)
    assert masked[:4] == nik[:4] and masked[-4:] == nik[-4:]
    assert masked[4:12] == "********"
    assert sum(ch.isdigit() for ch in masked) == 8


@given(st.from_regex(r"(\+62|0)8\d{8,11}", fullmatch=True))
def test_a_masked_phone_keeps_only_its_ends(phone):
    masked = mask_phone(phone)
    digits = "".join(ch for ch in phone if ch.isdigit())
    assert masked.count("*") == len(digits) - 7


@pytest.mark.django_db(transaction=True)
def test_record_writes_masked_data_only(jatim, jatim_admin):
    record(
        actor=jatim_admin,
        action="registry.person.created",
        province=jatim,
        obj=jatim_admin,
        before=None,
        after={"nik": NIK, "phone": "081234567890"},
    )
    with scope(province=jatim):
        event = AuditEvent.objects.get()
    assert event.after == {"nik": "3578********0001", "phone": "0812*****890"}
    assert event.actor_label == "jatim-admin"
    assert event.object_type == "accounts.user"
    # The NIK appears nowhere in the stored rows.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        rows = repr(cursor.fetchall())
    assert NIK not in rows and "081234567890" not in rows


def test_action_names_are_dotted(db, jatim):
    with pytest.raises(ValueError, match="dotted"):
        record(actor=None, action="created", province=jatim)


@pytest.fixture
def logged_events(jatim, kalsel, jatim_admin, jatim_desk, kalsel_admin):
    def at(day, hour):
        # WIB is UTC+7: 00.30 WIB on the 2nd is still the 1st in UTC.
        return dt.datetime(2026, 11, day, hour, 30, tzinfo=dt.UTC)

    rows = [
        (jatim_admin, "accounts.user.created", at(1, 3)),
        (jatim_admin, "accounts.role.granted", at(1, 17)),  # 2 Nov 00.30 WIB
        (jatim_desk, "accounts.user.language_set", at(3, 3)),
        (kalsel_admin, "accounts.user.created", at(1, 3)),
    ]
    for actor, action, moment in rows:
        province = kalsel if actor == kalsel_admin else jatim
        event = record(actor=actor, action=action, province=province, obj=actor)
        AuditEvent.objects.with_scopes_disabled().filter(pk=event.pk).update(at=moment)


def _audit_page(client, **params):
    return client.get(reverse("province:audit_log", kwargs={"province": "jatim"}), params)


@pytest.mark.django_db
def test_audit_page_filters(client, logged_events, jatim_admin):
    client.force_login(jatim_admin)

    def actions(**params):
        return [e.action for e in _audit_page(client, **params).context["page"]]

    assert actions() == [
        "accounts.user.language_set",
        "accounts.role.granted",
        "accounts.user.created",
    ]
    assert actions(action="accounts.role") == ["accounts.role.granted"]
    assert actions(actor=jatim_admin.pk) == ["accounts.role.granted", "accounts.user.created"]
    # Days are the province's days (WIB): the 17.30 UTC event belongs to 2 November.
    assert actions(date_from="2026-11-02", date_to="2026-11-02") == ["accounts.role.granted"]
    assert actions(date_from="2026-11-01", date_to="2026-11-01") == ["accounts.user.created"]
    bad = _audit_page(client, date_from="2026-11-05", date_to="2026-11-01")
    assert "date_to" in bad.context["form"].errors


@pytest.mark.django_db
def test_audit_page_query_count_does_not_grow(client, jatim, jatim_admin):
    client.force_login(jatim_admin)

    def count_queries():
        cache.clear()  # the same cache state for both counts (sessions live there too)
        with CaptureQueriesContext(connection) as queries:
            assert _audit_page(client).status_code == 200
        return len(queries)

    for _ in range(3):
        record(actor=jatim_admin, action="accounts.user.created", province=jatim, obj=jatim_admin)
    few = count_queries()
    for _ in range(40):
        record(actor=jatim_admin, action="accounts.role.granted", province=jatim, obj=jatim_admin)
    assert count_queries() == few
