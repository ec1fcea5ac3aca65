"""Every change to buyers' inquiries: sending one from the catalogue, answering, status.

An inquiry belongs to the province of its product and is written in that
province's scope. Spam protection (rate limits, the honeypot) is the
catalogue page's business (see `niaga.catalog.throttle`); these functions
check the content and who may answer.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.catalog.models import Inquiry, InquiryStatus
from niaga.catalog.queries import inbox
from niaga.registry.models import CurationStatus, Product
from niaga.registry.validators import format_phone_display, validate_phone

logger = logging.getLogger("niaga.catalog")

MAX_NAME = 150
MAX_ORGANISATION = 200
MAX_MESSAGE = 2000
MAX_REPLY = 4000
MAX_QUANTITY = 10_000_000
INQUIRY_FIELDS = ["product", "status", "quantity", "phone", "email", "language"]
ANSWER_FIELDS = ["status", "reply_note", "answered_by", "answered_at"]


def _text(value, field: str, limit: int, errors: dict, *, required: bool) -> str:
    text = (value or "").strip()
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        errors[field] = _("Remove the control characters from this field.")
    elif required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("At most %(count)s characters.") % {"count": limit}
    return text


def clean_inquiry(*, name, organisation, phone, email, quantity, message) -> dict[str, object]:
    """The inquiry's fields checked and normalised; ValidationError naming each bad field.

    Rules: a name and a message; a phone number (any Indonesian format, stored
    as +62…) or an e-mail address, at least one; a quantity, when given, a
    whole number from 1.
    """
    errors: dict[str, object] = {}
    data: dict[str, object] = {
        "name": _text(name, "name", MAX_NAME, errors, required=True),
        "organisation": _text(
            organisation, "organisation", MAX_ORGANISATION, errors, required=False
        ),
        "message": _text(message, "message", MAX_MESSAGE, errors, required=True),
    }
    phone = (phone or "").strip()
    email = (email or "").strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as error:
            errors["phone"] = error
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter an e-mail address such as nama@contoh.id.")
        if len(email) > 254:
            errors["email"] = _("At most %(count)s characters.") % {"count": 254}
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = _("Give a phone number or an e-mail address, so the seller can answer.")
    if quantity not in (None, ""):
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            errors["quantity"] = _("Enter a whole number.")
        else:
            if not 1 <= quantity <= MAX_QUANTITY:
                errors["quantity"] = _("Enter a whole number from 1 to %(max)s.") % {
                    "max": f"{MAX_QUANTITY:,}".replace(",", ".")
                }
    else:
        quantity = None
    if errors:
        raise ValidationError(
            {
                field: error if isinstance(error, ValidationError) else ValidationError(error)
                for field, error in errors.items()
            }
        )
    data.update(phone=phone, email=email.lower() if email else "", quantity=quantity)
    return data


def inquiry_send(
    *,
    product: Product,
    name: str,
    organisation: str = "",
    phone: str = "",
    email: str = "",
    quantity=None,
    message: str,
    language: str = "",
    inbox_url: str | None = None,
) -> Inquiry:
    """Save a buyer's inquiry about a curated product, for its province's inbox.

    Preconditions: `product` is curated (anything else is ValidationError on
    "product": the public page never offers it). Side effects: the inquiry
    (status new), an audit event "catalog.inquiry.sent" by "system" with the
    contact masked, and, after the commit, an e-mail to the product's
    pesantren when it has an address (`inbox_url` is put in it). Errors:
    ValidationError naming each bad field; nothing is saved.
    """
    data = clean_inquiry(
        name=name,
        organisation=organisation,
        phone=phone,
        email=email,
        quantity=quantity,
        message=message,
    )
    if product.status != CurationStatus.CURATED:
        raise ValidationError({"product": _("This product is not in the catalogue.")})
    province = product.province
    with scope(province=province), transaction.atomic():
        inquiry = Inquiry.objects.create(
            province=province, product=product, language=language[:8], **data
        )
        record(
            actor=None,
            action="catalog.inquiry.sent",
            province=province,
            obj=inquiry,
            after=snapshot(inquiry, INQUIRY_FIELDS),
        )
        transaction.on_commit(lambda: notify_owner(inquiry, product, inbox_url))
    return inquiry


def notify_owner(inquiry: Inquiry, product: Product, inbox_url: str | None) -> bool:
    """E-mail the product's pesantren about a new inquiry, if it has an address.

    Runs after the commit; a mail server that fails is logged, never raised:
    the inquiry is saved and waits in the inbox either way.
    """
    pesantren = product.pesantren if product.pesantren_id else None
    if pesantren is None or not pesantren.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Niaga: a buyer asks about %(product)s") % {"product": product.name}
        lines = [
            _("A buyer sent an inquiry from the Niaga catalogue."),
            "",
            _("Product: %(product)s") % {"product": product.name},
            _("Name: %(name)s") % {"name": inquiry.name},
        ]
        if inquiry.organisation:
            lines.append(
                _("Organisation: %(organisation)s") % {"organisation": inquiry.organisation}
            )
        if inquiry.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": format_phone_display(inquiry.phone)})
        if inquiry.email:
            lines.append(_("E-mail: %(email)s") % {"email": inquiry.email})
        if inquiry.quantity:
            lines.append(_("Quantity: %(quantity)s") % {"quantity": inquiry.quantity})
        lines += ["", inquiry.message, ""]
        if inbox_url:
            lines.append(_("Answer it and mark it answered in Niaga: %(url)s") % {"url": inbox_url})
        body = "\n".join(str(line) for line in lines)
    try:
        EmailMessage(subject, body, to=[pesantren.email]).send()
    except Exception:
        logger.exception("inquiry %s: the e-mail to the pesantren could not be sent", inquiry.pk)
        return False
    return True


def _check_answerer(actor, inquiry: Inquiry) -> None:
    inquiries = inbox(actor, inquiry.province)
    if inquiries is None or not inquiries.filter(pk=inquiry.pk).exists():
        raise PermissionDenied("not in this user's inbox")


def inquiry_answer(
    *, actor, inquiry: Inquiry, reply_note: str, status: str = InquiryStatus.ANSWERED
) -> Inquiry:
    """Record the answer given to a buyer and set the status to answered (or closed).

    Preconditions: the inquiry is in `actor`'s inbox (officers with
    catalog.answer_inquiry, or the pesantren account of the product's
    pesantren); otherwise PermissionDenied. `reply_note` says what was answered
    and how (required for "answered"). Side effects: answered_by and
    answered_at are set; audit "catalog.inquiry.answered". Errors:
    ValidationError on "reply_note" or "status"; nothing changes.
    """
    errors: dict[str, str] = {}
    note = _text(
        reply_note, "reply_note", MAX_REPLY, errors, required=status == InquiryStatus.ANSWERED
    )
    if status not in (InquiryStatus.ANSWERED, InquiryStatus.CLOSED):
        errors["status"] = _("Choose answered or closed.")
    if errors:
        raise ValidationError(errors)
    with scope(province=inquiry.province), transaction.atomic():
        current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        _check_answerer(actor, current)
        before = snapshot(current, ANSWER_FIELDS)
        current.status = status
        current.reply_note = note
        current.answered_by = actor
        current.answered_at = timezone.now()
        current.save(update_fields=["status", "reply_note", "answered_by", "answered_at"])
        record(
            actor=actor,
            action="catalog.inquiry.answered",
            province=current.province,
            obj=current,
            before=before,
            after=snapshot(current, ANSWER_FIELDS),
        )
    return current


def inquiry_set_status(*, actor, inquiry: Inquiry, status: str) -> Inquiry:
    """Move an inquiry to another status (close it without a reply, or reopen it as new).

    Preconditions and errors as `inquiry_answer`; the reply note is kept.
    Side effect: audit "catalog.inquiry.status_changed". Setting the status it
    already has changes nothing and writes no event.
    """
    if status not in InquiryStatus.values:
        raise ValidationError({"status": _("Choose new, answered or closed.")})
    with scope(province=inquiry.province), transaction.atomic():
        current = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        _check_answerer(actor, current)
        if current.status == status:
            return current
        before = snapshot(current, ["status"])
        current.status = status
        current.save(update_fields=["status"])
        record(
            actor=actor,
            action="catalog.inquiry.status_changed",
            province=current.province,
            obj=current,
            before=before,
            after=snapshot(current, ["status"]),
        )
    return current
