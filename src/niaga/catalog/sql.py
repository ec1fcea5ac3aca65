"""The catalogue's hot queries, as parametrised SQL on indexed columns.

These are the statements behind every catalogue page and API search. They are
written out rather than composed with the ORM because composing them cost
several times more than running them: the database answers a search in a few
milliseconds, and Django spent longer building the query than that. Every
value is a parameter (`%s`); the only text put into the SQL is table names
from the models' metadata and a number of `%s` marks. The same SQL runs on
SQLite and PostgreSQL.

- `ranked` (with words) reads the search index only, grouped by product. Each
  word scores the best of its candidate stems: the weight (3 name, 1
  description), doubled for the word's own stem. A product must score in every
  word (HAVING). Each filter is an index term the product must also have
  (`EXISTS`: one probe of the (term, product) index); halal is a probe of the
  product's legality documents. `COUNT(*) OVER ()` carries the number of
  matches on every row, so one statement gives the page and the count. Best
  first, then newest.
- `browsed` (without words) walks curated products by primary key, newest
  first, so a page reads about 24 rows; filters on product columns.
- `cards` reads what the result cards show, for the page's ids.

The index holds curated products only (`niaga.catalog.indexing` keeps it so in
the same transaction as every product change); `cards` checks the status again,
so nothing that is not curated can ever be shown.
"""

from __future__ import annotations

import datetime
import functools

from django.db import connection

from niaga.catalog.indexing import HALAL_TERM, day_number, facet, vocabulary
from niaga.catalog.models import ProductTerm
from niaga.registry.models import (
    Cooperative,
    CurationStatus,
    LegalDocument,
    LegalKind,
    Person,
    Pesantren,
    Product,
    ProductPhoto,
)

EXACT_FACTOR = 2

# Halal on the product page and the cards: the legality documents themselves.
HALAL = (
    "EXISTS (SELECT 1 FROM {documents} d WHERE d.product_id = {product}"
    " AND d.kind = %s AND (d.expires_on IS NULL OR d.expires_on >= %s))"
)
# Filters in searches: index terms (see niaga.catalog.indexing), one probe each.
HAS_TERM = "EXISTS (SELECT 1 FROM {terms} f WHERE f.product_id = {product} AND f.term = %s)"
HAS_HALAL = (
    "EXISTS (SELECT 1 FROM {terms} f {hint} WHERE f.product_id = {product}"
    " AND f.term = %s AND f.weight >= %s)"
)
# The index on (term, product, weight) that answers every read of the search index
# by itself. For the halal probe SQLite prefers the unique (term, product) index,
# which promises one row, and then reads the table for the weight: 2.5 times
# slower at 100,000 products. It is told which index to use, if it exists.
RANKING_INDEX = "product_term_ranking"
OF_PESANTREN = (
    "EXISTS (SELECT 1 FROM {products} p WHERE p.id = t.product_id AND p.pesantren_id = %s)"
)
# Names by correlated look-ups on primary keys: with joins PostgreSQL planned hash
# joins over whole tables for 24 rows, and spent longer planning than running.
CARDS = """
SELECT p.id, p.name, p.category, p.level, p.province_id, p.regency_id,
       (SELECT ps.name FROM {pesantren} ps WHERE ps.id = p.pesantren_id),
       (SELECT co.name FROM {cooperatives} co WHERE co.id = p.owner_cooperative_id),
       pe.full_name, pe.birth_date, pe.erased_at, {halal},
       (SELECT ph.id FROM {photos} ph WHERE ph.product_id = p.id
        ORDER BY ph.position, ph.id LIMIT 1)
FROM {products} p
LEFT JOIN {people} pe ON pe.id = p.owner_person_id
WHERE p.id IN ({ids}) AND p.status = %s
"""
CARD_COLUMNS = (
    "pk",
    "name",
    "category",
    "level",
    "province_id",
    "regency_id",
    "pesantren_name",
    "cooperative_name",
    "person_name",
    "person_birth_date",
    "person_erased_at",
    "halal",
    "photo_id",
)


@functools.cache
def _tables() -> dict[str, str]:
    models = {
        "terms": ProductTerm,
        "products": Product,
        "documents": LegalDocument,
        "photos": ProductPhoto,
        "pesantren": Pesantren,
        "cooperatives": Cooperative,
        "people": Person,
    }
    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


def _sql(template: str, **parts: str) -> str:
    return template.format(**_tables(), **parts)


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _halal(product_column: str, wanted: bool, today: datetime.date) -> tuple[str, list]:
    clause = _sql(HALAL, product=product_column)
    params = [LegalKind.HALAL.value, connection.ops.adapt_datefield_value(today)]
    return (clause if wanted else f"NOT {clause}"), params


@functools.cache
def _ranking_hint() -> str:
    if connection.vendor != "sqlite":
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = %s", [RANKING_INDEX]
        )
        found = cursor.fetchone() is not None
    return f"INDEXED BY {RANKING_INDEX}" if found else ""


def _indexed_halal(product_column: str, wanted: bool, today: datetime.date) -> tuple[str, list]:
    clause = _sql(HAS_HALAL, product=product_column, hint=_ranking_hint())
    return (clause if wanted else f"NOT {clause}"), [HALAL_TERM, day_number(today)]


def facets(found) -> list[str]:
    """The index terms standing for the filters of `found`."""
    kinds = {"p": found.province, "r": found.regency, "c": found.category, "l": found.level}
    return [facet(kind, value) for kind, value in kinds.items() if value]


