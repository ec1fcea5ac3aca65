"""Writing the audit log. Every domain function that changes state calls `record`."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from niaga.audit.context import current_ip
from niaga.audit.masking import mask
from niaga.audit.models import AuditEvent
from niaga.regions.models import Province


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a model instance as JSON-ready values (foreign keys as ids)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname) if field.is_relation else getattr(instance, name)
        data[name] = _jsonable(value)
    return data


def record(
    *,
    actor,
    action: str,
    province: Province | None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event to the audit log.

    `action` is a dotted name, `app.entity.verb` (e.g. `missions.deal.recorded`).
    `before` and `after` are masked here (see `masking.PERSONAL_FIELDS`), so
    callers pass plain data. `actor` may be None for the system itself.
    Call it inside the caller's transaction: the event is written, or not,
    together with the change it describes.
    """
    if action.count(".") < 2:
        raise ValueError(f"audit action {action!r} must be a dotted name app.entity.verb")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "system")[:150],
        province=province,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=mask(_jsonable(before)) if before is not None else None,
        after=mask(_jsonable(after)) if after is not None else None,
        ip_address=current_ip.get(),
    )
