"""The public catalogue (no login): search, product pages, pesantren profiles, photos,
and the inquiry form; and the inquiry inbox of a province space.

Public pages read across provinces through `niaga.catalog.queries`, which only
ever reaches curated products. Inbox pages run inside the province scope
(`province_patterns`) and show only the inquiries `queries.inbox` allows.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from niaga.catalog import domain, queries, throttle
from niaga.catalog.forms import AnswerForm, InboxFilterForm, InquiryForm, SearchForm
from niaga.catalog.models import InquiryStatus
from niaga.catalog.search import Criteria
from niaga.core.form_errors import add_errors
from niaga.registry.photos import THUMBNAIL_SIDE
from niaga.registry.validators import format_phone_display

# Photos of a given id never change (a new photo is a new row), so browsers and
# proxies may keep them; a month keeps a withdrawn product's photo around no
# longer than that.
PHOTO_CACHE = "public, max-age=2592000"


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 100_000))
    except ValueError:
        return 1


def catalogue(request):
    """Search and filters, results as cards, 24 a page."""
    form = SearchForm(request.GET)
    page = None
    if form.is_valid():
        page = queries.catalogue_page(form.criteria, _page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    response = TemplateResponse(
        request,
        "catalog/catalogue.html",
        {"form": form, "page": page, "query": query.urlencode(), "thumbnail_side": THUMBNAIL_SIDE},
    )
    if not form.is_valid():
        response.status_code = 400
    return response


def product(request, product_id: int):
    """A curated product's page with the inquiry form (POST sends an inquiry)."""
    item = queries.public_product(product_id)
    form = InquiryForm(request.POST or None)
    if request.method == "POST":
        outcome = _send_inquiry(request, item, form)
        if outcome is not None:
            return outcome
    response = TemplateResponse(
        request,
        "catalog/product.html",
        {
            "product": item,
            "form": form,
            "thumbnail_side": THUMBNAIL_SIDE,
            "today": timezone.localdate(),
        },
    )
    if form.errors:
        response.status_code = 400
    return response


def _send_inquiry(request, item, form: InquiryForm):
    """The answer to an inquiry post, or None to show the form again with its errors."""
    limit = throttle.refused(request)
    if limit is not None:
        return _limited(request, item, limit)
    if form.is_spam:
        # Pretend it worked: a bot learns nothing. Counted like any inquiry.
        throttle.count(request)
        return _sent(request, item)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in ("name", "organisation", "phone", "email", "quantity", "message")
    }
    try:
        domain.clean_inquiry(**fields)
    except ValidationError as error:
        add_errors(form, error)
        return None
    limit = throttle.count(request)
    if limit is not None:
        return _limited(request, item, limit)
    inbox_url = None
    if item.province_id:
        inbox_url = request.build_absolute_uri(
            reverse("province:inquiries", kwargs={"province": item.province.slug})
        )
    try:
        domain.inquiry_send(product=item, language=get_language(), inbox_url=inbox_url, **fields)
    except ValidationError as error:
        add_errors(form, error)
        return None
    return _sent(request, item)


def _sent(request, item):
    messages.success(
        request,
        _(
            "Thank you. Your inquiry has been sent; the seller or the province's officers "
            "will contact you."
        ),
    )
    return redirect(reverse("catalog:product", kwargs={"product_id": item.pk}) + "#inquiry")


def _limited(request, item, limit: throttle.Limit):
    response = TemplateResponse(
        request,
        "catalog/limited.html",
        {"product": item, "limit": limit},
        status=429,
    )
    response["Retry-After"] = str(limit.seconds)
    return response


def pesantren(request, pesantren_id: int):
    """A pesantren's public profile: name, place, typology and its curated products."""
    item = queries.public_pesantren(pesantren_id)
    page = queries.catalogue_page(Criteria(pesantren=item.pk), _page_number(request))
    return TemplateResponse(
        request,
        "catalog/pesantren.html",
        {"pesantren": item, "page": page, "query": "", "thumbnail_side": THUMBNAIL_SIDE},
    )


@require_safe
def photo(request, photo_id: int, size: str = "image"):
    """A curated product's photo (or its thumbnail) with long cache headers; 404 otherwise."""
    item = queries.public_photo(photo_id)
    field = item.thumbnail if size == "thumbnail" else item.image
    if not field:
        raise Http404("no such file")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("the photo's file is missing") from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = PHOTO_CACHE
    return response


# --- The inbox (under /province/<slug>/inquiries/) ------------------------------------


def _inbox_or_404(request):
    inquiries = queries.inbox(request.user, request.province)
    if inquiries is None:
        raise Http404("no inquiry inbox for this user")
    return inquiries


def inbox(request):
    """Inquiries of the province (or of the account's pesantren), newest first, by status."""
    inquiries = _inbox_or_404(request)
    filters = InboxFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else None
    page = queries.inbox_page(inquiries, status=status or None, number=_page_number(request))
    counts = queries.inbox_counts(inquiries)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "catalog/inbox.html",
        {
            "page": page,
            "filters": filters,
            "status": status,
            "counts": [(code, label, counts.get(code, 0)) for code, label in InquiryStatus.choices],
            "total": sum(counts.values()),
            "query": query.urlencode(),
        },
    )


def inquiry(request, inquiry_id: int):
    """One inquiry with the buyer's contact; POST records the answer."""
    inquiries = _inbox_or_404(request)
    item = queries.inbox_inquiry(inquiries, inquiry_id)
    form = AnswerForm(request.POST or None, initial={"reply_note": item.reply_note})
    if request.method == "POST" and form.is_valid():
        try:
            domain.inquiry_answer(
                actor=request.user,
                inquiry=item,
                reply_note=form.cleaned_data["reply_note"],
                status=form.cleaned_data["status"],
            )
        except PermissionDenied:
            raise Http404("no such inquiry in this inbox") from None
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The answer has been recorded."))
            return redirect("province:inquiry", province=request.province.slug, inquiry_id=item.pk)
    return TemplateResponse(
        request,
        "catalog/inquiry.html",
        {"inquiry": item, "form": form, "phone_display": format_phone_display(item.phone)},
    )


@require_POST
def inquiry_status(request, inquiry_id: int):
    """Reopen an inquiry as new, or close it without a reply."""
    inquiries = _inbox_or_404(request)
    item = queries.inbox_inquiry(inquiries, inquiry_id)
    try:
        domain.inquiry_set_status(
            actor=request.user, inquiry=item, status=request.POST.get("status", "")
        )
    except PermissionDenied:
        raise Http404("no such inquiry in this inbox") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status has been changed."))
    return redirect("province:inquiry", province=request.province.slug, inquiry_id=item.pk)
