"""Demo content: East Java's OPOP program (`opop-jatim`) since 2019 and South
Kalimantan's (`opop-kalsel`), replicated from it in August 2022.

Everything goes through the domain functions, as an officer would do it, so
the demo holds only what the pages accept and the audit log tells its story:
the program, its team and five-module curriculum, two courses, cohorts from
2019 to 2024 whose participants come from the registry demo, their roll calls,
scores and completion with certificates, grants and assistance to pesantren,
indicators with their dated figures and targets. South Kalimantan's program
is replicated from East Java's (structure only) with its first cohort drawn
from its ten pesantren.

Idempotent by program: a program whose slug exists is left as it is.
Deterministic: the plan is `demo_data`; attendance and scores come from a
`random.Random` with a fixed seed, participants are taken in registry order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from django_scopes import scope, scopes_disabled

from niaga.accounts.models import User
from niaga.programs import demo_data as data
from niaga.programs.domain import certificates as certificates_domain
from niaga.programs.domain import indicators as indicators_domain
from niaga.programs.domain import program_replication, training_sessions
from niaga.programs.domain import programs as programs_domain
from niaga.programs.domain import support as support_domain
from niaga.programs.domain import training as training_domain
from niaga.programs.models import Indicator, Program, TeamDuty
from niaga.regions.models import Province
from niaga.registry.models import Person, PersonRole, Pesantren

SEED = "niaga-opop-programs-demo-2026"
PARTICIPANT_ROLES = (PersonRole.SANTRI, PersonRole.ALUMNUS)
GRANTED_PESANTREN = 60
ASSISTED_PESANTREN = 90


def load(*, out) -> list:
    jatim = Province.objects.get(slug="jatim")
    kalsel = Province.objects.get(slug="kalsel")
    with scopes_disabled():
        existing = set(
            Program.objects.filter(slug__in=[data.JATIM_SLUG, data.KALSEL_SLUG]).values_list(
                "slug", flat=True
            )
        )
    if data.JATIM_SLUG not in existing:
        _east_java(jatim, out)
    if data.KALSEL_SLUG not in existing:
        _south_kalimantan(kalsel, out)
    return []


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _participants(province: Province, *, pesantren=None):
    """Registry people who can take part, in a fixed order, never erased ones."""
    with scope(province=province):
        people = Person.objects.filter(
            role__in=PARTICIPANT_ROLES, erased_at__isnull=True, birth_date__isnull=False
        )
        if pesantren is not None:
            people = people.filter(pesantren__in=pesantren)
        return list(people.order_by("pesantren__name", "full_name", "id"))


def _east_java(province: Province, out) -> None:
    admin = _user("jatim-admin")
    officer = _user("jatim-opop")
    with scope(province=province):
        program = programs_domain.program_create(
            actor=admin, province=province, **data.JATIM_PROGRAM
        )
        programs_domain.team_member_add(
            actor=admin, program=program, user=admin, duty=TeamDuty.HEAD
        )
        programs_domain.team_member_add(
            actor=admin, program=program, user=officer, duty=TeamDuty.COORDINATOR
        )
        modules = [
            programs_domain.module_create(
                actor=admin,
                program=program,
                title=title,
                hours=hours,
                description=description,
                learning_outcomes="\n".join(outcomes),
            )
            for title, hours, description, outcomes in data.JATIM_MODULES
        ]
        courses = [
            training_domain.course_create(
                actor=officer,
                program=program,
                title=title,
                delivery_mode=mode,
                modules=[modules[order - 1] for order in orders],
                min_attendance_percent=80,
                passing_score=70,
            )
            for title, mode, orders in data.JATIM_COURSES
        ]
        _indicators(officer, program, data.JATIM_INDICATORS, data.JATIM_TARGETS)
        people = _participants(province)
        graduates = _cohorts(officer, courses, modules, data.JATIM_COHORTS, people)
        grants, assisted = _support(officer, program, province)
    out(
        f"    OPOP Jawa Timur: {len(modules)} modules, {len(data.JATIM_COHORTS)} cohorts, "
        f"{graduates} graduates, {grants} grants, {assisted} assistance records"
    )


def _indicators(actor, program: Program, plan: dict, targets: dict) -> None:
    for order, (key, (source, figures)) in enumerate(plan.items(), start=1):
        indicator = indicators_domain.indicator_create(
            actor=actor, program=program, key=key, source=source, order=order
        )
        for year, (value, note) in figures.items():
            indicators_domain.figure_record(
                actor=actor,
                indicator=indicator,
                as_of=dt.date(year, 12, 31),
                value=value,
                source_note=note,
            )
    _targets(actor, program, targets)


def _targets(actor, program: Program, targets: dict) -> None:
    indicators = {i.key: i for i in Indicator.objects.filter(program=program)}
    for key, by_year in targets.items():
        for year, value in by_year.items():
            indicators_domain.target_set(
                actor=actor, indicator=indicators[key], year=year, value=value
            )


def _cohorts(actor, courses, modules, plans, people) -> int:
    """Each cohort: enrol its share of `people`, hold its sessions with a roll call,
    score, complete. Returns the number of graduates."""
    rng = random.Random(SEED)  # noqa: S311 - demo data
    graduates = 0
    taken = 0
    for plan in plans:
        course = courses[plan.course]
        online = not plan.venue
        cohort = training_domain.cohort_create(
            actor=actor,
            course=course,
            name=plan.name,
            starts_on=plan.starts_on,
            ends_on=plan.starts_on + dt.timedelta(days=plan.days - 1),
            capacity=plan.capacity,
            venue=plan.venue,
            online=online,
            online_link="https://opop.jatimprov.go.id/kelas-daring" if online else "",
            trainers=data.JATIM_TRAINERS,
        )
        chosen = people[taken : taken + plan.participants]
        taken += plan.participants
        enrolments = [
            training_domain.enrol(actor=actor, cohort=cohort, person=person) for person in chosen
        ]
        # Most attend every session; a few miss one or two; one in ten drops away.
        absences = {
            e.pk: rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2, plan.sessions]) for e in enrolments
        }
        course_modules = list(course.modules.order_by("order"))
        step = max((plan.days - 1) // max(plan.sessions - 1, 1), 1)
        for number in range(1, plan.sessions + 1):
            module = course_modules[(number - 1) % len(course_modules)]
            session = training_sessions.session_create(
                actor=actor,
                cohort=cohort,
                number=number,
                held_on=min(
                    plan.starts_on + dt.timedelta(days=(number - 1) * step),
                    cohort.ends_on,
                ),
                topic=module.title,
                module=module,
            )
            present = [e.pk for e in enrolments if number > absences[e.pk]]
            training_sessions.attendance_record(actor=actor, session=session, present_ids=present)
        scores = {e.pk: rng.randint(62, 98) for e in enrolments}
        training_sessions.scores_record(actor=actor, cohort=cohort, scores=scores)
        completion = certificates_domain.cohort_complete(actor=actor, cohort=cohort)
        graduates += len(completion.completed)
    return graduates


def _support(actor, program: Program, province: Province) -> tuple[int, int]:
    """Grants from the provincial budget to the first pesantren (by name), and
    assistance by aspect to more of them, spread over the years."""
    pesantren = list(
        Pesantren.objects.select_related("cooperative").order_by("name", "id")[:ASSISTED_PESANTREN]
    )
    grants = 0
    for index, row in enumerate(pesantren[:GRANTED_PESANTREN]):
        year = data.JATIM_GRANT_YEARS[index % len(data.JATIM_GRANT_YEARS)]
        cooperative = getattr(row, "cooperative", None)
        support_domain.grant_record(
            actor=actor,
            program=program,
            pesantren=row,
            cooperative=cooperative,
            amount_idr=data.JATIM_GRANT_AMOUNTS[index % len(data.JATIM_GRANT_AMOUNTS)],
            granted_on=dt.date(year, 3 + index % 9, 1 + index % 27),
            purpose="Hibah peralatan produksi dan kemasan produk OPOP",
            source="apbd",
            source_detail="APBD Provinsi Jawa Timur, Dinas Koperasi dan UKM",
        )
        grants += 1
    aspects = ["institution", "human_resources", "product", "marketing"]
    descriptions = {
        "institution": "Pendampingan akta koperasi dan pengurusan NIB",
        "human_resources": "Magang di pesantren mentor",
        "product": "Pendampingan sertifikasi halal dan desain kemasan",
        "marketing": "Keikutsertaan dalam OPOP Expo",
    }
    for index, row in enumerate(pesantren):
        aspect = aspects[index % len(aspects)]
        year = data.JATIM_GRANT_YEARS[(index + 2) % len(data.JATIM_GRANT_YEARS)]
        support_domain.assistance_record(
            actor=actor,
            program=program,
            pesantren=row,
            aspect=aspect,
            given_on=dt.date(year, 1 + index % 12, 1 + index % 27),
            description=descriptions[aspect],
        )
    return grants, len(pesantren)


def _south_kalimantan(province: Province, out) -> None:
    admin = _user("kalsel-admin")
    with scopes_disabled():
        source = Program.objects.get(slug=data.JATIM_SLUG)
    plan = data.KALSEL_PROGRAM
    # The system replicates on the demo's historical date (August 2022): an
    # officer always replicates "today", which only the system may back-date.
    program = program_replication.program_replicate(
        actor=None,
        source=source,
        province=province,
        slug=plan["slug"],
        name=plan["name"],
        launch_date=plan["launch_date"],
        legal_basis_number=plan["legal_basis_number"],
        legal_basis_title=plan["legal_basis_title"],
        replicated_on=plan["replicated_on"],
    )
    with scope(province=province):
        programs_domain.team_member_add(
            actor=admin, program=program, user=admin, duty=TeamDuty.HEAD
        )
        _targets(admin, program, data.KALSEL_TARGETS)
        indicators = {i.key: i for i in Indicator.objects.filter(program=program)}
        for key, figures in data.KALSEL_FIGURES.items():
            for year, (value, note) in figures.items():
                indicators_domain.figure_record(
                    actor=admin,
                    indicator=indicators[key],
                    as_of=dt.date(year, 12, 31),
                    value=value,
                    source_note=note,
                )
        pesantren = list(Pesantren.objects.order_by("name", "id")[:10])
        # Two people of each of the ten pesantren, at most.
        by_pesantren: dict[int, list] = {}
        for person in _participants(province, pesantren=pesantren):
            by_pesantren.setdefault(person.pesantren_id, []).append(person)
        people = [p for group in by_pesantren.values() for p in group[:2]]
        courses = list(program.courses.order_by("title"))
        modules = list(program.modules.order_by("order"))
        cohort_plan = data.KALSEL_COHORT
        course_index = next(
            i for i, c in enumerate(courses) if c.title == data.JATIM_COURSES[cohort_plan.course][0]
        )
        plan = dataclasses.replace(
            cohort_plan, course=0, participants=min(cohort_plan.participants, len(people))
        )
        graduates = _cohorts(admin, [courses[course_index]], modules, [plan], people)
    out(f"    OPOP Kalimantan Selatan: replicated from OPOP Jawa Timur, {graduates} graduates")
