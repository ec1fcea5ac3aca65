"""Every write to a province's OPOP program itself: the program, its team and
its curriculum; replication from another province's program is in
`program_replication` and exported here too.

Each function checks the actor's permission in the program's province
(`programs.manage_program`; replication `programs.replicate_program`; an
actor of None is the system itself: demo loading and commands) and raises
PermissionDenied without it. It validates all of its input first, then writes
inside one transaction and records an audit event `programs.<entity>.<verb>`
in the same transaction. Bad input raises `ValidationError` keyed by the model
field name, each error with a code, its message in the active (the user's)
language, and changes nothing. Every function opens the scope of the province
it works in, so that commands and tests cannot forget it.

Updates take the `version` the editor read: if the row moved on since,
`ValidationError(code="conflict")` and nothing is written.

Curriculum modules are numbered 1..n within their program, without gaps,
after every create, delete and move (see `_renumber` for how that is done
without ever breaking the unique (program, order) constraint).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from niaga.accounts.models import Membership, Role
from niaga.audit.domain import record, snapshot
from niaga.programs.domain.checks import (
    Errors,
    apply_changes,
    clean_text,
    conflict_error,
    locked,
    paragraphs,
    province_of,
    record_update,
    reject_unknown,
    require,
)
from niaga.programs.domain.program_checks import (
    MANAGE,
    PROGRAM_FIELDS,
    clean_program,
    save_program,
)
from niaga.programs.domain.program_replication import Copied, program_replicate
from niaga.programs.models import CurriculumModule, Program, TeamDuty, TeamMember
from niaga.regions.models import Province

__all__ = [
    "MODULE_FIELDS",
    "PROGRAM_FIELDS",
    "Copied",
    "conflict_error",
    "module_create",
    "module_delete",
    "module_move",
    "module_update",
    "program_create",
    "program_replicate",
    "program_update",
    "team_member_add",
    "team_member_remove",
]

MODULE_FIELDS = ["title", "description", "hours", "learning_outcomes"]
MAX_MODULE_HOURS = 1000
# Far below a smallint's 32767, so that renumbering through "order + highest"
# never overflows.
MAX_MODULES = 200


# --- The program -------------------------------------------------------------------


def program_create(*, actor, province: Province, **fields) -> Program:
    """Create an OPOP program of `province`.

    `fields`: PROGRAM_FIELDS. Rules: `slug` required, lowercase letters,
    digits and single hyphens, at most 50, not "new" or "replicate"
    ("reserved"), unique across every province ("slug_taken"); `name`
    required; `launch_date` optional, from 2019-01-01 ("too_early") and at
    most a year after today in the province ("too_late"); `pillars`,
    `aspects` and `delivery_modes` subsets of Pillar, SupportAspect and
    DeliveryMode ("invalid_choice"), stored once each in declared order;
    `status` a ProgramStatus (default active). Side effect: audit
    `programs.program.create`. Errors: PermissionDenied without
    programs.manage_program; ValidationError per field.
    """
    reject_unknown(fields, PROGRAM_FIELDS)
    require(actor, MANAGE, province)
    with scope(province=province):
        clean = clean_program(fields, province=province, current_pk=None)
        with transaction.atomic():
            program = Program(province=province, **clean)
            save_program(program)
            record(
                actor=actor,
                action="programs.program.create",
                province=province,
                obj=program,
                after=snapshot(program, PROGRAM_FIELDS),
            )
    return program


def program_update(*, actor, program: Program, version: int, **fields) -> Program:
    """Change a program's fields (any of PROGRAM_FIELDS), checked as in `program_create`.

    `version` is the one the editor read: if the program changed since,
    ValidationError(code="conflict") and nothing is written. When something
    changed, the version goes up by one and `programs.program.update` records
    the changed fields before and after. The origin of a replicated program
    cannot be changed. Errors: PermissionDenied; ValidationError.
    """
    reject_unknown(fields, PROGRAM_FIELDS)
    province = province_of(program)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        current = locked(Program, program, version, require_version=True)
        data = {**{f: getattr(current, f) for f in PROGRAM_FIELDS}, **fields}
        clean = clean_program(data, province=province, current_pk=current.pk)
        before, after = apply_changes(current, clean, PROGRAM_FIELDS)
        if not after:
            return current
        current.version += 1
        save_program(current)
        record_update(actor, "programs.program.update", province, current, before, after, version)
    return current


# --- The team ----------------------------------------------------------------------


def team_member_add(*, actor, program: Program, user, duty: str) -> TeamMember:
    """Put an officer of the program's province on its team with a duty.

    Rules: `user` holds a role in the province's team other than a pesantren
    account and is active ("not_in_province" on `user`); not on this team yet
    ("already_member"); `duty` a TeamDuty ("invalid_choice"). Side effect:
    audit `programs.team_member.add` (the officer by id and username).
    Errors: PermissionDenied without programs.manage_program; ValidationError.
    """
    province = province_of(program)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        # Locking the program serialises two admins adding the same officer.
        owner = Program.objects.select_for_update().get(pk=program.pk)
        errors = Errors()
        if user is None:
            errors.add("user", _("Choose an officer."), "required")
        elif not (
            user.is_active
            and Membership.objects.filter(province=province, user=user)
            .exclude(role=Role.PESANTREN)
            .exists()
        ):
            errors.add(
                "user",
                _("Choose an officer of the %(province)s team."),
                "not_in_province",
                {"province": province.name},
            )
        elif TeamMember.objects.filter(program=owner, user=user).exists():
            errors.add(
                "user",
                _("%(name)s is already on this program's team."),
                "already_member",
                {"name": user.display_name},
            )
        if duty not in TeamDuty.values:
            errors.add(
                "duty",
                _("Choose among the offered values; “%(value)s” is not one."),
                "invalid_choice",
                {"value": str(duty or "")[:40]},
            )
        errors.raise_any()
        member = TeamMember.objects.create(province=province, program=owner, user=user, duty=duty)
        record(
            actor=actor,
            action="programs.team_member.add",
            province=province,
            obj=member,
            after={"program": owner.pk, "user": user.pk, "username": user.username, "duty": duty},
        )
    return member


def team_member_remove(*, actor, member: TeamMember) -> None:
    """Take an officer off a program's team (their account stays as it is).

    Side effect: audit `programs.team_member.remove` with what was removed.
    Errors: PermissionDenied without programs.manage_program.
    """
    province = province_of(member)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        current = TeamMember.objects.select_related("user").select_for_update().get(pk=member.pk)
        before = {
            "program": current.program_id,
            "user": current.user_id,
            "username": current.user.username,
            "duty": current.duty,
        }
        record(
            actor=actor,
            action="programs.team_member.remove",
            province=province,
            obj=current,
            before=before,
        )
        current.delete()


# --- The curriculum ---------------------------------------------------------------


def _clean_module(data: dict) -> dict:
    errors = Errors()
    clean = {
        "title": clean_text(errors, CurriculumModule, "title", data.get("title"), required=True),
        "description": paragraphs(data.get("description")),
        "learning_outcomes": clean_text(
            errors, CurriculumModule, "learning_outcomes", data.get("learning_outcomes"), lines=True
        ),
    }
    hours = data.get("hours")
    if hours in (None, ""):
        hours = 0
    elif isinstance(hours, str) and hours.strip().isdigit():
        hours = int(hours.strip())
    if isinstance(hours, bool) or not isinstance(hours, int):
        errors.add("hours", _("Give a whole number of hours, like 16."), "invalid")
    elif not 0 <= hours <= MAX_MODULE_HOURS:
        errors.add(
            "hours",
            _("Give a number of hours from 0 to %(maximum)s."),
            "range",
            {"maximum": MAX_MODULE_HOURS},
        )
    clean["hours"] = hours
    errors.raise_any()
    return clean


def _renumber(program: Program, modules: list[CurriculumModule]) -> list[CurriculumModule]:
    """Give `modules` (all of the program's, in their new sequence) the orders 1..n.

    The (program, order) constraint is unique and checked row by row, even
    inside one UPDATE, so orders are never swapped in place: first every
    module whose order changes is lifted above the highest order in use (one
    UPDATE; the lifted values are distinct and collide with nothing), then
    each gets its final order, which no other row holds any more. The caller
    holds the program's row lock. Returns the modules whose order changed.
    """
    moving = [m for position, m in enumerate(modules, 1) if m.order != position]
    if not moving:
        return []
    highest = max(m.order for m in modules)
    CurriculumModule.objects.filter(pk__in=[m.pk for m in moving]).update(
        order=models.F("order") + highest
    )
    for position, module in enumerate(modules, 1):
        module.order = position
    CurriculumModule.objects.bulk_update(moving, ["order"])
    return moving


def _program_locked(program_id: int) -> Program:
    """The program under a write lock: changes to its curriculum are serialised on it."""
    return Program.objects.select_for_update().get(pk=program_id)


def _modules_of(program: Program) -> list[CurriculumModule]:
    return list(CurriculumModule.objects.filter(program=program).order_by("order", "pk"))


def module_create(
    *,
    actor,
    program: Program,
    title: str,
    hours: int | str = 0,
    description: str = "",
    learning_outcomes: str = "",
) -> CurriculumModule:
    """Add a module at the end of `program`'s curriculum (order n + 1).

    Rules: a title; hours a whole number 0–1000; learning outcomes one per
    line (blank lines dropped); at most 200 modules ("too_many" on `title`).
    Side effect: audit `programs.module.create`. Errors: PermissionDenied
    without programs.manage_program; ValidationError per field.
    """
    province = province_of(program)
    require(actor, MANAGE, province)
    with scope(province=province):
        clean = _clean_module(
            {
                "title": title,
                "hours": hours,
                "description": description,
                "learning_outcomes": learning_outcomes,
            }
        )
        with transaction.atomic():
            owner = _program_locked(program.pk)
            count = CurriculumModule.objects.filter(program=owner).count()
            if count >= MAX_MODULES:
                raise ValidationError(
                    {
                        "title": ValidationError(
                            _("A curriculum holds at most %(maximum)s modules."),
                            code="too_many",
                            params={"maximum": MAX_MODULES},
                        )
                    }
                )
            module = CurriculumModule.objects.create(
                province=province, program=owner, order=count + 1, **clean
            )
            record(
                actor=actor,
                action="programs.module.create",
                province=province,
                obj=module,
                after={
                    "program": owner.pk,
                    "order": module.order,
                    **snapshot(module, MODULE_FIELDS),
                },
            )
    return module


def module_update(*, actor, module: CurriculumModule, version: int, **fields) -> CurriculumModule:
    """Change a module's title, description, hours or learning outcomes (MODULE_FIELDS);
    its place is changed by `module_move`.

    Rules as in `module_create`; "conflict" as in `program_update`. Side
    effect: version + 1 and audit `programs.module.update` with the changed
    fields, when something changed. Errors: PermissionDenied; ValidationError.
    """
    reject_unknown(fields, MODULE_FIELDS)
    province = province_of(module)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        current = locked(CurriculumModule, module, version, require_version=True)
        clean = _clean_module({**{f: getattr(current, f) for f in MODULE_FIELDS}, **fields})
        before, after = apply_changes(current, clean, MODULE_FIELDS)
        if not after:
            return current
        current.version += 1
        current.save()
        record_update(actor, "programs.module.update", province, current, before, after, version)
    return current


def module_delete(*, actor, module: CurriculumModule) -> None:
    """Remove a module from its curriculum; the modules after it move up one place.

    Refused while a course of the program teaches it (ValidationError with
    code "module_in_use", naming the courses): take it out of them first, so
    that no course loses part of its curriculum unnoticed. Sessions that
    named the module keep their topic and lose the link. Side effect: audit
    `programs.module.delete` with the module's fields. Errors:
    PermissionDenied without programs.manage_program; ValidationError.
    """
    province = province_of(module)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        owner = _program_locked(module.program_id)
        current = CurriculumModule.objects.get(pk=module.pk)
        teaching = sorted(owner.courses.filter(modules=current).values_list("title", flat=True))
        if teaching:
            raise ValidationError(
                _("This module is taught in %(courses)s; take it out of them first."),
                code="module_in_use",
                params={"courses": ", ".join(f"“{t}”" for t in teaching)},
            )
        record(
            actor=actor,
            action="programs.module.delete",
            province=province,
            obj=current,
            before={
                "program": owner.pk,
                "order": current.order,
                **snapshot(current, MODULE_FIELDS),
            },
        )
        current.delete()
        _renumber(owner, _modules_of(owner))


def module_move(*, actor, module: CurriculumModule, position: int) -> CurriculumModule:
    """Move a module to `position` (1..n) of its curriculum; those between shift by one.

    Moving it to where it already is changes nothing and records nothing.
    Rules: `position` a whole number from 1 to the number of modules
    ("range" on `order`). Side effect: audit `programs.module.move` with the
    old and new position. Errors: PermissionDenied; ValidationError.
    """
    province = province_of(module)
    require(actor, MANAGE, province)
    with scope(province=province), transaction.atomic():
        owner = _program_locked(module.program_id)
        modules = _modules_of(owner)
        current = next((m for m in modules if m.pk == module.pk), None)
        if current is None:
            raise CurriculumModule.DoesNotExist(module.pk)
        if isinstance(position, bool) or not isinstance(position, int):
            position = int(position) if str(position).strip().isdigit() else 0
        if not 1 <= position <= len(modules):
            raise ValidationError(
                {
                    "order": ValidationError(
                        _("Give a place from 1 to %(count)s."),
                        code="range",
                        params={"count": len(modules)},
                    )
                }
            )
        old = modules.index(current) + 1
        if old == position:
            return current
        modules.remove(current)
        modules.insert(position - 1, current)
        _renumber(owner, modules)
        record(
            actor=actor,
            action="programs.module.move",
            province=province,
            obj=current,
            before={"order": old},
            after={"order": position},
        )
    return current
