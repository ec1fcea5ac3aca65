"""Curation as a state machine: every move, who may make it, and what it leaves behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from niaga.accounts.models import Role
from niaga.audit.models import AuditEvent
from niaga.registry import curation
from niaga.registry.domain import products as domain
from niaga.registry.models import CurationEvent, CurationStatus, Product
from tests.conftest import make_user
from tests.registry.factories import make_product
from tests.registry.test_products_world import build_world, pesantren_account

pytestmark = pytest.mark.django_db

# move: (from, to)
MOVES = {
    "submit": ("draft", "submitted"),
    "start_review": ("submitted", "in_review"),
    "curate": ("in_review", "curated"),
    "return": ("in_review", "returned"),
    "resubmit": ("returned", "submitted"),
    "recurate": ("curated", "curated"),
    "withdraw": ("curated", "returned"),
}
SUBMITTERS = {"registry", "admin", "own_account"}
CURATORS = {"curator", "admin"}
WHO = {
    "submit": SUBMITTERS,
    "start_review": CURATORS,
    "curate": CURATORS,
    "return": CURATORS,
    "resubmit": SUBMITTERS,
    "recurate": CURATORS,
    "withdraw": CURATORS,
}
ACTORS = [
    "registry",
    "curator",
    "admin",
    "viewer",
    "desk",
    "privacy",
    "own_account",
    "other_account",
    "kalsel_admin",
    "national",
]


@pytest.fixture
def world(jatim, kalsel):
    return build_world(jatim, kalsel)


@pytest.fixture
def actors(world, jatim, kalsel, jatim_admin, jatim_registry, jatim_curator, jatim_privacy):
    return {
        "registry": jatim_registry,
        "curator": jatim_curator,
        "admin": jatim_admin,
        "viewer": make_user("jatim-viewer", province=jatim, roles=[Role.VIEWER]),
        "desk": make_user("jatim-desk", province=jatim, roles=[Role.DESK_OFFICER]),
        "privacy": jatim_privacy,
        "own_account": pesantren_account("akun-hikmah", world.hikmah),
        "other_account": pesantren_account("akun-ulum", world.ulum),
        "kalsel_admin": make_user("kalsel-admin", province=kalsel, roles=[Role.PROVINCE_ADMIN]),
        "national": make_user("nasional", is_national_viewer=True),
    }


def product_in(world, status: str) -> Product:
    with scopes_disabled():
        return make_product(world.hikmah_coop, name="Keripik Tempe Al-Hikmah", status=status)


def arguments(move: str) -> dict:
    if move == "curate":
        return {"level": "modern_retail"}
    if move == "recurate":
        return {"level": "export"}  # the product starts curated at "local"
    if move in ("return", "withdraw"):
        return {"notes": "Label komposisi belum ada."}
    return {}


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("move", list(MOVES))
def test_who_may_make_each_move(world, actors, move, actor_name):
    source, target = MOVES[move]
    product = product_in(world, source)
    actor = actors[actor_name]
    if actor_name in WHO[move]:
        event = domain.product_move(actor=actor, product=product, move=move, **arguments(move))
        with scope(province=world.jatim):
            stored = Product.objects.get(pk=product.pk)
            assert (event.from_status, event.to_status, event.actor) == (source, target, actor)
            assert stored.status == target
            assert stored.version == 2
            audit = AuditEvent.objects.get(action=f"registry.product.{move}")
            assert audit.actor == actor and audit.object_id == str(product.pk)
            assert audit.after["status"] == target and audit.before["status"] == source
    else:
        with pytest.raises(PermissionDenied):
            domain.product_move(actor=actor, product=product, move=move, **arguments(move))
        with scope(province=world.jatim):
            stored = Product.objects.get(pk=product.pk)
            assert (stored.status, stored.version) == (source, 1)
            assert not CurationEvent.objects.exists()
            assert not AuditEvent.objects.filter(action__startswith="registry.product.").exists()


@pytest.mark.parametrize("move", list(MOVES))
def test_moves_from_any_other_status_are_refused(world, jatim_admin, move):
    source, _target = MOVES[move]
    for status in CurationStatus.values:
        if status == source:
            continue
        with scopes_disabled():
            Product.objects.all().delete()
        product = product_in(world, status)
        with pytest.raises(ValidationError) as raised:
            domain.product_move(actor=jatim_admin, product=product, move=move, **arguments(move))
        assert raised.value.error_dict["move"][0].code == "illegal_move"
        with scope(province=world.jatim):
            assert Product.objects.get(pk=product.pk).status == status
            assert not CurationEvent.objects.exists()


def test_an_illegal_move_says_why(world, jatim_curator):
    product = product_in(world, "draft")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.product_curate(actor=jatim_curator, product=product, level="export")
    assert raised.value.messages == [
        "“Curate” is possible only for a product that is in review; this one is draft."
    ]


def test_curating_needs_a_level_and_returning_needs_notes(world, jatim_curator):
    product = product_in(world, "in_review")
    with pytest.raises(ValidationError) as raised:
        domain.product_curate(actor=jatim_curator, product=product, level="")
    assert raised.value.error_dict["level"][0].code == "level_required"
    with pytest.raises(ValidationError) as raised:
        domain.product_curate(actor=jatim_curator, product=product, level="premium")
    assert raised.value.error_dict["level"][0].code == "level_required"
    with pytest.raises(ValidationError) as raised:
        domain.product_return(actor=jatim_curator, product=product, notes="   ")
    assert raised.value.error_dict["notes"][0].code == "notes_required"
    with pytest.raises(ValidationError) as raised:
        domain.product_move(actor=jatim_curator, product=product, move="reopen")
    assert raised.value.error_dict["move"][0].code == "unknown_move"
    with scope(province=world.jatim):
        assert Product.objects.get(pk=product.pk).status == "in_review"
        assert not CurationEvent.objects.exists()


def test_recurating_at_the_same_level_is_refused(world, jatim_curator):
    product = product_in(world, "curated")
    with pytest.raises(ValidationError) as raised:
        domain.product_recurate(actor=jatim_curator, product=product, level="local")
    assert raised.value.error_dict["level"][0].code == "same_level"


def test_a_full_round_keeps_level_and_time_consistent(world, jatim_registry, jatim_curator):
    product = product_in(world, "draft")
    domain.product_submit(actor=jatim_registry, product=product)
    domain.product_review_start(actor=jatim_curator, product=product)
    domain.product_return(actor=jatim_curator, product=product, notes="Foto kurang jelas.")
    assert (product.status, product.level, product.curated_at) == ("returned", "", None)
    domain.product_resubmit(actor=jatim_registry, product=product)
    domain.product_review_start(actor=jatim_curator, product=product)
    domain.product_curate(actor=jatim_curator, product=product, level="local")
    first_curated_at = product.curated_at
    assert product.status == "curated" and product.level == "local" and first_curated_at
    domain.product_recurate(actor=jatim_curator, product=product, level="export", notes="Siap")
    assert product.level == "export" and product.curated_at >= first_curated_at
    domain.product_withdraw(actor=jatim_curator, product=product, notes="Izin edar habis.")
    with scope(province=world.jatim):
        stored = Product.objects.get(pk=product.pk)
        assert (stored.status, stored.level, stored.curated_at) == ("returned", "", None)
        assert stored.version == 9
        trail = list(
            CurationEvent.objects.filter(product=product).values_list(
                "from_status", "to_status", "level", "notes", "actor__username"
            )
        )
    assert trail == [
        ("draft", "submitted", "", "", "jatim-registry"),
        ("submitted", "in_review", "", "", "jatim-curator"),
        ("in_review", "returned", "", "Foto kurang jelas.", "jatim-curator"),
        ("returned", "submitted", "", "", "jatim-registry"),
        ("submitted", "in_review", "", "", "jatim-curator"),
        ("in_review", "curated", "local", "", "jatim-curator"),
        ("curated", "curated", "export", "Siap", "jatim-curator"),
        ("curated", "returned", "", "Izin edar habis.", "jatim-curator"),
    ]


def test_a_stale_page_cannot_move_the_product(world, jatim_curator):
    product = product_in(world, "submitted")
    with pytest.raises(ValidationError) as raised:
        domain.product_review_start(actor=jatim_curator, product=product, version=7)
    assert raised.value.code == "conflict"
    domain.product_review_start(actor=jatim_curator, product=product, version=1)
    assert product.status == "in_review" and product.version == 2


def test_the_system_moves_without_a_user_but_within_the_rules(world):
    product = product_in(world, "draft")
    event = domain.product_submit(actor=None, product=product)
    assert event.actor is None and product.status == "submitted"
    with pytest.raises(ValidationError):
        domain.product_curate(actor=None, product=product, level="local")


def test_available_moves_per_role(world, actors):
    submitted = product_in(world, "submitted")
    with scope(province=world.jatim):
        names = {
            who: [m.name for m in curation.available_moves(actors[who], submitted)]
            for who in ("registry", "curator", "admin", "own_account", "other_account", "viewer")
        }
    assert names == {
        "registry": [],
        "curator": ["start_review"],
        "admin": ["start_review"],
        "own_account": [],
        "other_account": [],
        "viewer": [],
    }
    draft = product_in(world, "draft")
    with scope(province=world.jatim):
        assert [m.name for m in curation.available_moves(actors["own_account"], draft)] == [
            "submit"
        ]
        assert curation.available_moves(actors["other_account"], draft) == []
    curated = product_in(world, "curated")
    with scope(province=world.jatim):
        assert [m.name for m in curation.available_moves(actors["curator"], curated)] == [
            "recurate",
            "withdraw",
        ]


def test_an_account_without_the_role_or_the_access_speaks_for_nobody(world, jatim):
    account = pesantren_account("akun-hikmah", world.hikmah)
    product = product_in(world, "draft")
    with scope(province=jatim):
        assert curation.speaks_for(account, product)
    # The access alone, without the pesantren role, is not enough.
    stranger = make_user("bukan-akun", province=jatim, roles=[Role.VIEWER])
    with scopes_disabled():
        from niaga.registry.models import PesantrenAccess

        PesantrenAccess.objects.create(province=jatim, user=stranger, pesantren=world.hikmah)
    with scope(province=jatim):
        assert not curation.speaks_for(stranger, product)
    with pytest.raises(PermissionDenied):
        domain.product_submit(actor=stranger, product=product)
