"""Every write about indicators: their definitions, dated figures and targets.

Each function checks the actor's permission (`programs.manage_indicators` in
the program's province; an actor of None is the system itself: demo loading,
replication and commands; anyone else without it gets PermissionDenied),
validates all of its input first, then writes inside one transaction and
records an audit event `programs.<entity>.<verb>` in it. Bad input raises
`ValidationError` keyed by the model field name, each error with a code, and
changes nothing. Every function opens the province scope of the program it
works on, so a command or a test cannot forget it.

An indicator's `key` names what it measures (and, when `source` is
"computed", the computation in `niaga.programs.indicators`); it is fixed once
created. Figures are history: a wrong figure is deleted (audited, with its
values) and recorded again. A target is set per year, for the province or
one regency, and setting it again changes it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.audit.domain import record, snapshot
from niaga.core.money import MoneyError, format_rupiah, parse_rupiah
from niaga.programs.domain.checks import (
    Errors,
    clean_choice,
    clean_past_date,
    clean_text,
    locked,
    province_of,
    require,
)
from niaga.programs.models import (
    Indicator,
    IndicatorFigure,
    IndicatorKey,
    IndicatorSource,
    Program,
    Target,
)
from niaga.regions.models import Province, Regency

MANAGE_INDICATORS = "programs.manage_indicators"
INDICATOR_FIELDS = ["program", "key", "name", "source", "order"]
FIGURE_FIELDS = ["indicator", "as_of", "regency", "value", "source_note"]
TARGET_FIELDS = ["indicator", "year", "regency", "value"]
EDITABLE_FIELDS = ("name", "source", "order")
# The eight indicators of OPOP, in the order a dashboard shows them. All are
# computed from the registry and the program's own records; history from
# before the system is added to them as dated figures.
STANDARD_KEYS = [
    IndicatorKey.SANTRIPRENEURS,
    IndicatorKey.PESANTRENPRENEURS,
    IndicatorKey.SOSIOPRENEURS,
    IndicatorKey.PRODUCTS,
    IndicatorKey.CURATED_PRODUCTS,
    IndicatorKey.PESANTREN_ASSISTED,
    IndicatorKey.TRAINING_GRADUATES,
    IndicatorKey.GRANTS_DISBURSED,
]
# Figures and targets are about OPOP's time and the years before it; an
# earlier date or year is a typing mistake.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_TARGET_YEAR = 2100
# Far above any real count or sum of grants, far inside a BigIntegerField.
MAX_VALUE = 10**15
_GROUPED = re.compile(r"[0-9]{1,3}(?:[. ][0-9]{3})+")


def _default_name(key: str) -> str:
    # Names are data, shown to everyone in the site's own language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(IndicatorKey(key).label)


def _order(errors: Errors, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add("order", _("Give the position as a whole number."), "invalid")
        return None
    if not 0 <= number <= 999:
        errors.add("order", _("The position is a number from 0 to 999."), "out_of_range")
        return None
    return number


def _date(errors: Errors, field: str, value: Any, province: Province) -> dt.date | None:
    """A date from 2000-01-01 to today where the province is."""
    return clean_past_date(
        errors,
        field,
        value,
        province,
        earliest=EARLIEST_DATE,
        future_message=_("A figure is what was counted; its date cannot be in the future."),
    )


def parse_count(text: str) -> int:
    """A whole number as people type it: 239993, 239.993 or 239 993. ValueError otherwise."""
    cleaned = " ".join(text.split())
    if cleaned.isdigit():
        return int(cleaned)
    if _GROUPED.fullmatch(cleaned):
        return int(re.sub(r"[. ]", "", cleaned))
    raise ValueError(text)


def _value(errors: Errors, value: Any, *, money: bool, positive: bool) -> int | None:
    """A whole number (rupiah for money), zero or more (more than zero for a target)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add("value", _("Give the value."), "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.add("value", _("Give the value as a whole number."), "invalid")
        return None
    if isinstance(value, str):
        if money:
            try:
                value = parse_rupiah(value)
            except MoneyError as error:
                errors.add("value", error.message, error.code, error.params)
                return None
        elif value.strip()[:1] in ("-", "\u2212"):
            errors.add("value", _("The value cannot be negative."), "min_value")
            return None
        else:
            try:
                value = parse_count(value)
            except ValueError:
                errors.add(
                    "value",
                    _("Give a whole number, digits grouped by dots if you like: 239.993."),
                    "invalid",
                )
                return None
    if value < 0:
        errors.add("value", _("The value cannot be negative."), "min_value")
    elif positive and value == 0:
        errors.add("value", _("A target is more than zero."), "min_value")
    elif value > MAX_VALUE:
        limit = format_rupiah(MAX_VALUE) if money else f"{MAX_VALUE:,}".replace(",", ".")
        errors.add(
            "value",
            _("The value can be at most %(limit)s; check the number of zeros."),
            "max_value",
            {"limit": limit},
        )
    return value


def _regency(errors: Errors, value: Any, province: Province) -> Regency | None:
    """None (the whole province), or a regency/city of the province (instance or code)."""
    if value in (None, ""):
        return None
    code = value.pk if isinstance(value, Regency) else str(value).strip()
    found = Regency.objects.filter(pk=code, province=province).first()
    if found is None:
        errors.add(
            "regency",
            _("Choose a regency or city of %(province)s.") % {"province": province.name},
            "regency_province",
        )
    return found


def _year(errors: Errors, value: Any) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors.add("year", _("Give the year with four digits, e.g. 2024."), "invalid")
        return None
    if not EARLIEST_DATE.year <= year <= LATEST_TARGET_YEAR:
        errors.add(
            "year",
            _("The year is between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.year, "last": LATEST_TARGET_YEAR},
            "year_range",
        )
        return None
    return year


def _next_order(program: Program) -> int:
    highest = Indicator.objects.filter(program=program).aggregate(top=Max("order"))["top"]
    return 1 if highest is None else highest + 1


# --- Indicators ------------------------------------------------------------------


def indicator_create(
    *, actor, program: Program, key: str, name: str | None = None, source: str, order=None
) -> Indicator:
    """Define an indicator of `program`.

    Rules: `key` is an IndicatorKey, once per program; `source` is
    "computed" or "entered"; `name` defaults to the key's label in the site's
    language (at most 200 characters); `order` (0–999) defaults to after the
    last indicator. Side effects: the indicator and audit
    `programs.indicator.create`. Errors: PermissionDenied without
    programs.manage_indicators; ValidationError on key (invalid_choice,
    unique), name, source or order; nothing saved.
    """
    province = province_of(program)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province):
        errors = Errors()
        key = clean_choice(errors, "key", key, IndicatorKey.values)
        source = clean_choice(errors, "source", source, IndicatorSource.values)
        clean_order = _order(errors, order)
        if name is None or not str(name).strip():
            clean_name = _default_name(key) if key in IndicatorKey.values else ""
        else:
            clean_name = clean_text(errors, Indicator, "name", name, required=True)
        taken = Indicator.objects.filter(program=program, key=key)
        if key in IndicatorKey.values and taken.exists():
            errors.add(
                "key",
                _("%(program)s already has the indicator “%(indicator)s”.")
                % {"program": program.name, "indicator": IndicatorKey(key).label},
                "unique",
            )
        errors.raise_any()
        with transaction.atomic():
            indicator = Indicator.objects.create(
                province=province,
                program=program,
                key=key,
                name=clean_name,
                source=source,
                order=_next_order(program) if clean_order is None else clean_order,
            )
            record(
                actor=actor,
                action="programs.indicator.create",
                province=province,
                obj=indicator,
                after=snapshot(indicator, INDICATOR_FIELDS),
            )
    return indicator


def indicator_update(*, actor, indicator: Indicator, **changes) -> Indicator:
    """Change an indicator's name, source or order (its key is fixed).

    Only the fields given change. Side effects: audit
    `programs.indicator.update` with the values before and after (none when
    nothing changed). Errors: PermissionDenied; ValidationError on name,
    source or order; TypeError for any other field (a programming error).
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    province = province_of(indicator)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province):
        errors = Errors()
        clean: dict[str, Any] = {}
        if "name" in changes:
            clean["name"] = clean_text(errors, Indicator, "name", changes["name"], required=True)
        if "source" in changes:
            clean["source"] = clean_choice(
                errors, "source", changes["source"], IndicatorSource.values
            )
        if "order" in changes:
            clean["order"] = _order(errors, changes["order"])
            if clean["order"] is None and "order" not in errors.by_field:
                errors.add("order", _("Give the position as a whole number."), "required")
        errors.raise_any()
        with transaction.atomic():
            current = locked(Indicator, indicator)
            before = snapshot(current, list(EDITABLE_FIELDS))
            for field, value in clean.items():
                setattr(current, field, value)
            after = snapshot(current, list(EDITABLE_FIELDS))
            if after != before:
                current.save(update_fields=list(clean))
                record(
                    actor=actor,
                    action="programs.indicator.update",
                    province=province,
                    obj=current,
                    before=before,
                    after=after,
                )
    for field, value in clean.items():
        setattr(indicator, field, value)
    return indicator


def indicator_delete(*, actor, indicator: Indicator) -> None:
    """Delete an indicator that has no figures and no targets.

    An indicator with history is kept: its figures and targets must be
    deleted first, each on its own record (audited), so that no figure
    disappears as a side effect. Side effects: audit
    `programs.indicator.delete` with the definition. Errors:
    PermissionDenied; ValidationError (non-field, code "has_history")
    naming how many figures and targets it has.
    """
    province = province_of(indicator)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province), transaction.atomic():
        current = locked(Indicator, indicator)
        figures = IndicatorFigure.objects.filter(indicator=current).count()
        targets = Target.objects.filter(indicator=current).count()
        if figures or targets:
            raise ValidationError(
                _(
                    "“%(name)s” has %(figures)s figure(s) and %(targets)s target(s); "
                    "delete them first, so that no figure disappears unnoticed."
                ),
                code="has_history",
                params={"name": current.name, "figures": figures, "targets": targets},
            )
        before = snapshot(current, INDICATOR_FIELDS)
        record(
            actor=actor,
            action="programs.indicator.delete",
            province=province,
            obj=current,
            before=before,
        )
        current.delete()


def indicators_add_standard(*, actor, program: Program) -> list[Indicator]:
    """Add those of OPOP's eight standard indicators that `program` lacks.

    Each is computed from the registry and the program's records, named by
    its label in the site's language, placed after the existing ones in the
    standard order. Returns the indicators created (none when all exist).
    Side effects: one audit `programs.indicator.create` per indicator.
    Errors: PermissionDenied.
    """
    province = province_of(program)
    require(actor, MANAGE_INDICATORS, province)
    created = []
    with scope(province=province), transaction.atomic():
        present = set(Indicator.objects.filter(program=program).values_list("key", flat=True))
        for key in STANDARD_KEYS:
            if key.value in present:
                continue
            created.append(
                indicator_create(
                    actor=actor, program=program, key=key.value, source=IndicatorSource.COMPUTED
                )
            )
    return created


# --- Figures ---------------------------------------------------------------------


def figure_record(
    *, actor, indicator: Indicator, as_of, value, source_note: str, regency=None
) -> IndicatorFigure:
    """Record a figure of `indicator` as it stood on `as_of`, with its source.

    Rules: `as_of` a date from 2000-01-01 to today (in the province's zone);
    `value` a whole number ≥ 0 (an int, or text: "239.993", or rupiah as
    people type them for grants: "Rp 2,5 miliar"); `source_note` says where
    the figure comes from ("Dinas KUKM Jatim"), at most 300 characters;
    `regency` None (the whole province) or a regency/city of the province
    (instance or code); at most one figure per indicator, regency and date
    (a wrong one is deleted and recorded again). Side effects: the figure and
    audit `programs.figure.record`. Errors: PermissionDenied; ValidationError
    on as_of, value, source_note or regency; nothing saved.
    """
    province = province_of(indicator)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province):
        errors = Errors()
        clean = {
            "as_of": _date(errors, "as_of", as_of, province),
            "value": _value(errors, value, money=indicator.is_money, positive=False),
            "source_note": clean_text(
                errors, IndicatorFigure, "source_note", source_note, required=True
            ),
            "regency": _regency(errors, regency, province),
        }
        if "as_of" not in errors.by_field and "regency" not in errors.by_field:
            taken = IndicatorFigure.objects.filter(
                indicator=indicator, as_of=clean["as_of"], regency=clean["regency"]
            ).exists()
            if taken:
                errors.add(
                    "as_of",
                    _(
                        "A figure as of this date is already recorded for this area; "
                        "delete it first to correct it."
                    ),
                    "unique",
                )
        errors.raise_any()
        with transaction.atomic():
            figure = IndicatorFigure.objects.create(
                province=province,
                indicator=indicator,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                **clean,
            )
            record(
                actor=actor,
                action="programs.figure.record",
                province=province,
                obj=figure,
                after=snapshot(figure, FIGURE_FIELDS),
            )
    return figure


def figure_delete(*, actor, figure: IndicatorFigure) -> None:
    """Delete a figure recorded by mistake. Side effects: audit
    `programs.figure.delete` with the figure's values. Errors: PermissionDenied."""
    province = province_of(figure)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province), transaction.atomic():
        current = locked(IndicatorFigure, figure)
        record(
            actor=actor,
            action="programs.figure.delete",
            province=province,
            obj=current,
            before=snapshot(current, FIGURE_FIELDS),
        )
        current.delete()


# --- Targets ---------------------------------------------------------------------


def _save_target(actor, province, indicator, year, regency, value) -> Target:
    with transaction.atomic():
        # Ordered by id only: the default ordering joins the (nullable)
        # regency, and PostgreSQL locks no row of an outer join.
        current = (
            Target.objects.select_for_update()
            .filter(indicator=indicator, year=year, regency=regency)
            .order_by("pk")
            .first()
        )
        before = None
        if current is None:
            current = Target(
                province=province, indicator=indicator, year=year, regency=regency, value=value
            )
        else:
            before = snapshot(current, TARGET_FIELDS)
            current.value = value
        current.save()
        after = snapshot(current, TARGET_FIELDS)
        if before != after:
            record(
                actor=actor,
                action="programs.target.set",
                province=province,
                obj=current,
                before=before,
                after=after,
            )
    return current


def target_set(*, actor, indicator: Indicator, year, value, regency=None) -> Target:
    """Set what `indicator` should reach by the end of `year`, for the province
    (no regency) or one regency/city: created, or changed when one is set.

    Rules: `year` from 2000 to 2100; `value` a whole number > 0 (text as for
    figures); `regency` of the program's province. Side effects: the target
    and audit `programs.target.set` (before: the earlier value, if any).
    Errors: PermissionDenied; ValidationError on year, value or regency.
    """
    province = province_of(indicator)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province):
        errors = Errors()
        clean_year = _year(errors, year)
        clean_value = _value(errors, value, money=indicator.is_money, positive=True)
        clean_regency = _regency(errors, regency, province)
        errors.raise_any()
        try:
            current = _save_target(
                actor, province, indicator, clean_year, clean_regency, clean_value
            )
        except IntegrityError:
            # Another officer created the same target in the same instant: ours
            # changes theirs, as if it had come a moment later.
            current = _save_target(
                actor, province, indicator, clean_year, clean_regency, clean_value
            )
    return current


def target_delete(*, actor, target: Target) -> None:
    """Delete a target. Side effects: audit `programs.target.delete` with its
    values. Errors: PermissionDenied."""
    province = province_of(target)
    require(actor, MANAGE_INDICATORS, province)
    with scope(province=province), transaction.atomic():
        current = locked(Target, target)
        record(
            actor=actor,
            action="programs.target.delete",
            province=province,
            obj=current,
            before=snapshot(current, TARGET_FIELDS),
        )
        current.delete()
