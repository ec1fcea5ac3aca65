"""The people pages of a province space: list, register, edit, profile, consents,
showing a NIK, and a person's data package and erasure (UU PDP).

A clear NIK reaches a page in one place only: the response to "Show NIK"
(never cached). A NIK typed into a form is not written back into the page,
and the NIK search is a POST, so a NIK never ends up in an address, a
browser history or an access log.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from niaga.core.scoping import require_province_perm
from niaga.registry import people_export, validators
from niaga.registry.domain import people as domain
from niaga.registry.forms_people import (
    ConsentForm,
    EraseForm,
    NikSearchForm,
    PersonEditForm,
    PersonFilterForm,
    PersonForm,
    RevealForm,
)
from niaga.registry.models import Consent, Person
from niaga.registry.models.people import ADULT_AGE

PEOPLE_PER_PAGE = 50
EXPORT_FORMATS = ("json", "pdf")


def _person_or_404(request, person_id: int) -> Person:
    """A person of this province space (the scope hides every other province's)."""
    person = (
        Person.objects.select_related("pesantren", "regency__province").filter(pk=person_id).first()
    )
    if person is None:
        raise Http404("no such person in this province space")
    return person


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _perms(request) -> dict[str, bool]:
    user, province = request.user, request.province
    can_manage = user.has_perm("registry.manage_registry", province)
    can_personal = user.has_perm("registry.manage_personal_data", province)
    return {
        "can_manage": can_manage,
        "can_reveal": user.has_perm("registry.reveal_nik", province),
        "can_personal_data": can_personal,
        "can_consent": can_manage or can_personal,
    }


def adult_cutoff(today: dt.date) -> dt.date:
    """The latest birth date of someone who is 18 or older on `today`.

    Matches `Person.is_minor`: a 29 February birthday counts on 1 March.
    """
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # today is 29 February, 18 years ago was no leap year
        return dt.date(today.year - ADULT_AGE, 2, 28)


def filtered_people(province, form: PersonFilterForm):
    """The province's people matching the filter form (bound and valid, or not)."""
    people = Person.objects.filter(province=province)
    if not (form.is_bound and form.is_valid()):
        return people
    data = form.cleaned_data
    for word in form.words():
        people = people.filter(full_name__icontains=word)
    if data["pesantren"]:
        people = people.filter(pesantren=data["pesantren"])
    for name in ("role", "pillar", "gender"):
        if data[name]:
            people = people.filter(**{name: data[name]})
    if data["minors"]:
        cutoff = adult_cutoff(timezone.localdate())
        people = people.filter(Q(birth_date__isnull=True) | Q(birth_date__gt=cutoff))
    return people


@require_province_perm("registry.view_registry")
def person_list(request, *, nik_form: NikSearchForm | None = None):
    from niaga.registry.exporting import maybe_export

    province = request.province
    filters = PersonFilterForm(request.GET or None, province=province)
    people = filtered_people(province, filters)
    export = maybe_export(request, resource="people", queryset=people)
    if export is not None:
        return export
    rows = (
        people.select_related("pesantren")
        .annotate(
            consents_active=Count("consents", filter=Q(consents__withdrawn_on__isnull=True)),
            consents_total=Count("consents"),
        )
        .order_by("full_name", "id")
    )
    page = Paginator(rows, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for person in page:
        person.age_now = person.age(today)
        person.minor_now = person.is_minor(today)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "registry/people/list.html",
        {
            "filters": filters,
            "nik_form": nik_form or NikSearchForm(),
            "page": page,
            "query": query.urlencode(),
            **_perms(request),
        },
    )


@require_POST
@require_province_perm("registry.view_registry")
def person_find_nik(request):
    """Look a person up by exact NIK (through its keyed hash) and open their page."""
    form = NikSearchForm(request.POST)
    if form.is_valid():
        try:
            person = domain.person_find_by_nik(
                province=request.province, nik=form.cleaned_data["nik"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if person is not None:
                return redirect(
                    "province:person", province=request.province.slug, person_id=person.pk
                )
            form.add_error("nik", _("No person with this NIK is registered in this province."))
    return person_list(request, nik_form=form)


@require_province_perm("registry.manage_registry")
def person_create(request):
    province = request.province
    form = PersonForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            person = domain.person_create(
                actor=request.user,
                province=province,
                nik=form.cleaned_data["nik"],
                **form.domain_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has been registered.") % {"name": person.full_name}
            )
            return redirect("province:person", province=province.slug, person_id=person.pk)
    return TemplateResponse(request, "registry/people/form.html", {"form": form, "person": None})


@require_province_perm("registry.manage_registry")
def person_edit(request, person_id: int):
    person = _person_or_404(request, person_id)
    if person.is_erased:
        messages.error(
            request,
            _("This person's personal data has been erased; the record can no longer be changed."),
        )
        return redirect("province:person", province=request.province.slug, person_id=person.pk)
    form = PersonEditForm(
        request.POST or None,
        initial=PersonEditForm.initial_for(person),
        province=request.province,
        person=person,
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.person_update(
                actor=request.user,
                person=person,
                version=form.cleaned_data["version"],
                nik=form.cleaned_data["nik"] or None,
                **form.domain_fields(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) in ("conflict", "erased"):
                messages.error(request, error.messages[0])
                return redirect(
                    "province:person_edit", province=request.province.slug, person_id=person.pk
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("province:person", province=request.province.slug, person_id=person.pk)
    return TemplateResponse(request, "registry/people/form.html", {"form": form, "person": person})


def _detail(request, person: Person, *, consent_form: ConsentForm | None = None):
    from niaga.registry.models import Enterprise, Product

    consents = list(
        Consent.objects.filter(person=person)
        .select_related("recorded_by")
        .order_by("purpose", "-given_on", "-id")
    )
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "registry/people/detail.html",
        {
            "person": person,
            "age": person.age(today),
            "is_minor": person.is_minor(today),
            "phone_display": validators.format_phone_display(person.phone),
            "consents": consents,
            "consent_form": consent_form or ConsentForm(),
            "enterprises": list(
                Enterprise.objects.filter(owner=person)
                .select_related("pesantren")
                .order_by("name", "id")
            ),
            "products": list(Product.objects.filter(owner_person=person).order_by("name", "id")),
            **_perms(request),
        },
        status=400 if consent_form is not None and consent_form.errors else 200,
    )


@require_province_perm("registry.view_registry")
def person_detail(request, person_id: int):
    return _detail(request, _person_or_404(request, person_id))


@require_POST
def consent_create(request, person_id: int):
    if not _perms(request)["can_consent"]:
        raise Http404("no such page in this province space")
    person = _person_or_404(request, person_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            domain.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "erased":
                messages.error(request, error.messages[0])
                return redirect(
                    "province:person", province=request.province.slug, person_id=person.pk
                )
            _add_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect("province:person", province=request.province.slug, person_id=person.pk)
    return _detail(request, person, consent_form=form)


@require_POST
def consent_withdraw(request, person_id: int, consent_id: int):
    if not _perms(request)["can_consent"]:
        raise Http404("no such page in this province space")
    person = _person_or_404(request, person_id)
    consent = Consent.objects.filter(pk=consent_id, person=person).first()
    if consent is None:
        raise Http404("no such consent")
    try:
        domain.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent has been withdrawn."))
    return redirect("province:person", province=request.province.slug, person_id=person.pk)


@never_cache
@require_province_perm("registry.reveal_nik")
def person_reveal_nik(request, person_id: int):
    """Ask why, then show the NIK once. The answer is never cached (Cache-Control: no-store)."""
    person = _person_or_404(request, person_id)
    form = RevealForm(request.POST or None)
    nik = None
    if request.method == "POST" and form.is_valid():
        try:
            nik = domain.person_reveal_nik(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404("no such page in this province space") from None
    response = TemplateResponse(
        request,
        "registry/people/reveal.html",
        {"person": person, "form": form, "nik": nik},
    )
    return response


@never_cache
@require_POST
@require_province_perm("registry.manage_personal_data")
def person_export(request, person_id: int, fmt: str):
    """The person's data package as a download: JSON, or a PDF to hand over."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("unknown format")
    person = _person_or_404(request, person_id)
    data = domain.person_export(actor=request.user, person=person, fmt=fmt)
    filename = people_export.filename(data, fmt)
    if fmt == "json":
        response = HttpResponse(
            people_export.as_json(data), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(people_export.as_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_province_perm("registry.manage_personal_data")
def person_erase(request, person_id: int):
    person = _person_or_404(request, person_id)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and not person.is_erased and form.is_valid():
        try:
            domain.person_erase(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The personal data has been erased. The record stays, anonymised, "
                    "so counts are kept."
                ),
            )
        return redirect("province:person", province=request.province.slug, person_id=person.pk)
    return TemplateResponse(request, "registry/people/erase.html", {"person": person, "form": form})
