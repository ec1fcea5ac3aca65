"""Writes of support records: grants (validation, permissions, reversal), assistance
(record, correct, delete), and what a failed write leaves behind (nothing).

Messages are checked in English: the Indonesian catalogue arrives with the lead's merge.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.programs import support_queries as queries
from niaga.programs.domain import support as domain
from niaga.programs.models import Assistance, Grant, SupportEvidence
from tests.conftest import make_user
from tests.programs import support_world
from tests.programs.factories import make_program
from tests.programs.support_world import (
    make_assistance,
    make_evidence,
    make_grant,
    pdf_upload,
    png_upload,
    stored_files,
)

# Fixtures of the shared support world.
world = support_world.world
media = support_world.media

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def grant_kwargs(world, **changes):
    data = {
        "program": world.program,
        "pesantren": world.tebuireng,
        "amount_idr": 25_000_000,
        "granted_on": D(2024, 3, 4),
        "purpose": "Modal usaha kopontren",
        "source": "apbd",
    }
    data.update(changes)
    return data


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def counts():
    with scopes_disabled():
        return (
            Grant.objects.count(),
            Assistance.objects.count(),
            SupportEvidence.objects.count(),
            AuditEvent.objects.filter(action__startswith="programs.").count(),
        )


# --- Recording a grant ---------------------------------------------------------------


def test_a_grant_is_recorded_with_its_evidence_and_audited(world, jatim_program_officer, media):
    grant = domain.grant_record(
        actor=jatim_program_officer,
        **grant_kwargs(
            world,
            cooperative=world.cooperative,
            amount_idr="Rp 25.000.000",
            source_detail="  DPA Dinas KUKM   2024 ",
            evidence_files=[pdf_upload("SK Hibah.pdf"), png_upload("serah terima.png")],
        ),
    )
    with scopes_disabled():
        grant.refresh_from_db()
        assert (grant.amount_idr, grant.granted_on, grant.cooperative_id, grant.pesantren_id) == (
            25_000_000,
            D(2024, 3, 4),
            world.cooperative.pk,
            world.tebuireng.pk,
        )
        assert (grant.source, grant.source_detail, grant.recorded_by) == (
            "apbd",
            "DPA Dinas KUKM 2024",
            jatim_program_officer,
        )
        files = list(SupportEvidence.objects.filter(grant=grant).order_by("id"))
        event = AuditEvent.objects.get(action="programs.grant.record")
    assert [(f.original_name, f.content_type) for f in files] == [
        ("SK Hibah.pdf", "application/pdf"),
        ("serah terima.png", "image/png"),
    ]
    assert all(f.file.name.startswith("private/support/") for f in files)
    assert all("Hibah" not in f.file.name for f in files)  # a random name, not the officer's
    assert stored_files(media) == sorted(f.file.name for f in files)
    assert event.province_id == world.jatim.pk and event.object_id == str(grant.pk)
    assert event.after["amount_idr"] == 25_000_000
    assert event.after["cooperative"] == world.cooperative.pk
    assert [e["name"] for e in event.after["evidence"]] == ["SK Hibah.pdf", "serah terima.png"]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount_idr": 0}, "amount_idr", "min_value"),
        ({"amount_idr": -5_000}, "amount_idr", "min_value"),
        ({"amount_idr": "25 jt"}, "amount_idr", "ambiguous_abbreviation"),
        ({"amount_idr": "25.000,50"}, "amount_idr", "decimal_not_allowed"),
        ({"amount_idr": 10**12 + 1}, "amount_idr", "max_value"),
        ({"amount_idr": 2.5}, "amount_idr", "invalid"),
        ({"amount_idr": ""}, "amount_idr", "required"),
        ({"granted_on": D(1999, 12, 31)}, "granted_on", "date_too_early"),
        ({"granted_on": "4 Maret 2024"}, "granted_on", "invalid"),
        ({"granted_on": None}, "granted_on", "required"),
        ({"purpose": "   "}, "purpose", "required"),
        ({"purpose": "x" * 301}, "purpose", "max_length"),
        ({"source": "hutang"}, "source", "invalid_choice"),
        ({"source": "other"}, "source_detail", "required"),
        ({"pesantren": None}, "pesantren", "required"),
    ],
)
def test_a_bad_grant_names_the_field_and_rule_and_saves_nothing(
    world, jatim_program_officer, media, changes, field, code
):
    before = counts()
    with pytest.raises(ValidationError) as raised:
        domain.grant_record(
            actor=jatim_program_officer,
            **grant_kwargs(world, evidence_files=[pdf_upload()], **changes),
        )
    assert codes(raised.value) == {field: [code]}
    assert counts() == before
    assert stored_files(media) == []


def test_the_date_may_be_today_where_the_province_is_but_not_tomorrow(world, jatim_program_officer):
    today = timezone.localdate(timezone=world.jatim.zone)
    with pytest.raises(ValidationError) as raised:
        domain.grant_record(
            actor=jatim_program_officer,
            **grant_kwargs(world, granted_on=today + datetime.timedelta(days=1)),
        )
    assert codes(raised.value) == {"granted_on": ["date_future"]}
    assert raised.value.message_dict["granted_on"] == ["The date cannot be in the future."]
    grant = domain.grant_record(
        actor=jatim_program_officer, **grant_kwargs(world, granted_on=today)
    )
    assert grant.granted_on == today


def test_every_bad_field_is_named_at_once(world, jatim_program_officer):
    with pytest.raises(ValidationError) as raised:
        domain.grant_record(
            actor=jatim_program_officer,
            program=world.program,
            pesantren=world.kalsel_pesantren,
            cooperative=world.cooperative,
            amount_idr=0,
            granted_on=D(1990, 1, 1),
            purpose="",
            source="other",
        )
    assert codes(raised.value) == {
        "pesantren": ["pesantren_province"],
        "amount_idr": ["min_value"],
        "granted_on": ["date_too_early"],
        "purpose": ["required"],
        "source_detail": ["required"],
        "cooperative": ["cooperative_not_own"],
    }
    assert raised.value.message_dict["pesantren"] == ["Choose a pesantren of Jawa Timur."]
    assert raised.value.message_dict["amount_idr"] == [
        "A grant is a positive amount; a mistake is corrected by reversing the grant."
    ]


def test_another_provinces_pesantren_cannot_receive_a_grant(world, jatim_program_officer):
    for pesantren in (world.kalsel_pesantren, world.kalsel_pesantren.pk, 999_999, "x"):
        with pytest.raises(ValidationError) as raised:
            domain.grant_record(
                actor=jatim_program_officer, **grant_kwargs(world, pesantren=pesantren)
            )
        assert codes(raised.value) == {"pesantren": ["pesantren_province"]}
    with scopes_disabled():
        assert Grant.objects.filter(program=world.program).count() == 0


def test_the_cooperative_must_be_the_pesantrens_own(world, jatim_program_officer):
    with pytest.raises(ValidationError) as raised:
        domain.grant_record(
            actor=jatim_program_officer,
            **grant_kwargs(world, pesantren=world.ampel, cooperative=world.cooperative),
        )
    assert codes(raised.value) == {"cooperative": ["cooperative_not_own"]}
    assert raised.value.message_dict["cooperative"] == [
        "The cooperative must be the chosen pesantren's own."
    ]


def test_who_may_record_support(world, jatim, kalsel, jatim_program_officer, jatim_admin):
    viewer = make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])
    registry = make_user("jatim-reg", province=jatim, roles=[Role.REGISTRY_OFFICER])
    kalsel_officer = make_user("kalsel-po", province=kalsel, roles=[Role.PROGRAM_OFFICER])
    nasional = make_user("nasional-uji", is_national_viewer=True)
    before = counts()
    for outsider in (viewer, registry, kalsel_officer, nasional):
        with pytest.raises(PermissionDenied):
            domain.grant_record(actor=outsider, **grant_kwargs(world))
        with pytest.raises(PermissionDenied):
            domain.assistance_record(
                actor=outsider,
                program=world.program,
                pesantren=world.ampel,
                aspect="marketing",
                given_on=D(2024, 5, 1),
                description="Pameran OPOP Expo",
            )
    assert counts() == before
    for insider in (jatim_program_officer, jatim_admin):
        domain.grant_record(actor=insider, **grant_kwargs(world))
    with scopes_disabled():
        assert Grant.objects.filter(program=world.program).count() == 2


# --- Reversal ------------------------------------------------------------------------------


def test_a_reversal_nets_the_totals_to_the_rupiah(world, jatim_program_officer):
    wrong = domain.grant_record(
        actor=jatim_program_officer, **grant_kwargs(world, amount_idr=250_000_000)
    )
    right = domain.grant_record(
        actor=jatim_program_officer, **grant_kwargs(world, amount_idr=25_000_000)
    )
    domain.grant_record(
        actor=jatim_program_officer,
        **grant_kwargs(world, pesantren=world.ampel, amount_idr=7_500_000),
    )
    reversal = domain.grant_reverse(
        actor=jatim_program_officer, grant=wrong, reason="  Nol kelebihan satu  "
    )
    with scopes_disabled():
        reversal.refresh_from_db()
    assert (reversal.amount_idr, reversal.reverses_id, reversal.reason) == (
        -250_000_000,
        wrong.pk,
        "Nol kelebihan satu",
    )
    assert (reversal.pesantren_id, reversal.granted_on, reversal.program_id) == (
        wrong.pesantren_id,
        wrong.granted_on,
        wrong.program_id,
    )
    assert queries.grant_total(world.program) == queries.GrantTotal(32_500_000, 2)
    assert queries.grant_totals_by_pesantren(world.program) == {
        world.tebuireng.pk: queries.GrantTotal(25_000_000, 1),
        world.ampel.pk: queries.GrantTotal(7_500_000, 1),
    }
    assert queries.grant_totals_by_year(world.program) == {2024: queries.GrantTotal(32_500_000, 2)}
    with scopes_disabled():
        event = AuditEvent.objects.get(action="programs.grant.reverse")
        assert Grant.objects.filter(pk=right.pk).exists()
    assert event.object_id == str(reversal.pk)
    assert event.after == {
        "reverses": wrong.pk,
        "amount_idr": -250_000_000,
        "reason": "Nol kelebihan satu",
    }


def test_a_grant_is_reversed_once_and_a_reversal_never(world, jatim_program_officer):
    grant = domain.grant_record(actor=jatim_program_officer, **grant_kwargs(world))
    reversal = domain.grant_reverse(actor=jatim_program_officer, grant=grant, reason="Ganda")
    before = counts()
    with pytest.raises(ValidationError) as twice:
        domain.grant_reverse(actor=jatim_program_officer, grant=grant, reason="Lagi")
    assert [e.code for e in twice.value.error_list] == ["already_reversed"]
    assert twice.value.messages == [
        "This grant has already been reversed; a grant is reversed only once."
    ]
    with pytest.raises(ValidationError) as back:
        domain.grant_reverse(actor=jatim_program_officer, grant=reversal, reason="Batal koreksi")
    assert [e.code for e in back.value.error_list] == ["reversal_not_reversible"]
    assert counts() == before
    assert queries.grant_total(world.program) == queries.GrantTotal(0, 0)


@pytest.mark.parametrize(
    ("reason", "code"), [("", "required"), ("  ", "required"), ("x" * 301, "max_length")]
)
def test_a_reversal_needs_a_reason(world, jatim_program_officer, reason, code):
    grant = domain.grant_record(actor=jatim_program_officer, **grant_kwargs(world))
    before = counts()
    with pytest.raises(ValidationError) as raised:
        domain.grant_reverse(actor=jatim_program_officer, grant=grant, reason=reason)
    assert codes(raised.value) == {"reason": [code]}
    assert counts() == before


def test_only_support_officers_reverse(world, jatim, jatim_program_officer):
    grant = domain.grant_record(actor=jatim_program_officer, **grant_kwargs(world))
    viewer = make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER])
    with pytest.raises(PermissionDenied):
        domain.grant_reverse(actor=viewer, grant=grant, reason="Salah")
    assert queries.grant_total(world.program) == queries.GrantTotal(25_000_000, 1)


# --- Assistance -------------------------------------------------------------------------------


def test_assistance_is_recorded_in_one_of_the_programs_aspects(world, jatim, jatim_program_officer):
    assistance = domain.assistance_record(
        actor=jatim_program_officer,
        program=world.program,
        pesantren=world.tebuireng,
        cooperative=world.cooperative.pk,
        aspect="product",
        given_on="2024-06-12",
        description="Pendampingan sertifikasi halal",
        evidence_files=[png_upload()],
    )
    with scopes_disabled():
        assistance.refresh_from_db()
        event = AuditEvent.objects.get(action="programs.assistance.record")
        assert SupportEvidence.objects.filter(assistance=assistance).count() == 1
    assert (assistance.aspect, assistance.given_on, assistance.cooperative_id) == (
        "product",
        D(2024, 6, 12),
        world.cooperative.pk,
    )
    assert event.after["description"] == "Pendampingan sertifikasi halal"

    with scopes_disabled():
        narrow = make_program(jatim, aspects=["institution", "marketing"])
    for aspect, code in (("product", "aspect_not_in_program"), ("training", "invalid_choice")):
        with pytest.raises(ValidationError) as raised:
            domain.assistance_record(
                actor=jatim_program_officer,
                program=narrow,
                pesantren=world.tebuireng,
                aspect=aspect,
                given_on=D(2024, 6, 12),
                description="Pelatihan",
            )
        assert codes(raised.value) == {"aspect": [code]}
    with pytest.raises(ValidationError) as raised:
        domain.assistance_record(
            actor=jatim_program_officer,
            program=world.program,
            pesantren=world.kalsel_pesantren,
            aspect="marketing",
            given_on=D(2024, 6, 12),
            description="",
        )
    assert codes(raised.value) == {
        "pesantren": ["pesantren_province"],
        "description": ["required"],
    }


def test_assistance_is_corrected_with_a_conflict_check(world, jatim_program_officer):
    with scopes_disabled():
        assistance = make_assistance(
            world.program, world.tebuireng, "marketing", D(2024, 2, 1), description="Expo"
        )
    read = domain.assistance_fingerprint(assistance)
    changed = domain.assistance_update(
        actor=jatim_program_officer,
        assistance=assistance,
        fingerprint=read,
        aspect="product",
        description="Kurasi produk",
    )
    assert (changed.aspect, changed.description) == ("product", "Kurasi produk")
    with scopes_disabled():
        event = AuditEvent.objects.get(action="programs.assistance.update")
    assert event.before == {"aspect": "marketing", "description": "Expo"}
    assert event.after == {"aspect": "product", "description": "Kurasi produk"}
    # A second editor who read the old values is stopped, and nothing changes.
    with pytest.raises(ValidationError) as raised:
        domain.assistance_update(
            actor=jatim_program_officer, assistance=assistance, fingerprint=read, description="X"
        )
    assert [e.code for e in raised.value.error_list] == ["conflict"]
    with scopes_disabled():
        assistance.refresh_from_db()
    assert assistance.description == "Kurasi produk"
    with pytest.raises(ValidationError) as raised:
        domain.assistance_update(
            actor=jatim_program_officer,
            assistance=assistance,
            given_on=D(2199, 1, 1),
            cooperative=world.cooperative,
            pesantren=world.ampel,
        )
    assert codes(raised.value) == {
        "given_on": ["date_future"],
        "cooperative": ["cooperative_not_own"],
    }


def test_deleting_assistance_removes_its_files_once_committed(
    world, jatim_program_officer, media, django_capture_on_commit_callbacks
):
    assistance = domain.assistance_record(
        actor=jatim_program_officer,
        program=world.program,
        pesantren=world.ampel,
        aspect="marketing",
        given_on=D(2024, 2, 1),
        description="OPOP Expo",
        evidence_files=[pdf_upload(), png_upload()],
    )
    assert len(stored_files(media)) == 2
    with pytest.raises(ValidationError):
        domain.assistance_delete(actor=jatim_program_officer, assistance=assistance, reason="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        domain.assistance_delete(
            actor=jatim_program_officer, assistance=assistance, reason="Salah pesantren"
        )
    assert len(callbacks) == 1
    assert stored_files(media) == []
    with scopes_disabled():
        assert not Assistance.objects.filter(pk=assistance.pk).exists()
        assert SupportEvidence.objects.count() == 0
        event = AuditEvent.objects.get(action="programs.assistance.delete")
    assert event.before["description"] == "OPOP Expo"
    assert event.after == {"reason": "Salah pesantren"}


# --- A failed write leaves nothing ------------------------------------------------------------


def test_a_write_that_fails_after_saving_files_leaves_no_file(
    world, jatim_program_officer, media, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(domain.audit, "record", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        domain.grant_record(
            actor=jatim_program_officer,
            **grant_kwargs(world, evidence_files=[pdf_upload(), png_upload()]),
        )
    with pytest.raises(RuntimeError):
        domain.assistance_record(
            actor=jatim_program_officer,
            program=world.program,
            pesantren=world.ampel,
            aspect="marketing",
            given_on=D(2024, 2, 1),
            description="Expo",
            evidence_files=[pdf_upload()],
        )
    assert counts() == before
    assert stored_files(media) == []


def test_evidence_is_added_to_a_record_up_to_the_limit(world, jatim_program_officer, media):
    with scopes_disabled():
        grant = make_grant(world.program, world.tebuireng, 10_000_000, D(2024, 1, 8))
        for _ in range(19):
            make_evidence(grant)
    row = domain.evidence_add(
        actor=jatim_program_officer, record=grant, file=png_upload("foto.png")
    )
    assert (row.grant_id, row.original_name, row.content_type) == (
        grant.pk,
        "foto.png",
        "image/png",
    )
    with pytest.raises(ValidationError) as raised:
        domain.evidence_add(actor=jatim_program_officer, record=grant, file=pdf_upload())
    assert codes(raised.value) == {"evidence_files": ["evidence_count"]}
    with scopes_disabled():
        assert SupportEvidence.objects.filter(grant=grant).count() == 20
        event = AuditEvent.objects.get(action="programs.evidence.add")
    assert event.after["record"] == f"grant#{grant.pk}"
    assert event.after["name"] == "foto.png"
