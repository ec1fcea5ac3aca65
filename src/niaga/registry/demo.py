"""Demo content: East Java's OPOP registry (315 pesantren, 1,165 products) and South
Kalimantan's first ten pesantren.

The rows come from `demo_data`, which builds the same plan every time (fixed
seeds and dates; legality expiry dates relative to the day the demo loads, see
there). They are written with `bulk_create`, not through the domain functions:
one audit entry per province says what the demo added, rather than thousands,
and the whole registry loads in a few seconds. Every identifier still goes
through its validator (NSPP, NIB, KBLI, NIK with birth date and gender, phone,
HS code, legality numbers), so the demo holds only what a form would accept;
NIKs are stored the way `person_create` stores them (`nik_columns`: encrypted,
keyed hash, masked), never in clear.

Idempotent by pesantren: a pesantren of the plan is looked up by its NSPP or
by name and regency, and only a missing one is created, together with its
cooperative, people, consents, businesses, products, legality documents,
curation trail and inquiries. A pesantren already there, as the demo left it
or as a user changed it, is not touched, so running the demo twice changes
nothing. The search index is filled afterwards by `niaga.catalog.demo`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone
from django_scopes import scopes_disabled

from niaga.accounts.models import User
from niaga.audit.domain import record
from niaga.catalog.models import Inquiry
from niaga.regions.models import District, Province, Regency
from niaga.registry import demo_data as data
from niaga.registry import validators
from niaga.registry.domain.people import nik_columns
from niaga.registry.domain.products import NUMBER_VALIDATORS
from niaga.registry.models import (
    Consent,
    Cooperative,
    CurationEvent,
    CurationStatus,
    Enterprise,
    LegalDocument,
    Person,
    Pesantren,
    PesantrenAccess,
    Product,
)

# The demo users who did things in the registry (see niaga.accounts.demo), per province.
ACTORS = {
    "jatim": {
        "officer": "jatim-registry",
        "curator": "jatim-kurator",
        "pesantren": "pesantren-demo",
    },
    "kalsel": {"officer": "kalsel-admin", "curator": "kalsel-admin", "pesantren": "kalsel-admin"},
}
PESANTREN_ACCOUNT = "pesantren-demo"
BATCH = 500


def _districts(code: str) -> dict[str, list[tuple[str, str]]]:
    districts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for district in District.objects.filter(regency__province_id=code).order_by("code"):
        districts[district.regency_id].append((district.code, district.name))
    return districts


def _regency_names(code: str) -> dict[str, str]:
    return dict(Regency.objects.filter(province_id=code).values_list("code", "name"))


def plans(today) -> list[tuple[str, list[data.PesantrenSeed]]]:
    """The demo plan of each province (slug, pesantren seeds), as `demo_data` builds it."""
    numbers = data.UniqueNumbers()  # NSPP, NIB and certificates unique across both provinces
    built = []
    for slug, code, build in (
        ("jatim", "35", data.east_java),
        ("kalsel", "63", data.south_kalimantan),
    ):
        seeds = build(
            districts=_districts(code),
            regency_names=_regency_names(code),
            today=today,
            registry=numbers,
        )
        built.append((slug, seeds))
    return built


def _missing(province: Province, seeds: list[data.PesantrenSeed]) -> list[data.PesantrenSeed]:
    """The seeds whose pesantren is not there yet (by NSPP, or by name and regency)."""
    nspps = [seed.nspp for seed in seeds if seed.nspp]
    taken_nspp = set(Pesantren.objects.filter(nspp__in=nspps).values_list("nspp", flat=True))
    taken_names = {
        (name.lower(), regency)
        for name, regency in Pesantren.objects.filter(province=province).values_list(
            "name", "regency_id"
        )
    }
    return [
        seed
        for seed in seeds
        if seed.nspp not in taken_nspp and (seed.name.lower(), seed.regency) not in taken_names
    ]


class _Loader:
    """Writes the missing part of one province's plan, table by table, in bulk."""

    def __init__(self, province: Province, seeds: list[data.PesantrenSeed], users: dict):
        self.province = province
        self.seeds = seeds
        self.users = users
        self.added: Counter[str] = Counter()

    def run(self) -> Counter[str]:
        if not self.seeds:
            return self.added
        pesantren = self._pesantren()
        cooperatives = self._cooperatives(pesantren)
        people = self._people(pesantren)
        self._consents(people)
        self._enterprises(pesantren, people)
        products = self._products(pesantren, cooperatives, people)
        self._documents(products)
        self._events(products)
        self._inquiries(products)
        return self.added

    def _create(self, model, rows: list, label: str) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH)
        self.added[label] += len(created)
        return created

    def _pesantren(self) -> list[Pesantren]:
        rows = []
        for seed in self.seeds:
            santripreneur, pesantrenpreneur, sosiopreneur = seed.pillars
            rows.append(
                Pesantren(
                    province=self.province,
                    name=seed.name,
                    nspp=validators.validate_nspp(seed.nspp) if seed.nspp else None,
                    address=seed.address,
                    regency_id=seed.regency,
                    district_id=seed.district,
                    leader_name=seed.leader_name,
                    santri_male=seed.santri_male,
                    santri_female=seed.santri_female,
                    typology=seed.typology,
                    founded_year=validators.validate_year(seed.founded_year),
                    phone=validators.validate_phone(seed.phone),
                    takes_santripreneur=santripreneur,
                    takes_pesantrenpreneur=pesantrenpreneur,
                    takes_sosiopreneur=sosiopreneur,
                    opop_joined_year=seed.opop_joined_year,
                    status=seed.status,
                )
            )
        return self._create(Pesantren, rows, "pesantren")

    def _cooperatives(self, pesantren: list[Pesantren]) -> dict[int, Cooperative]:
        """The new cooperatives by seed index (a NIB some other row holds is left out)."""
        wanted = [(i, seed.cooperative) for i, seed in enumerate(self.seeds) if seed.cooperative]
        nibs = [coop.nib for _, coop in wanted if coop.nib]
        with scopes_disabled():
            taken = set(Cooperative.objects.filter(nib__in=nibs).values_list("nib", flat=True))
        indexes, rows = [], []
        for index, coop in wanted:
            indexes.append(index)
            rows.append(
                Cooperative(
                    province=self.province,
                    pesantren=pesantren[index],
                    name=coop.name,
                    legal_form=coop.legal_form,
                    deed_number=coop.deed_number,
                    deed_date=coop.deed_date,
                    nib=(
                        validators.validate_nib(coop.nib)
                        if coop.nib and coop.nib not in taken
                        else None
                    ),
                    kbli_code=validators.validate_kbli(coop.kbli_code, "2020"),
                    kbli_version="2020",
                    members_count=coop.members_count,
                    business_lines=coop.business_lines,
                )
            )
        created = self._create(Cooperative, rows, "cooperatives")
        return dict(zip(indexes, created, strict=True))

    def _people(self, pesantren: list[Pesantren]) -> dict[tuple[int, int], Person]:
        """The new people by (seed index, person index); a NIK already held is left out."""
        taken = set(
            Person.objects.filter(province=self.province, nik_hash__isnull=False).values_list(
                "nik_hash", flat=True
            )
        )
        keys, rows = [], []
        for i, seed in enumerate(self.seeds):
            for j, person in enumerate(seed.people):
                nik = validators.validate_nik(person.nik)
                validators.check_nik_matches(
                    nik, birth_date=person.birth_date, is_female=person.gender == "female"
                )
                columns = nik_columns(nik)
                if columns["nik_hash"] in taken:
                    continue
                taken.add(columns["nik_hash"])
                keys.append((i, j))
                rows.append(
                    Person(
                        province=self.province,
                        pesantren=pesantren[i],
                        full_name=person.full_name,
                        role=person.role,
                        pillar=person.pillar,
                        gender=person.gender,
                        birth_date=person.birth_date,
                        phone=validators.validate_phone(person.phone) if person.phone else "",
                        regency_id=seed.regency,
                        address=person.address,
                        **columns,
                    )
                )
        created = self._create(Person, rows, "people")
        return dict(zip(keys, created, strict=True))

    def _consents(self, people: dict[tuple[int, int], Person]) -> None:
        rows = [
            Consent(
                province=self.province,
                person=person,
                purpose=consent.purpose,
                given_on=consent.given_on,
                given_by=consent.given_by,
                guardian_name=consent.guardian_name,
                guardian_relation=consent.guardian_relation,
                recorded_by=self.users["officer"],
            )
            for (i, j), person in people.items()
            for consent in self.seeds[i].people[j].consents
        ]
        self._create(Consent, rows, "consents")

    def _enterprises(self, pesantren: list[Pesantren], people) -> None:
        wanted = [
            (i, person, self.seeds[i].people[j].enterprise)
            for (i, j), person in people.items()
            if self.seeds[i].people[j].enterprise is not None
        ]
        nibs = [enterprise.nib for _, _, enterprise in wanted if enterprise.nib]
        with scopes_disabled():
            taken = set(Enterprise.objects.filter(nib__in=nibs).values_list("nib", flat=True))
        rows = [
            Enterprise(
                province=self.province,
                owner=person,
                pesantren=pesantren[i],
                name=enterprise.name,
                pillar=enterprise.pillar,
                business_line=enterprise.business_line,
                nib=(
                    validators.validate_nib(enterprise.nib)
                    if enterprise.nib and enterprise.nib not in taken
                    else None
                ),
                kbli_code=validators.validate_kbli(enterprise.kbli_code, "2020"),
                kbli_version="2020",
                started_year=enterprise.started_year,
            )
            for i, person, enterprise in wanted
        ]
        self._create(Enterprise, rows, "enterprises")

    def _products(self, pesantren, cooperatives, people) -> list[tuple[Product, data.ProductSeed]]:
        pairs = []
        for i, seed in enumerate(self.seeds):
            for product in seed.products:
                if product.owner is None:
                    owner = {"owner_cooperative": cooperatives.get(i)}
                else:
                    owner = {"owner_person": people.get((i, product.owner))}
                if next(iter(owner.values())) is None:
                    continue  # its owner was left out (a NIB or NIK some other row holds)
                row = Product(
                    province=self.province,
                    name=product.name,
                    description=product.description,
                    category=product.category,
                    pesantren=pesantren[i],
                    regency_id=seed.regency,
                    price_min=product.price_min,
                    price_max=product.price_max,
                    unit=product.unit,
                    monthly_capacity=product.monthly_capacity,
                    hs_code=validators.validate_hs_code(product.hs_code) if product.hs_code else "",
                    status=product.status,
                    level=product.level,
                    curated_at=product.curated_at,
                    **owner,
                )
                pairs.append((row, product))
        created = self._create(Product, [row for row, _ in pairs], "products")
        self.added["curated"] += sum(p.status == CurationStatus.CURATED for p in created)
        return list(zip(created, [seed for _, seed in pairs], strict=True))

    def _documents(self, products) -> None:
        rows = [
            LegalDocument(
                province=self.province,
                product=product,
                kind=document.kind,
                number=NUMBER_VALIDATORS[document.kind](document.number),
                halal_scheme=document.halal_scheme,
                issued_on=document.issued_on,
                expires_on=document.expires_on,
            )
            for product, seed in products
            for document in seed.documents
        ]
        self._create(LegalDocument, rows, "legal documents")

    def _events(self, products) -> None:
        pairs = [
            (
                CurationEvent(
                    province=self.province,
                    product=product,
                    actor=self.users[event.actor],
                    from_status=event.from_status,
                    to_status=event.to_status,
                    level=event.level,
                    notes=event.notes,
                ),
                event.at,
            )
            for product, seed in products
            for event in seed.events
        ]
        created = self._create(CurationEvent, [event for event, _ in pairs], "curation events")
        # `at` is stamped on insert (auto_now_add); the trail happened in the past.
        for event, (_, at) in zip(created, pairs, strict=True):
            event.at = at
        CurationEvent.objects.bulk_update(created, ["at"], batch_size=BATCH)

    def _inquiries(self, products) -> None:
        pairs = [
            (
                Inquiry(
                    province=self.province,
                    product=product,
                    name=inquiry.name,
                    organisation=inquiry.organisation,
                    phone=validators.validate_phone(inquiry.phone) if inquiry.phone else "",
                    email=inquiry.email,
                    quantity=inquiry.quantity,
                    message=inquiry.message,
                    status=inquiry.status,
                    reply_note=inquiry.reply_note,
                    answered_by=self.users[inquiry.answered_by] if inquiry.answered_by else None,
                    answered_at=inquiry.answered_at,
                    language=inquiry.language,
                ),
                inquiry.at,
            )
            for product, seed in products
            for inquiry in seed.inquiries
        ]
        created = self._create(Inquiry, [inquiry for inquiry, _ in pairs], "inquiries")
        for inquiry, (_, at) in zip(created, pairs, strict=True):
            inquiry.created_at = at  # sent in the past, like the curation trail
        Inquiry.objects.bulk_update(created, ["created_at"], batch_size=BATCH)


