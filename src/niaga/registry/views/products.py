"""Product pages of a province space: the list, the form, a product with its photos,
legality documents and curation, the curators' queue, the registry dashboard and
a pesantren account's own home.

Who sees what: the province team (`registry.view_registry`) reads every
product; registry officers and admins (`registry.manage_registry`) change them;
curators (`registry.curate_product`) curate. A pesantren account sees and
changes only its own pesantren's products (`PesantrenAccess`): any other
product answers 404, exactly as a product of another province does.

Lists and dashboards cost the same number of queries whatever the number of
rows (select_related and subqueries; tests hold them to it). "Today" is the
province's own date, passed into the queries so tests can fix it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from niaga.core.form_errors import add_errors as _add_errors
from niaga.core.scoping import require_province_perm
from niaga.registry import curation, photos
from niaga.registry.domain import products as domain
from niaga.registry.exporting import maybe_export
from niaga.registry.forms_products import (
    CurationForm,
    LegalDocumentForm,
    PhotoForm,
    ProductFilterForm,
    ProductForm,
    owner_value,
)
from niaga.registry.models import (
    Category,
    Cooperative,
    CurationEvent,
    CurationLevel,
    CurationStatus,
    LegalDocument,
    LegalKind,
    Person,
    Pesantren,
    Product,
    ProductPhoto,
)

PER_PAGE = 50
ALERT_LIMIT = 50  # expiring/expired documents listed on a dashboard (all are counted)


def province_today(province) -> dt.date:
    """Today's date in the province's own zone (a WIT province's day starts 2 hours before WIB)."""
    return timezone.now().astimezone(province.zone).date()


# --- Reads ------------------------------------------------------------------------


def _halal_valid(today: dt.date):
    return Exists(
        LegalDocument.objects.filter(product=OuterRef("pk"), kind=LegalKind.HALAL).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
    )


def _expiring(today: dt.date):
    limit = today + dt.timedelta(days=domain.EXPIRY_WARNING_DAYS)
    return Q(expires_on__gte=today, expires_on__lte=limit)


def product_rows(filters: dict, today: dt.date) -> QuerySet[Product]:
    """Products of the active province scope matching a ProductFilterForm's cleaned data.

    Each row carries `has_halal` (a halal certificate valid `today`) and
    `next_expiry` (its legality documents' earliest expiry date).
    """
    rows = Product.objects.select_related(
        "owner_cooperative", "owner_person", "pesantren", "regency"
    ).annotate(
        has_halal=_halal_valid(today),
        next_expiry=Subquery(
            LegalDocument.objects.filter(product=OuterRef("pk"), expires_on__isnull=False)
            .order_by("expires_on")
            .values("expires_on")[:1]
        ),
    )
    for word in (filters.get("q") or "").split():
        rows = rows.filter(Q(name__icontains=word) | Q(description__icontains=word))
    for name in ("category", "status", "level", "regency", "pesantren"):
        if filters.get(name):
            rows = rows.filter(**{name: filters[name]})
    if filters.get("halal") == "yes":
        rows = rows.filter(has_halal=True)
    elif filters.get("halal") == "no":
        rows = rows.filter(has_halal=False)
    documents = filters.get("documents")
    if documents == "expiring":
        rows = rows.filter(
            Exists(LegalDocument.objects.filter(_expiring(today), product=OuterRef("pk")))
        )
    elif documents == "expired":
        rows = rows.filter(
            Exists(LegalDocument.objects.filter(product=OuterRef("pk"), expires_on__lt=today))
        )
    return rows.order_by("name", "id")


def document_alerts(today: dt.date, *, pesantren_ids=None, limit: int = ALERT_LIMIT) -> dict:
    """Expiring (within 90 days) and expired legality documents: the first `limit` of each,
    soonest first, and how many there are in all. Four queries."""
    documents = LegalDocument.objects.select_related("product", "product__pesantren")
    if pesantren_ids is not None:
        documents = documents.filter(product__pesantren_id__in=pesantren_ids)
    expiring = documents.filter(_expiring(today)).order_by("expires_on", "id")
    expired = documents.filter(expires_on__lt=today).order_by("-expires_on", "id")
    return {
        "expiring": list(expiring[:limit]),
        "expiring_count": expiring.count(),
        "expired": list(expired[:limit]),
        "expired_count": expired.count(),
    }


def dashboard_figures() -> dict:
    """Products per category and curation status/level, and the registry's sizes.

    Columns: draft, submitted, in review, returned, then curated per level,
    then the row total; one row per category (all of them, zeros included)
    and a total row. Four queries.
    """
    columns = [
        (CurationStatus.DRAFT.value, ""),
        (CurationStatus.SUBMITTED.value, ""),
        (CurationStatus.IN_REVIEW.value, ""),
        (CurationStatus.RETURNED.value, ""),
        *((CurationStatus.CURATED.value, level) for level in CurationLevel.values),
    ]
    index = {column: i for i, column in enumerate(columns)}
    table = {category: [0] * (len(columns) + 1) for category in Category.values}
    for row in Product.objects.values("category", "status", "level").annotate(n=Count("id")):
        cells = table[row["category"]]
        cells[index[(row["status"], row["level"])]] += row["n"]
        cells[-1] += row["n"]
    totals = [sum(cells[i] for cells in table.values()) for i in range(len(columns) + 1)]
    return {
        "headings": [
            CurationStatus(status).label if not level else CurationLevel(level).label
            for status, level in columns
        ],
        "rows": [(Category(category).label, cells) for category, cells in table.items()],
        "totals": totals,
        "by_level": [
            (CurationLevel(level).label, totals[index[(CurationStatus.CURATED.value, level)]])
            for level in CurationLevel.values
        ],
        "curated": sum(
            totals[index[(CurationStatus.CURATED.value, level)]] for level in CurationLevel.values
        ),
        "pesantren_count": Pesantren.objects.count(),
        "cooperative_count": Cooperative.objects.count(),
        "person_count": Person.objects.filter(erased_at__isnull=True).count(),
    }


def curation_queue() -> QuerySet[Product]:
    """Products waiting for curators (submitted or in review), the longest-waiting first.

    `waiting_since` is when the product was last submitted (its update time
    if no event says so, e.g. rows loaded without the domain).
    """
    submitted_at = Subquery(
        CurationEvent.objects.filter(product=OuterRef("pk"), to_status=CurationStatus.SUBMITTED)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return (
        Product.objects.filter(status__in=[CurationStatus.SUBMITTED, CurationStatus.IN_REVIEW])
        .select_related("owner_cooperative", "owner_person", "pesantren", "regency")
        .annotate(waiting_since=Coalesce(submitted_at, "updated_at"))
        .order_by("waiting_since", "id")
    )


# --- Access -----------------------------------------------------------------------


def product_or_404(request, pk: int, *, edit: bool = False) -> Product:
    """A product of this province space that the user may see (or, with `edit`, change)."""
    product = (
        Product.objects.select_related(
            "province", "owner_cooperative__pesantren", "owner_person", "pesantren", "regency"
        )
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404("no such product in this province space")
    user = request.user
    if edit:
        allowed = domain.may_edit(user, request.province, product.pesantren_id)
    else:
        allowed = user.has_perm("registry.view_registry", request.province) or curation.speaks_for(
            user, product
        )
    if not allowed:
        raise Http404("no such product in this province space")
    return product


def _account_ids(request) -> frozenset[int]:
    return curation.account_pesantren_ids(request.user, request.province)


def _detail_url(request, product: Product) -> str:
    return reverse("province:product", kwargs={"province": request.province.slug, "pk": product.pk})


def _next_or(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- The list ---------------------------------------------------------------------


@require_province_perm("registry.view_registry")
def product_list(request):
    province = request.province
    today = province_today(province)
    filters = ProductFilterForm(request.GET or None, province=province)
    data = filters.cleaned_data if filters.is_valid() else {}
    rows = product_rows(data, today)
    if response := maybe_export(request, resource="products", queryset=rows):
        return response
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for product in page:
        product.document_state = domain.document_state(product.next_expiry, today)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "registry/products/list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.user.has_perm("registry.manage_registry", province),
            "can_curate": request.user.has_perm("registry.curate_product", province),
        },
    )


# --- Create and edit --------------------------------------------------------------


def _form_owner_scope(request) -> frozenset[int] | None:
    """None when the user may choose any owner; a pesantren account's own pesantren otherwise."""
    if request.user.has_perm("registry.manage_registry", request.province):
        return None
    ids = _account_ids(request)
    if not ids:
        raise Http404("no such page in this province space")
    return ids


def product_create(request):
    scope_ids = _form_owner_scope(request)
    initial = {}
    for key, model in (("cooperative", Cooperative), ("person", Person)):
        wanted = request.GET.get(key, "")
        if wanted.isdigit():
            owner = model.objects.filter(pk=int(wanted)).first()
            if owner is not None:
                initial["owner"] = owner_value(owner)
    form = ProductForm(request.POST or None, initial=initial, pesantren_ids=scope_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = domain.product_create(
                actor=request.user,
                province=request.province,
                owner=data["owner"],
                name=data["name"],
                description=data["description"],
                category=data["category"],
                unit=data["unit"],
                price_min=data["price_min"],
                price_max=data["price_max"],
                monthly_capacity=data["monthly_capacity"],
                hs_code=data["hs_code"],
            )
        except PermissionDenied as error:
            raise Http404("no such page in this province space") from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The product has been registered as a draft."))
            return redirect(_detail_url(request, product))
    return TemplateResponse(request, "registry/products/form.html", {"form": form, "product": None})


def product_edit(request, pk: int):
    product = product_or_404(request, pk, edit=True)
    scope_ids = _form_owner_scope(request)
    initial = {
        "owner": owner_value(product.owner),
        "name": product.name,
        "description": product.description,
        "category": product.category,
        "price_min": product.price_min,
        "price_max": product.price_max,
        "unit": product.unit,
        "monthly_capacity": product.monthly_capacity,
        "hs_code": product.hs_code,
        "version": product.version,
    }
    form = ProductForm(request.POST or None, initial=initial, pesantren_ids=scope_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_curated = product.status == CurationStatus.CURATED
        try:
            updated = domain.product_update(
                actor=request.user,
                product=product,
                version=data["version"] if data["version"] is not None else -1,
                owner=data["owner"],
                name=data["name"],
                description=data["description"],
                category=data["category"],
                unit=data["unit"],
                price_min=data["price_min"],
                price_max=data["price_max"],
                monthly_capacity=data["monthly_capacity"],
                hs_code=data["hs_code"],
            )
        except PermissionDenied as error:
            raise Http404("no such page in this province space") from error
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                messages.error(request, error.messages[0])
                return redirect("province:product_edit", province=request.province.slug, pk=pk)
            _add_errors(form, error)
        else:
            if was_curated and updated.status == CurationStatus.SUBMITTED:
                messages.warning(
                    request,
                    _(
                        "The name, description, category or owner changed, so the product "
                        "went back to the curators for review."
                    ),
                )
            else:
                messages.success(request, _("The product has been saved."))
            return redirect(_detail_url(request, product))
    return TemplateResponse(
        request, "registry/products/form.html", {"form": form, "product": product}
    )


# --- A product --------------------------------------------------------------------


def _detail_context(request, product: Product, *, photo_form=None) -> dict:
    province = request.province
    today = province_today(province)
    documents = list(product.legal_documents.order_by("kind"))
    for document in documents:
        document.state = domain.document_state(document.expires_on, today)
    missing = [kind for kind in LegalKind.values if kind not in {d.kind for d in documents}]
    product_photos = list(product.photos.order_by("position", "id"))
    return {
        "product": product,
        "photos": product_photos,
        "photo_form": photo_form or PhotoForm(),
        "can_add_photo": len(product_photos) < photos.MAX_PHOTOS_PER_PRODUCT,
        "max_photos": photos.MAX_PHOTOS_PER_PRODUCT,
        "documents": documents,
        "document_form": LegalDocumentForm(kinds=missing) if missing else None,
        "events": list(product.curation_events.select_related("actor").order_by("at", "id")),
        "moves": curation.available_moves(request.user, product),
        "levels": CurationLevel.choices,
        "can_edit": domain.may_edit(request.user, province, product.pesantren_id),
        "is_team": request.user.has_perm("registry.view_registry", province),
    }


def product_detail(request, pk: int):
    product = product_or_404(request, pk)
    return TemplateResponse(
        request, "registry/products/detail.html", _detail_context(request, product)
    )


@require_POST
def product_photo_add(request, pk: int):
    product = product_or_404(request, pk, edit=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            domain.photo_add(
                actor=request.user,
                product=product,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except PermissionDenied as error:
            raise Http404("no such product in this province space") from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The photo has been added."))
            return redirect(_detail_url(request, product))
    context = _detail_context(request, product, photo_form=form)
    return TemplateResponse(request, "registry/products/detail.html", context, status=400)


def _photo_or_404(product: Product, photo_id: int) -> ProductPhoto:
    photo = ProductPhoto.objects.filter(pk=photo_id, product=product).first()
    if photo is None:
        raise Http404("no such photo")
    return photo


def product_photo(request, pk: int, photo_id: int, variant: str):
    """A product's photo for the team and its own pesantren, whatever its curation status."""
    if variant not in ("image", "thumbnail"):
        raise Http404("no such variant")
    product = product_or_404(request, pk)
    photo = _photo_or_404(product, photo_id)
    name = getattr(photo, variant).name
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404("photo file missing") from error
    response = FileResponse(handle, content_type=photos.CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def product_photo_remove(request, pk: int, photo_id: int):
    product = product_or_404(request, pk, edit=True)
    photo = _photo_or_404(product, photo_id)
    try:
        domain.photo_remove(actor=request.user, photo=photo)
    except PermissionDenied as error:
        raise Http404("no such product in this province space") from error
    messages.success(request, _("The photo has been removed."))
    return redirect(_detail_url(request, product))


@require_POST
def product_photo_move(request, pk: int, photo_id: int):
    """Move a photo one place earlier or later, or to the front (the main photo)."""
    product = product_or_404(request, pk, edit=True)
    order = list(product.photos.order_by("position", "id").values_list("pk", flat=True))
    if photo_id not in order:
        raise Http404("no such photo")
    where = order.index(photo_id)
    direction = request.POST.get("direction")
    order.pop(where)
    if direction == "first":
        order.insert(0, photo_id)
    elif direction == "up":
        order.insert(max(where - 1, 0), photo_id)
    elif direction == "down":
        order.insert(where + 1, photo_id)
    else:
        raise Http404("no such direction")
    try:
        domain.photo_reorder(actor=request.user, product=product, photo_ids=order)
    except PermissionDenied as error:
        raise Http404("no such product in this province space") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_detail_url(request, product))


def product_document(request, pk: int, kind: str | None = None):
    """Add a legality document (kind chosen in the form) or edit the one of `kind`."""
    product = product_or_404(request, pk, edit=True)
    existing = {d.kind: d for d in product.legal_documents.all()}
    if kind is not None:
        if kind not in LegalKind.values:
            raise Http404("no such kind")
        document = existing.get(kind)
        kinds = [kind]
        initial = {"kind": kind}
        if document is not None:
            initial.update(
                number=document.number,
                halal_scheme=document.halal_scheme,
                issued_on=document.issued_on,
                expires_on=document.expires_on,
                version=document.version,
            )
    else:
        document = None
        kinds = [k for k in LegalKind.values if k not in existing]
        initial = {}
    form = LegalDocumentForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.legal_document_set(
                actor=request.user,
                product=product,
                kind=data["kind"],
                number=data["number"],
                halal_scheme=data["halal_scheme"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                version=data["version"],
            )
        except PermissionDenied as error:
            raise Http404("no such product in this province space") from error
        except ValidationError as error:
            if getattr(error, "code", None) == "conflict":
                messages.error(request, error.messages[0])
                return redirect(_detail_url(request, product))
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved: %(document)s.") % {"document": LegalKind(data["kind"]).label},
            )
            return redirect(_detail_url(request, product))
    return TemplateResponse(
        request,
        "registry/products/document.html",
        {"product": product, "form": form, "document": document, "kind": kind},
    )


@require_POST
def product_document_remove(request, pk: int, kind: str):
    product = product_or_404(request, pk, edit=True)
    try:
        domain.legal_document_remove(actor=request.user, product=product, kind=kind)
    except PermissionDenied as error:
        raise Http404("no such product in this province space") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed: %(document)s.") % {"document": LegalKind(kind).label})
    return redirect(_detail_url(request, product))


@require_POST
def product_curation(request, pk: int):
    """Make one curation move (submit, start review, curate, return, resubmit, …)."""
    product = product_or_404(request, pk)
    form = CurationForm(request.POST)
    target = _next_or(request, _detail_url(request, product))
    if not form.is_valid():
        messages.error(request, _("The curation step could not be read; try again."))
        return redirect(target)
    data = form.cleaned_data
    try:
        event = domain.product_move(
            actor=request.user,
            product=product,
            move=data["move"],
            level=data["level"],
            notes=data["notes"],
            version=data["version"],
        )
    except PermissionDenied as error:
        raise Http404("no such product in this province space") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        status = CurationStatus(event.to_status).label
        if event.level:
            status = f"{status} ({CurationLevel(event.level).label})"
        messages.success(
            request,
            _("%(product)s is now: %(status)s.") % {"product": product.name, "status": status},
        )
    return redirect(target)


# --- Queue, dashboard, a pesantren's home -----------------------------------------


@require_province_perm("registry.curate_product")
def curation_queue_view(request):
    page = Paginator(curation_queue(), PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "registry/products/queue.html", {"page": page, "now": timezone.now()}
    )


@require_province_perm("registry.view_registry")
def registry_dashboard(request):
    today = province_today(request.province)
    return TemplateResponse(
        request,
        "registry/products/dashboard.html",
        {
            "figures": dashboard_figures(),
            "alerts": document_alerts(today),
            "today": today,
            "can_curate": request.user.has_perm("registry.curate_product", request.province),
        },
    )


def registry_my(request):
    """A pesantren account's home: its products, its documents to renew, its inquiries."""
    ids = _account_ids(request)
    if not ids:
        raise Http404("no such page in this province space")
    today = province_today(request.province)
    pesantren = list(Pesantren.objects.filter(pk__in=ids).order_by("name"))
    rows = list(product_rows({}, today).filter(pesantren_id__in=ids))
    for product in rows:
        product.document_state = domain.document_state(product.next_expiry, today)
        product.account_move = next(
            (
                curation.MOVES[name]
                for name in (curation.SUBMIT, curation.RESUBMIT)
                if curation.MOVES[name].source == product.status
            ),
            None,
        )
    inquiries_url = reverse("province:home", kwargs={"province": request.province.slug})
    return TemplateResponse(
        request,
        "registry/products/my.html",
        {
            "pesantren_list": pesantren,
            "products": rows,
            "alerts": document_alerts(today, pesantren_ids=ids),
            "inquiries_url": f"{inquiries_url}inquiries/",
            "today": today,
        },
    )