class _Ranked:
    """A search with words as one grouped statement: `self.sql` lists, per matching
    product, its id and its points for each word (w0, w1, …), with `self.params`.

    The points are computed once, in the inner SELECT, and tested and added up
    outside it: written again in a HAVING clause with their own parameters, the
    databases cannot tell they are the same and compute every one twice.
    """

    def __init__(self, found, words, today):
        points, point_params = [], []
        for index, word in enumerate(words):
            expression = "MAX(CASE WHEN t.term = %s THEN t.weight * " + str(EXACT_FACTOR)
            point_params.append(word.stem)
            if len(word.candidates) > 1:
                expression += f" WHEN t.term IN ({_marks(len(word.candidates) - 1)}) THEN t.weight"
                point_params += list(word.candidates[1:])
            points.append(f"{expression} ELSE 0 END) AS w{index}")
        every = sorted({candidate for word in words for candidate in word.candidates})
        where = [f"t.term IN ({_marks(len(every))})"]
        where_params: list = list(every)
        for term in facets(found):
            where.append(_sql(HAS_TERM, product="t.product_id"))
            where_params.append(term)
        if found.pesantren:
            where.append(_sql(OF_PESANTREN))
            where_params.append(found.pesantren)
        if found.halal is not None:
            clause, params = _indexed_halal("t.product_id", found.halal, today)
            where.append(clause)
            where_params += params
        self.names = [f"w{index}" for index in range(len(words))]
        self.sql = (
            f"SELECT t.product_id, {', '.join(points)} FROM {_tables()['terms']} t "  # noqa: S608
            f"WHERE {' AND '.join(where)} GROUP BY t.product_id"
        )
        self.params = [*point_params, *where_params]
        self.matched = " AND ".join(f"{name} > 0" for name in self.names)


def ranked(found, words, *, offset: int, limit: int, today) -> list[tuple[int, int, int]]:
    """(product id, score, number of matches) for one page of a search with words."""
    parts = _Ranked(found, words, today)
    sql = (
        f"SELECT product_id, {' + '.join(parts.names)} AS score, COUNT(*) OVER () AS total "  # noqa: S608
        f"FROM ({parts.sql}) scored WHERE {parts.matched} "
        f"ORDER BY score DESC, product_id DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parts.params, limit, offset])
        return [(int(pk), int(score), int(total)) for pk, score, total in cursor.fetchall()]


def ranked_count(found, words, *, today) -> int:
    """How many products match a search with words (for a page past the last one)."""
    parts = _Ranked(found, words, today)
    sql = f"SELECT COUNT(*) FROM ({parts.sql}) scored WHERE {parts.matched}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, parts.params)
        return int(cursor.fetchone()[0])


def _on_index(found) -> bool:
    """Whether a search without words is better answered from the index's filter terms.

    The product table has indexes for province (with category) and regency;
    level, halal and a category alone have none there, but each is a term of
    the index, read in primary-key order.
    """
    if found.pesantren:
        return False
    unindexed = found.level or found.halal or (found.category and not found.province)
    return bool(unindexed)


def _browsed(found, today) -> tuple[str, list]:
    if _on_index(found):
        return _browsed_on_index(found, today)
    where, params = ["p.status = %s"], [CurationStatus.CURATED.value]
    for column, value in (
        ("province_id", found.province),
        ("regency_id", found.regency),
        ("category", found.category),
        ("level", found.level),
        ("pesantren_id", found.pesantren),
    ):
        if value:
            where.append(f"p.{column} = %s")
            params.append(value)
    if found.halal is not None:
        clause, halal_params = _indexed_halal("p.id", found.halal, today)
        where.append(clause)
        params += halal_params
    return f"FROM {_tables()['products']} p WHERE {' AND '.join(where)}", params


def _browsed_on_index(found, today) -> tuple[str, list]:
    """Walk the rarest filter term's entries (in product order), probing the others."""
    frequency = vocabulary().frequencies
    conditions = [("t.term = %s", [term], frequency.get(term, 0)) for term in facets(found)]
    if found.halal:
        conditions.append(
            (
                "t.term = %s AND t.weight >= %s",
                [HALAL_TERM, day_number(today)],
                frequency.get(HALAL_TERM, 0),
            )
        )
    drive_sql, drive_params, _count = min(conditions, key=lambda condition: condition[2])
    where, params = [drive_sql], list(drive_params)
    for sql, values, _count in conditions:
        if sql == drive_sql and values == drive_params:
            continue
        if values[0] == HALAL_TERM:
            where.append(_sql(HAS_HALAL, product="t.product_id"))
        else:
            where.append(_sql(HAS_TERM, product="t.product_id"))
        params += values
    if found.halal is False:
        clause, halal_params = _indexed_halal("t.product_id", False, today)
        where.append(clause)
        params += halal_params
    return f"FROM {_tables()['terms']} t WHERE {' AND '.join(where)}", params


def browsed(found, *, offset: int, limit: int, today) -> list[int]:
    """Ids of one page of curated products matching the filters, newest first."""
    body, params = _browsed(found, today)
    pk = "t.product_id" if _on_index(found) else "p.id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk} {body} ORDER BY {pk} DESC LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return [int(row[0]) for row in cursor.fetchall()]


def browsed_count(found, *, today) -> int:
    body, params = _browsed(found, today)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {body}", params)
        return int(cursor.fetchone()[0])


def cards(ids: list[int], *, today) -> list[dict]:
    """What the result cards of `ids` show (curated products only), in no order."""
    if not ids:
        return []
    halal, halal_params = _halal("p.id", True, today)
    sql = _sql(CARDS, halal=halal, ids=_marks(len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*halal_params, *ids, CurationStatus.CURATED.value])
        return [dict(zip(CARD_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