def _grant_pesantren_account(province: Province) -> None:
    """The demo pesantren account speaks for the featured pesantren (once)."""
    user = User.objects.filter(username=PESANTREN_ACCOUNT).first()
    pesantren = Pesantren.objects.filter(
        province=province, name=data.FEATURED_NAME, regency_id=data.FEATURED_REGENCY
    ).first()
    if user is not None and pesantren is not None:
        PesantrenAccess.objects.get_or_create(province=province, user=user, pesantren=pesantren)


def _summary(province: Province) -> str:
    products = Product.objects.filter(province=province)
    counts = {
        "pesantren": Pesantren.objects.filter(province=province).count(),
        "cooperatives": Cooperative.objects.filter(province=province).count(),
        "people": Person.objects.filter(province=province).count(),
        "products": products.count(),
        "curated": products.filter(status=CurationStatus.CURATED).count(),
    }
    expiring = LegalDocument.objects.filter(
        province=province, expires_on__lte=timezone.localdate() + dt.timedelta(days=90)
    ).count()
    return (
        f"{province.name}: {counts['pesantren']:,} pesantren, {counts['cooperatives']:,} "
        f"cooperatives, {counts['people']:,} people, {counts['products']:,} products "
        f"({counts['curated']:,} curated), {expiring:,} legality documents expired or "
        "expiring within 90 days"
    )


def load(*, out) -> list:
    """Create what is missing of the demo registry; see the module docstring."""
    today = timezone.localdate()
    added: Counter[str] = Counter()
    lines = []
    with scopes_disabled():
        for slug, seeds in plans(today):
            province = Province.objects.get(slug=slug)
            users = {
                role: User.objects.get(username=username) for role, username in ACTORS[slug].items()
            }
            done = _Loader(province, _missing(province, seeds), users).run()
            if done:
                record(
                    actor=None,
                    action="registry.demo.load",
                    province=province,
                    after=dict(sorted(done.items())),
                )
            added.update(done)
            if slug == "jatim":
                _grant_pesantren_account(province)
            lines.append(_summary(province))
    out(f"  registry: {'; '.join(lines)}; {added['pesantren']} pesantren added now")
    return []
