"""Demo content for the catalogue: the search index of the demo's curated products.

`niaga.registry.demo` writes its products in bulk, past the domain functions
that keep the index in step, so they are indexed here, after it (the
catalogue comes after the registry in INSTALLED_APPS). An empty index (the
first run) is built in one pass with `rebuild_index`; otherwise only curated
products without index rows are indexed. A rebuild would write the same terms
under new row ids, so a second run of the demo would not leave the database
as it was; this way it changes nothing.
"""

from __future__ import annotations

from django_scopes import scopes_disabled

from niaga.catalog import indexing
from niaga.catalog.models import ProductTerm
from niaga.registry.models import CurationStatus, Product


def load(*, out) -> list:
    with scopes_disabled():
        curated = Product.objects.filter(status=CurationStatus.CURATED)
        if not ProductTerm.objects.exists():
            indexed_now = indexing.rebuild_index() if curated.exists() else 0
        else:
            missing = curated.exclude(pk__in=ProductTerm.objects.values("product_id"))
            indexed_now = 0
            for product in missing.order_by("pk"):
                indexing.refresh_product(product)
                indexed_now += 1
        searchable = ProductTerm.objects.values("product_id").distinct().count()
    out(f"  catalogue index: {searchable} curated products ({indexed_now} indexed now)")
    return []
