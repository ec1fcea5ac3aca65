"""Every write to products, their photos and legality documents, and their curation.

Views, the API, imports and the demo call only these. Each function validates
(errors: ValidationError naming the field, or code "conflict" when the record
changed since the caller read it), writes inside one transaction, records an
audit entry and re-indexes the product for the public catalogue
(`niaga.catalog.indexing.refresh_product`) in the same transaction.

`actor` is the user acting; None is the system (demo data, commands): it
skips the permission checks, nothing else. A user acts on a product when they
hold `registry.manage_registry` in its province or are the account of the
product's own pesantren (`PesantrenAccess`); anyone else gets PermissionDenied.

Curation policy: a curated product whose name, description, category or owner
changes goes back to "submitted" (a "reopen" curation event), because what
the curator judged is no longer what the catalogue shows. Price, unit,
capacity, HS code, photos and legality documents change without a new review;
they are in the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.catalog import indexing
from niaga.core.money import MAX_AMOUNT
from niaga.core.scoping import within_province
from niaga.regions.models import Province
from niaga.registry import curation, photos
from niaga.registry.models import (
    Category,
    Cooperative,
    CurationEvent,
    CurationStatus,
    HalalScheme,
    LegalDocument,
    LegalKind,
    Person,
    Product,
    ProductPhoto,
)
from niaga.registry.validators import (
    validate_bpom,
    validate_halal_number,
    validate_hs_code,
    validate_pirt,
    validate_sni,
    validate_trademark,
)

PRODUCT_FIELDS = [
    "name",
    "description",
    "category",
    "owner_cooperative",
    "owner_person",
    "pesantren",
    "regency",
    "price_min",
    "price_max",
    "unit",
    "monthly_capacity",
    "hs_code",
    "status",
    "level",
    "version",
]
EDITABLE_FIELDS = (
    "name",
    "description",
    "category",
    "owner",
    "price_min",
    "price_max",
    "unit",
    "monthly_capacity",
    "hs_code",
)
# What a curator judged: changing one of these sends a curated product back to review.
SUBSTANCE_FIELDS = ("name", "description", "category", "owner_cooperative", "owner_person")
DOCUMENT_FIELDS = ["kind", "number", "halal_scheme", "issued_on", "expires_on", "version"]

MAX_DESCRIPTION = 5000
MAX_CAPACITY = 2_147_483_647  # PositiveIntegerField on every database

# Days before expiry at which a legality document is flagged on dashboards.
EXPIRY_WARNING_DAYS = 90

NUMBER_VALIDATORS = {
    LegalKind.HALAL: validate_halal_number,
    LegalKind.PIRT: validate_pirt,
    LegalKind.BPOM: validate_bpom,
    LegalKind.SNI: validate_sni,
    LegalKind.TRADEMARK: validate_trademark,
}


def _conflict() -> ValidationError:
    return ValidationError(
        _(
            "Someone else changed this record while you were editing it. Nothing was "
            "saved; the form now shows their version."
        ),
        code="conflict",
    )


# --- Who may act ------------------------------------------------------------------


def may_edit(user, province: Province, pesantren_id: int | None) -> bool:
    """Whether `user` may change products of `pesantren_id` (None: no pesantren) in `province`."""
    if user.has_perm("registry.manage_registry", province):
        return True
    return pesantren_id is not None and pesantren_id in curation.account_pesantren_ids(
        user, province
    )


def _require_edit(actor, province: Province, pesantren_id: int | None) -> None:
    if actor is not None and not may_edit(actor, province, pesantren_id):
        raise PermissionDenied("may not change this pesantren's products")


# --- Field checks -----------------------------------------------------------------


def _owner_columns(owner: Any, province: Province) -> dict:
    """The product columns that follow from its owner, or ValidationError on "owner"."""
    if isinstance(owner, Cooperative):
        if owner.province_id != province.pk:
            raise ValidationError({"owner": _("The owner is not registered in this province.")})
        pesantren = owner.pesantren
        return {
            "owner_cooperative": owner,
            "owner_person": None,
            "pesantren": pesantren,
            "regency_id": pesantren.regency_id,
        }
    if isinstance(owner, Person):
        if owner.province_id != province.pk:
            raise ValidationError({"owner": _("The owner is not registered in this province.")})
        if owner.is_erased:
            raise ValidationError(
                {"owner": _("This person's data has been erased; choose another owner.")}
            )
        pesantren = owner.pesantren
        regency_id = owner.regency_id or (pesantren.regency_id if pesantren else None)
        return {
            "owner_cooperative": None,
            "owner_person": owner,
            "pesantren": pesantren,
            "regency_id": regency_id,
        }
    raise ValidationError({"owner": _("Choose the owner: a cooperative or a person.")})


def _clean_fields(data: dict) -> dict:
    """Check and normalise product fields; ValidationError lists every bad field at once."""
    errors: dict[str, list] = {}
    clean = dict(data)
    for name, limit in (("name", 200), ("unit", 30)):
        if name in data:
            value = (data[name] or "").strip()
            if not value:
                errors[name] = [_("This field is required.")]
            elif len(value) > limit:
                errors[name] = [
                    _("At most %(limit)s characters; this has %(count)s.")
                    % {"limit": limit, "count": len(value)}
                ]
            clean[name] = value
    if "description" in data:
        clean["description"] = (data["description"] or "").strip()
        if len(clean["description"]) > MAX_DESCRIPTION:
            errors["description"] = [
                _("At most %(limit)s characters; this has %(count)s.")
                % {"limit": MAX_DESCRIPTION, "count": len(clean["description"])}
            ]
    if "category" in data and data["category"] not in Category.values:
        errors["category"] = [_("Choose one of the categories.")]
    for name in ("price_min", "price_max"):
        if name in data and data[name] is not None:
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, int):
                errors[name] = [_("A price is a whole number of rupiah.")]
            elif not 0 <= value <= MAX_AMOUNT:
                errors[name] = [_("A price cannot be negative or absurdly large.")]
    if "monthly_capacity" in data and data["monthly_capacity"] is not None:
        value = data["monthly_capacity"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CAPACITY:
            errors["monthly_capacity"] = [_("The capacity is a whole number of units, 0 or more.")]
    if "hs_code" in data:
        text = (data["hs_code"] or "").strip()
        if text:
            try:
                clean["hs_code"] = validate_hs_code(text)
            except ValidationError as error:
                errors["hs_code"] = error.error_list
        else:
            clean["hs_code"] = ""
    if errors:
        raise ValidationError(errors)
    return clean


def _check_price_range(product: Product) -> None:
    low, high = product.price_min, product.price_max
    if low is not None and high is not None and low > high:
        message = _("The highest price must not be below the lowest price.")
        raise ValidationError({"price_max": ValidationError(message, code="price_range")})


# --- Products ---------------------------------------------------------------------


@within_province
@transaction.atomic
def product_create(
    *,
    actor,
    province: Province,
    owner: Cooperative | Person,
    name: str,
    category: str,
    unit: str,
    description: str = "",
    price_min: int | None = None,
    price_max: int | None = None,
    monthly_capacity: int | None = None,
    hs_code: str = "",
) -> Product:
    """Register a product (status draft) of a cooperative or a person of `province`.

    The product's pesantren and regency/city are copied from the owner: a
    cooperative's pesantren and its regency; a person's pesantren and their own
    regency, else their pesantren's. Prices are whole rupiah (lowest ≤ highest).
    Side effects: audit "registry.product.create", catalogue re-index.
    Errors: ValidationError naming the field; PermissionDenied.
    """
    columns = _owner_columns(owner, province)
    _require_edit(actor, province, columns["pesantren"].pk if columns["pesantren"] else None)
    data = _clean_fields(
        {
            "name": name,
            "description": description,
            "category": category,
            "unit": unit,
            "price_min": price_min,
            "price_max": price_max,
            "monthly_capacity": monthly_capacity,
            "hs_code": hs_code,
        }
    )
    product = Product(province=province, **columns, **data)
    _check_price_range(product)
    product.save()
    record(
        actor=actor,
        action="registry.product.create",
        province=province,
        obj=product,
        after=snapshot(product, PRODUCT_FIELDS),
    )
    indexing.refresh_product(product)
    return product


def _locked(product: Product) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("province", "pesantren", "owner_cooperative", "owner_person")
        .get(pk=product.pk)
    )


def product_update(*, actor, product: Product, version: int, **changes) -> Product:
    """Change a product's fields (any of EDITABLE_FIELDS; `owner` is a Cooperative or Person).

    `version` is the version the editor read; if the product changed since,
    nothing is written and ValidationError(code="conflict") says so. A curated
    product changed in substance (name, description, category, owner) goes
    back to "submitted" with a "reopen" curation event. The version increments.
    Side effects: audit "registry.product.update" (and "registry.product.reopen"),
    catalogue re-index. Errors: ValidationError naming the field; PermissionDenied
    (for the product, and for the new owner's pesantren).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    province = product.province
    with scope(province=province), transaction.atomic():
        current = _locked(product)
        _require_edit(actor, province, current.pesantren_id)
        if current.version != version:
            raise _conflict()
        before = snapshot(current, PRODUCT_FIELDS)
        columns = {}
        if "owner" in changes:
            columns = _owner_columns(changes.pop("owner"), province)
            new_pesantren = columns["pesantren"]
            _require_edit(actor, province, new_pesantren.pk if new_pesantren else None)
        data = _clean_fields(changes)
        for name, value in {**columns, **data}.items():
            setattr(current, name, value)
        _check_price_range(current)
        after = snapshot(current, PRODUCT_FIELDS)
        changed = [name for name in PRODUCT_FIELDS if after[name] != before[name]]
        if not changed:
            return current  # nothing to write: no version bump, no audit noise
        reopened = current.status == CurationStatus.CURATED and any(
            name in SUBSTANCE_FIELDS for name in changed
        )
        if reopened:
            current.status = CurationStatus.SUBMITTED
            current.level = ""
            current.curated_at = None
        current.version += 1
        current.save()
        record(
            actor=actor,
            action="registry.product.update",
            province=province,
            obj=current,
            before=before,
            after=snapshot(current, PRODUCT_FIELDS),
        )
        if reopened:
            labels = [
                str(Product._meta.get_field(name).verbose_name)
                for name in SUBSTANCE_FIELDS
                if name in changed
            ]
            _write_event(
                actor=actor,
                product=current,
                move=curation.MOVES[curation.REOPEN],
                from_status=CurationStatus.CURATED,
                level="",
                notes=", ".join(labels),
                before_level=before["level"],
            )
        indexing.refresh_product(current)
    return current


# --- Curation ---------------------------------------------------------------------


def _write_event(
    *, actor, product: Product, move, from_status: str, level: str, notes: str, before_level: str
) -> CurationEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = CurationEvent.objects.create(
        province=product.province,
        product=product,
        actor=actor if is_user else None,
        from_status=from_status,
        to_status=move.target,
        level=level,
        notes=notes,
    )
    record(
        actor=actor,
        action=f"registry.product.{move.name}",
        province=product.province,
        obj=product,
        before={"status": from_status, "level": before_level},
        after={"status": move.target, "level": level, "notes": notes, "event": event.pk},
    )
    return event


def product_move(
    *,
    actor,
    product: Product,
    move: str,
    level: str = "",
    notes: str = "",
    version: int | None = None,
) -> CurationEvent:
    """Move a product through curation (see `niaga.registry.curation` for the moves).

    The product is locked and its status re-read, so two curators acting at
    once cannot both move it. With `version`, the move is refused (code
    "conflict") if the product changed since the caller read it. Curating
    sets the level and `curated_at`; leaving "curated" clears both. The
    version increments. Side effects: a CurationEvent, audit
    "registry.product.<move>", catalogue re-index. Errors: ValidationError
    naming "move", "level" or "notes"; PermissionDenied.
    """
    province = product.province
    with scope(province=province), transaction.atomic():
        current = _locked(product)
        if version is not None and current.version != version:
            raise _conflict()
        step, level, notes = curation.check_move(actor, current, move, level=level, notes=notes)
        from_status, before_level = current.status, current.level
        current.status = step.target
        current.level = level if step.target == CurationStatus.CURATED else ""
        if step.needs_level:  # curated, or curated again at another level
            current.curated_at = timezone.now()
        elif step.target != CurationStatus.CURATED:
            current.curated_at = None
        current.version += 1
        current.save(update_fields=["status", "level", "curated_at", "version", "updated_at"])
        event = _write_event(
            actor=actor,
            product=current,
            move=step,
            from_status=from_status,
            level=current.level,
            notes=notes,
            before_level=before_level,
        )
        indexing.refresh_product(current)
    product.status, product.level, product.curated_at, product.version = (
        current.status,
        current.level,
        current.curated_at,
        current.version,
    )
    return event


def product_submit(*, actor, product: Product, notes: str = "", version=None) -> CurationEvent:
    """Draft → submitted, by a registry officer or the product's pesantren account."""
    return product_move(
        actor=actor, product=product, move=curation.SUBMIT, notes=notes, version=version
    )


def product_review_start(*, actor, product: Product, version=None) -> CurationEvent:
    """Submitted → in review, by a curator."""
    return product_move(actor=actor, product=product, move=curation.START_REVIEW, version=version)


def product_curate(
    *, actor, product: Product, level: str, notes: str = "", version=None
) -> CurationEvent:
    """In review → curated at `level` (local, modern_retail, export), by a curator."""
    return product_move(
        actor=actor,
        product=product,
        move=curation.CURATE,
        level=level,
        notes=notes,
        version=version,
    )


def product_return(*, actor, product: Product, notes: str, version=None) -> CurationEvent:
    """In review → returned with the curator's notes (required)."""
    return product_move(
        actor=actor, product=product, move=curation.RETURN, notes=notes, version=version
    )


def product_resubmit(*, actor, product: Product, notes: str = "", version=None) -> CurationEvent:
    """Returned → submitted, by a registry officer or the product's pesantren account."""
    return product_move(
        actor=actor, product=product, move=curation.RESUBMIT, notes=notes, version=version
    )


def product_recurate(
    *, actor, product: Product, level: str, notes: str = "", version=None
) -> CurationEvent:
    """Curated → curated at another level, by a curator."""
    return product_move(
        actor=actor,
        product=product,
        move=curation.RECURATE,
        level=level,
        notes=notes,
        version=version,
    )


def product_withdraw(*, actor, product: Product, notes: str, version=None) -> CurationEvent:
    """Curated → returned with the curator's notes (required): it leaves the catalogue."""
    return product_move(
        actor=actor, product=product, move=curation.WITHDRAW, notes=notes, version=version
    )


# --- Legality documents -----------------------------------------------------------


def document_state(expires_on: dt.date | None, today: dt.date) -> str:
    """ "expired" (before today), "expiring" (within EXPIRY_WARNING_DAYS) or "valid"."""
    if expires_on is None:
        return "valid"
    if expires_on < today:
        return "expired"
    if expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


def clean_legal_document(
    kind: str, number: str, halal_scheme: str, issued_on, expires_on
) -> dict[str, Any]:
    """The document's fields checked and normalised (number, halal_scheme, dates),
    or ValidationError naming each bad field. Shared by the form and `legal_document_set`."""
    if kind not in LegalKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    errors: dict[str, list] = {}
    clean: dict[str, Any] = {"issued_on": issued_on, "expires_on": expires_on, "halal_scheme": ""}
    try:
        clean["number"] = NUMBER_VALIDATORS[kind](number)
    except ValidationError as error:
        errors["number"] = error.error_list
    if kind == LegalKind.HALAL:
        if halal_scheme not in HalalScheme.values:
            errors["halal_scheme"] = [_("Choose the halal scheme: regular or self-declare.")]
        clean["halal_scheme"] = halal_scheme
        if issued_on is None:
            errors["issued_on"] = [_("A halal certificate has an issue date; enter it.")]
    if issued_on and expires_on and expires_on < issued_on:
        errors["expires_on"] = [_("The expiry date must not be before the issue date.")]
    if errors:
        raise ValidationError(errors)
    return clean


def legal_document_set(
    *,
    actor,
    product: Product,
    kind: str,
    number: str,
    halal_scheme: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    version: int | None = None,
) -> LegalDocument:
    """Add a product's legality document of `kind`, or replace the one it has.

    Numbers are checked and normalised per kind (halal ID…, P-IRT 15 digits,
    BPOM MD/ML + 12 digits, SNI, trademark); halal needs its scheme and issue
    date; the expiry date is optional (halal certificates since 2021 are valid
    while the product is unchanged) and never before the issue date. `version`
    is the document's version the editor read (None when adding): a mismatch,
    or a document added meanwhile, is refused (code "conflict").
    Side effects: audit "registry.legal_document.set", catalogue re-index.
    Errors: ValidationError naming the field; PermissionDenied.
    """
    province = product.province
    clean = clean_legal_document(kind, number, halal_scheme, issued_on, expires_on)
    with scope(province=province), transaction.atomic():
        current = _locked(product)
        _require_edit(actor, province, current.pesantren_id)
        document = (
            LegalDocument.objects.select_for_update().filter(product=current, kind=kind).first()
        )
        if (document.version if document else None) != version:
            raise _conflict()
        before = snapshot(document, DOCUMENT_FIELDS) if document else None
        if document is None:
            document = LegalDocument(province=province, product=current, kind=kind, **clean)
        else:
            for name, value in clean.items():
                setattr(document, name, value)
            document.version += 1
        document.save()
        record(
            actor=actor,
            action="registry.legal_document.set",
            province=province,
            obj=current,
            before=before,
            after=snapshot(document, DOCUMENT_FIELDS),
        )
        indexing.refresh_product(current)
    return document


def legal_document_remove(*, actor, product: Product, kind: str) -> None:
    """Remove a product's document of `kind`. Side effects: audit
    "registry.legal_document.remove", catalogue re-index. Errors: ValidationError
    on "kind" when there is none; PermissionDenied."""
    province = product.province
    with scope(province=province), transaction.atomic():
        current = _locked(product)
        _require_edit(actor, province, current.pesantren_id)
        document = LegalDocument.objects.filter(product=current, kind=kind).first()
        if document is None:
            raise ValidationError({"kind": _("The product has no such document.")})
        before = snapshot(document, DOCUMENT_FIELDS)
        document.delete()
        record(
            actor=actor,
            action="registry.legal_document.remove",
            province=province,
            obj=current,
            before=before,
        )
        indexing.refresh_product(current)


# --- Photos -----------------------------------------------------------------------


def photo_add(*, actor, product: Product, upload, caption: str = "") -> ProductPhoto:
    """Check, clean (EXIF and every other metadata stripped) and store a photo as the last one.

    A product has at most `photos.MAX_PHOTOS_PER_PRODUCT` photos. The image is
    processed before the transaction (it is the slow part); the files are
    removed again if the row cannot be written. Side effects: two files in the
    default storage, audit "registry.photo.add", catalogue re-index. Errors:
    ValidationError on "image" (see `photos.process_photo`) or "caption";
    PermissionDenied.
    """
    province = product.province
    with scope(province=province):
        _require_edit(actor, province, product.pesantren_id)
    caption = (caption or "").strip()
    if len(caption) > 200:
        raise ValidationError({"caption": _("At most 200 characters.")})
    try:
        processed = photos.process_photo(upload)
    except ValidationError as error:
        raise ValidationError({"image": error}) from error
    stored: list[str] = []
    try:
        with scope(province=province), transaction.atomic():
            current = _locked(product)
            _require_edit(actor, province, current.pesantren_id)
            existing = ProductPhoto.objects.filter(product=current)
            if existing.count() >= photos.MAX_PHOTOS_PER_PRODUCT:
                message = _(
                    "A product has at most %(limit)s photos; remove one before adding another."
                ) % {"limit": photos.MAX_PHOTOS_PER_PRODUCT}
                raise ValidationError({"image": ValidationError(message, code="photo_limit")})
            last = existing.aggregate(last=Max("position"))["last"]
            photo = ProductPhoto(
                province=province,
                product=current,
                width=processed.width,
                height=processed.height,
                position=0 if last is None else last + 1,
                caption=caption,
            )
            image_name, thumb_name = photos.new_file_names()
            photo.image.save(image_name, ContentFile(processed.display), save=False)
            stored.append(photo.image.name)
            photo.thumbnail.save(thumb_name, ContentFile(processed.thumbnail), save=False)
            stored.append(photo.thumbnail.name)
            photo.save()
            record(
                actor=actor,
                action="registry.photo.add",
                province=province,
                obj=current,
                after={
                    "photo": photo.pk,
                    "position": photo.position,
                    "width": photo.width,
                    "height": photo.height,
                    "source_format": processed.source_format,
                    "caption": caption,
                },
            )
            indexing.refresh_product(current)
    except BaseException:
        photos.delete_files(*stored)
        raise
    return photo


def photo_remove(*, actor, photo: ProductPhoto) -> None:
    """Remove a photo; the files go once the transaction commits, the others keep their order.

    Side effects: audit "registry.photo.remove", catalogue re-index. Errors: PermissionDenied.
    """
    province = photo.province
    with scope(province=province), transaction.atomic():
        current = _locked(photo.product)
        _require_edit(actor, province, current.pesantren_id)
        names = (photo.image.name, photo.thumbnail.name)
        before = {"photo": photo.pk, "position": photo.position, "caption": photo.caption}
        ProductPhoto.objects.filter(pk=photo.pk).delete()
        _renumber(current, list(current.photos.order_by("position", "id")))
        record(
            actor=actor,
            action="registry.photo.remove",
            province=province,
            obj=current,
            before=before,
        )
        indexing.refresh_product(current)
        transaction.on_commit(lambda: photos.delete_files(*names))


def _renumber(product: Product, ordered: list[ProductPhoto]) -> None:
    changed = []
    for position, photo in enumerate(ordered):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    ProductPhoto.objects.bulk_update(changed, ["position"])


def photo_reorder(*, actor, product: Product, photo_ids: list[int]) -> None:
    """Put the product's photos in the order of `photo_ids` (the first is the main photo).

    `photo_ids` must name each of the product's photos exactly once.
    Side effects: audit "registry.photo.reorder", catalogue re-index.
    Errors: ValidationError on "photos" (code "conflict" when the photos changed
    since the caller read them); PermissionDenied.
    """
    province = product.province
    with scope(province=province), transaction.atomic():
        current = _locked(product)
        _require_edit(actor, province, current.pesantren_id)
        existing = {p.pk: p for p in current.photos.order_by("position", "id")}
        if sorted(photo_ids) != sorted(existing) or len(set(photo_ids)) != len(photo_ids):
            raise _conflict()
        before = list(existing)
        _renumber(current, [existing[pk] for pk in photo_ids])
        record(
            actor=actor,
            action="registry.photo.reorder",
            province=province,
            obj=current,
            before={"order": before},
            after={"order": list(photo_ids)},
        )
        indexing.refresh_product(current)
