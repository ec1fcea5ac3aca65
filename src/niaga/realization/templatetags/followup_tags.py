"""Follow-up template helpers: masked phone numbers and the home page's reminders."""

from __future__ import annotations

from django import template

from niaga.accounts.queries import roles_by_province
from niaga.audit.masking import mask_phone
from niaga.realization import followup
from niaga.realization.rules import FOLLOW_UP_ROLES, MANAGER_ROLES

register = template.Library()
REMINDER_ROWS = 5


@register.filter
def masked_phone(value) -> str:
    """'081234567890' → '0812*****890' (lists show phone numbers masked)."""
    return mask_phone(value) if value else ""


@register.inclusion_tag("realization/_reminders.html", takes_context=True)
def followup_reminders(context):
    """The province home page's card: the stale deals this officer should chase
    (assigned to them; a manager also sees those nobody is assigned to)."""
    request = context["request"]
    province = context.get("province") or getattr(request, "province", None)
    roles = roles_by_province(request.user).get(getattr(province, "pk", None), frozenset())
    if province is None or not roles & FOLLOW_UP_ROLES:
        return {"show": False}
    manager = bool(roles & MANAGER_ROLES)
    rows = followup.reminders_for(request.user, province, manager=manager)
    return {
        "show": True,
        "province": province,
        "rows": rows[:REMINDER_ROWS],
        "count": len(rows),
        "manager": manager,
    }
