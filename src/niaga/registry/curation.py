"""Product curation as a small state machine: which moves exist and who may make them.

    draft ──submit──▶ submitted ──start review──▶ in review ──curate (level)──▶ curated
                          ▲                          │                           │  ▲
                          │                          └──return (notes)──┐        │  └ re-curate
                          └────────resubmit──── returned ◀──────────────┴─withdraw (notes)

A product's pesantren (its account, `PesantrenAccess`) or a registry officer
submits and resubmits; a curator (`registry.curate_product`) does the rest.
A curated product edited in substance (name, description, category, owner)
goes back to "submitted" by itself: the "reopen" move, which only
`niaga.registry.domain.products.product_update` makes. Price, unit, capacity,
HS code, photos and legality documents do not reopen curation: they are
recorded in the audit log, and curators re-curate or withdraw when they matter.

This module decides; `niaga.registry.domain.products` writes (one
`CurationEvent` and one audit entry per move).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from niaga.registry.models import CurationLevel, CurationStatus, Product
from niaga.registry.queries import pesantren_of_account

# Who may make a move.
CURATOR = "curator"  # registry.curate_product
SUBMITTER = "submitter"  # registry.manage_registry, or the product's own pesantren account
SYSTEM = "system"  # made by a domain function as a consequence of another change


@dataclass(frozen=True)
class Move:
    name: str
    source: str
    target: str
    who: str
    label: str
    needs_level: bool = False
    needs_notes: bool = False


SUBMIT = "submit"
START_REVIEW = "start_review"
CURATE = "curate"
RETURN = "return"
RESUBMIT = "resubmit"
RECURATE = "recurate"
WITHDRAW = "withdraw"
REOPEN = "reopen"

S = CurationStatus
MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move(SUBMIT, S.DRAFT, S.SUBMITTED, SUBMITTER, gettext_lazy("Submit for curation")),
        Move(START_REVIEW, S.SUBMITTED, S.IN_REVIEW, CURATOR, gettext_lazy("Start the review")),
        Move(CURATE, S.IN_REVIEW, S.CURATED, CURATOR, gettext_lazy("Curate"), needs_level=True),
        Move(
            RETURN,
            S.IN_REVIEW,
            S.RETURNED,
            CURATOR,
            pgettext_lazy("curation", "Return with notes"),
            needs_notes=True,
        ),
        Move(RESUBMIT, S.RETURNED, S.SUBMITTED, SUBMITTER, gettext_lazy("Resubmit for curation")),
        Move(
            RECURATE,
            S.CURATED,
            S.CURATED,
            CURATOR,
            gettext_lazy("Change the curation level"),
            needs_level=True,
        ),
        Move(
            WITHDRAW,
            S.CURATED,
            S.RETURNED,
            CURATOR,
            gettext_lazy("Withdraw the curation"),
            needs_notes=True,
        ),
        Move(
            REOPEN,
            S.CURATED,
            S.SUBMITTED,
            SYSTEM,
            gettext_lazy("Back to review after a change of substance"),
        ),
    )
}


def account_pesantren_ids(user, province) -> frozenset[int]:
    """The pesantren a pesantren account speaks for in `province` (empty for anyone else).

    Both the role (Role.PESANTREN in that province) and a PesantrenAccess row
    are needed, so revoking either ends the access (see
    `niaga.registry.queries.pesantren_of_account`). Read once per user object
    and province. Must run inside the province's scope.
    """
    if not getattr(user, "is_authenticated", False) or province is None:
        return frozenset()
    cache = user.__dict__.setdefault("_niaga_pesantren_ids", {})
    if province.pk not in cache:
        ids = pesantren_of_account(user).filter(province=province).values_list("pk", flat=True)
        cache[province.pk] = frozenset(ids)
    return cache[province.pk]


def forget_pesantren_ids(user) -> None:
    """Drop the cached pesantren of an account after its access changed (tests, one request)."""
    user.__dict__.pop("_niaga_pesantren_ids", None)


def speaks_for(user, product: Product) -> bool:
    """True when `user` is the account of the product's own pesantren."""
    return product.pesantren_id is not None and product.pesantren_id in account_pesantren_ids(
        user, product.province
    )


def may_make(user, product: Product, move: Move) -> bool:
    """Whether `user` holds the right to make `move` on `product` (status not considered)."""
    if move.who == CURATOR:
        return user.has_perm("registry.curate_product", product.province)
    if move.who == SUBMITTER:
        return user.has_perm("registry.manage_registry", product.province) or speaks_for(
            user, product
        )
    return False  # system moves are never offered to people


def available_moves(user, product: Product) -> list[Move]:
    """The moves `user` may make on `product` now, in the order the page offers them."""
    return [
        move
        for move in MOVES.values()
        if move.source == product.status and move.who != SYSTEM and may_make(user, product, move)
    ]


def check_move(
    actor, product: Product, name: str, *, level: str = "", notes: str = ""
) -> tuple[Move, str, str]:
    """Validate a move and return (move, level, notes) cleaned.

    `actor` None is the system (demo loading, commands): it skips the
    permission check but not the rules of the state machine. Errors:
    ValidationError naming "move", "level" or "notes"; PermissionDenied when
    the actor may not make this move.
    """
    move = MOVES.get(name)
    if move is None or move.who == SYSTEM:
        raise ValidationError(
            {"move": ValidationError(_("There is no such curation step."), code="unknown_move")}
        )
    if actor is not None and not may_make(actor, product, move):
        raise PermissionDenied(f"{actor} may not {name} product {product.pk}")
    if product.status != move.source:
        message = _(
            "“%(move)s” is possible only for a product that is %(source)s; this one is %(status)s."
        ) % {
            "move": move.label,
            "source": CurationStatus(move.source).label.lower(),
            "status": CurationStatus(product.status).label.lower(),
        }
        raise ValidationError({"move": ValidationError(message, code="illegal_move")})
    level = (level or "").strip()
    notes = (notes or "").strip()
    if move.needs_level:
        if level not in CurationLevel.values:
            message = _("Choose the curation level: local market, modern retail or export.")
            raise ValidationError({"level": ValidationError(message, code="level_required")})
        if move.name == RECURATE and level == product.level:
            message = _("The product is already curated at this level; choose another.")
            raise ValidationError({"level": ValidationError(message, code="same_level")})
    else:
        level = ""
    if move.needs_notes and not notes:
        message = _("Write the notes for the owner: what must change before curation.")
        raise ValidationError({"notes": ValidationError(message, code="notes_required")})
    return move, level, notes
