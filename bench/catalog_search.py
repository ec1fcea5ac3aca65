"""Benchmark: public catalogue searches against a primary-key fetch, on N curated products.

    uv run python -m bench.catalog_search [--products 100000] [--rounds 30] [--keep]

Generates N curated products with Indonesian names and descriptions (owned by
the cooperatives of N/50 generated pesantren in eleven provinces, 60 % of them
in East Java, with photos and legality documents for most), bulk-inserted into
the configured database (SQLite in a temporary folder, or `DATABASE_URL`),
builds the search index with the same code `niaga reindex_catalogue` runs,
then times a fixed mix of catalogue searches with filters through
`niaga.catalog.queries.catalogue_page` (the function the catalogue page and
the API call) against `Product.objects.get(pk=…)` in the same run,
interleaved. Rows of an earlier run on the same database are removed first
(they are marked by their pesantren's website); `--keep` leaves this run's.

Last line: RESULT name=catalog_search db=… products=… search_p50_ms=…
search_p95_ms=… pk_p95_ms=… ratio=… (search p95 / pk p95; goal ≤ 20).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from bench._server import database_kind, percentile, prepare_environment

BENCH_WEBSITE = "https://bench.invalid/catalog"

# (share of products, province code)
PROVINCES = [
    (60, "35"),
    (8, "32"),
    (8, "33"),
    (5, "36"),
    (4, "63"),
    (3, "34"),
    (3, "31"),
    (3, "11"),
    (2, "73"),
    (2, "18"),
    (2, "52"),
]

PESANTREN_WORDS = [
    "Al-Hikmah", "Nurul Huda", "Darul Ulum", "Miftahul Jannah", "Al-Falah", "Bahrul Ulum",
    "Tebuireng", "Lirboyo", "Sidogiri", "Al-Amien", "Darussalam", "Nurul Jadid", "Mambaul Ulum",
    "Al-Ikhlas", "Raudhatul Muta'allimin", "Salafiyah Syafi'iyah", "Hidayatul Mubtadiin",
    "Al-Munawwir", "Ihyaul Ulum", "Roudlotul Huffadz", "Al-Anwar", "Qomaruddin", "Annuqayah",
    "Al-Badriyah", "Nurul Islam", "Assalafi", "Al-Muhibbin", "Darul Falah", "Riyadlul Jannah",
    "Manbaul Hikam",
]  # fmt: skip

# category → [(product type, [variants], description sentences)]
PRODUCTS = {
    "food": [
        ("Keripik Singkong", ["Pedas", "Balado", "Original", "Bawang", "Keju"],
         "Keripik singkong renyah digoreng tipis dari singkong pilihan petani sekitar pondok."),
        ("Keripik Pisang", ["Manis", "Asin", "Cokelat", "Original"],
         "Keripik pisang kepok diiris tipis dan digoreng dengan minyak baru setiap hari."),
        ("Keripik Tempe", ["Pedas", "Original", "Daun Jeruk"],
         "Keripik tempe tipis khas Malang, tempe dibuat sendiri oleh santri."),
        ("Kopi Robusta", ["Bubuk", "Biji Sangrai", "Premium", "Lereng Ijen"],
         "Kopi robusta dipetik merah, dijemur dan disangrai sedang oleh santri pondok."),
        ("Kopi Arabika", ["Bubuk", "Biji Sangrai", "Natural", "Honey"],
         "Kopi arabika dataran tinggi dengan rasa buah, diproses basah dan disangrai terang."),
        ("Madu Hutan", ["Murni", "Klanceng", "Randu", "Kaliandra"],
         "Madu murni dari lebah hutan, dipanen tanpa pemanasan dan disaring halus."),
        ("Sambal Bawang", ["Pedas", "Extra Pedas", "Cumi", "Teri"],
         "Sambal bawang dimasak dengan cabai rawit segar dan bawang putih pilihan, "
         "tanpa pengawet."),
        ("Abon Lele", ["Original", "Pedas"],
         "Abon ikan lele dari kolam budidaya santri, dimasak dengan rempah bumbu tradisional."),
        ("Kerupuk Ikan", ["Tenggiri", "Udang", "Bandeng"],
         "Kerupuk ikan tenggiri asli pesisir, dijemur di bawah matahari hingga kering merata."),
        ("Dodol Nangka", ["Original", "Durian", "Ketan Hitam"],
         "Dodol dimasak berjam-jam di wajan besar hingga legit dan kenyal."),
        ("Gula Aren", ["Cetak", "Semut", "Cair"],
         "Gula aren dari nira pohon aren yang disadap pagi hari lalu dimasak di tungku kayu."),
        ("Teh Kelor", ["Celup", "Daun Kering"],
         "Teh daun kelor kaya gizi, dikeringkan tanpa sinar matahari langsung."),
        ("Brownies Kukus", ["Cokelat", "Pandan", "Keju"],
         "Brownies kukus lembut dibuat dengan telur ayam kampung dan cokelat asli."),
        ("Air Minum Kemasan", ["Gelas", "Botol 600 ml", "Galon"],
         "Air minum dalam kemasan diolah dengan penyaringan bertahap dan sinar ultraviolet."),
        ("Rengginang", ["Terasi", "Original", "Bawang"],
         "Rengginang ketan dijemur kering, tinggal digoreng untuk teman makan."),
        ("Emping Melinjo", ["Manis", "Asin", "Pedas"],
         "Emping melinjo ditumbuk tipis satu per satu oleh ibu-ibu sekitar pesantren."),
        ("Petis Udang", ["Super", "Madura"],
         "Petis udang hitam pekat khas Sidoarjo untuk rujak cingur dan tahu campur."),
        ("Beras Kencur", ["Botol", "Serbuk"],
         "Minuman beras kencur segar dari kencur dan beras pilihan, diolah higienis."),
    ],
    "fashion": [
        ("Batik Tulis", ["Motif Parang", "Motif Mega Mendung", "Pesisiran", "Sekar Jagad"],
         "Kain batik dibuat dengan membatik memakai canting dan malam, diwarnai alami, setiap "
         "lembar dikerjakan berhari-hari oleh santri putri."),
        ("Batik Cap", ["Motif Kawung", "Motif Truntum", "Motif Bunga"],
         "Batik cap tembaga dengan pewarna sintetis yang tahan luntur, cocok untuk seragam."),
        ("Sarung Tenun", ["Sutra", "Katun", "Motif Kotak"],
         "Sarung ditenun dengan alat tenun bukan mesin oleh para penenun desa."),
        ("Mukena Bordir", ["Katun Rayon", "Parasut", "Anak"],
         "Mukena dengan bordir tangan yang halus, bahan adem dan jatuh."),
        ("Kopiah Rajut", ["Putih", "Hitam", "Motif"],
         "Kopiah dirajut tangan dari benang katun, nyaman dipakai untuk salat."),
        ("Jilbab Instan", ["Jersey", "Voal", "Anak"],
         "Jilbab instan tanpa peniti dengan jahitan rapi, tersedia banyak warna."),
        ("Kaos Santri", ["Sablon Kaligrafi", "Polos", "Lengan Panjang"],
         "Kaos katun combed disablon manual dengan tinta plastisol yang awet."),
    ],
    "craft": [
        ("Anyaman Bambu", ["Tampah", "Keranjang", "Tudung Saji", "Besek"],
         "Anyaman bambu hasil kerajinan tangan para pengrajin desa, bambu dipilih yang tua "
         "dan diawetkan."),
        ("Tas Rotan", ["Bulat", "Selempang", "Jinjing"],
         "Tas rotan dianyam rapat oleh perajin berpengalaman, dilapisi pernis agar awet."),
        ("Ukiran Kayu", ["Kaligrafi", "Hiasan Dinding", "Kotak Perhiasan"],
         "Ukiran kayu jati Jepara dikerjakan dengan pahat tangan, detail halus dan presisi."),
        ("Gerabah Hias", ["Vas Bunga", "Pot", "Kendi"],
         "Gerabah dari tanah liat dibakar tradisional lalu dicat dengan motif khas."),
        ("Tasbih Kayu", ["Kokka", "Gaharu", "Stigi"],
         "Tasbih dari kayu pilihan dibubut halus, 99 butir dengan benang kuat."),
        ("Sandal Kulit", ["Pria", "Wanita", "Santri"],
         "Sandal kulit sapi asli dijahit tangan dengan sol karet anti licin."),
        ("Kaligrafi Kuningan", ["Ayat Kursi", "Asmaul Husna"],
         "Kaligrafi kuningan diukir dan dipoles mengkilap, dibingkai kayu jati."),
    ],
    "agriculture": [
        ("Beras Organik", ["Pandan Wangi", "Merah", "Hitam", "Mentik Susu"],
         "Beras organik ditanam tanpa pupuk kimia di sawah milik pesantren."),
        ("Telur Ayam Kampung", ["Isi 10", "Isi 30", "Omega"],
         "Telur dari ayam kampung yang diumbar dan diberi pakan alami."),
        ("Bibit Lele", ["Sangkuriang", "Mutiara"],
         "Bibit ikan lele unggul dari kolam pembenihan santri, ukuran seragam."),
        ("Pupuk Kompos", ["Organik Cair", "Padat", "Kascing"],
         "Pupuk kompos diolah dari kotoran ternak dan sisa dapur pesantren."),
        ("Jamur Tiram", ["Segar", "Crispy", "Bibit Baglog"],
         "Jamur tiram putih dibudidayakan di kumbung bambu dan dipanen setiap pagi."),
        ("Kambing Etawa", ["Susu Segar", "Bibit", "Susu Bubuk"],
         "Susu kambing etawa dari peternakan pesantren, diperah bersih dan dipasteurisasi."),
        ("Bawang Merah", ["Probolinggo", "Brebes", "Bibit"],
         "Bawang merah kering askip hasil panen petani mitra pondok."),
    ],
    "cosmetics": [
        ("Sabun Sereh", ["Batang", "Cair", "Madu"],
         "Sabun mandi sereh wangi dibuat dengan proses dingin dari minyak kelapa."),
        ("Minyak Kayu Putih", ["Botol 60 ml", "Roll On"],
         "Minyak kayu putih murni hasil penyulingan daun kayu putih di Pulau Buru."),
        ("Lulur Rempah", ["Bengkoang", "Kopi", "Beras"],
         "Lulur tradisional dari rempah-rempah pilihan yang dihaluskan."),
        ("Jamu Temulawak", ["Serbuk", "Instan", "Kapsul"],
         "Jamu temulawak diolah dari rimpang segar untuk menjaga daya tahan tubuh."),
        ("Minyak Zaitun", ["Pijat", "Rambut"],
         "Minyak zaitun untuk perawatan kulit dan rambut, dikemas botol kaca."),
        ("Parfum Non Alkohol", ["Misk", "Kasturi", "Oud"],
         "Parfum tanpa alkohol dengan wangi lembut yang tahan lama."),
    ],
    "services": [
        ("Jasa Sablon", ["Kaos", "Tas", "Spanduk"],
         "Jasa sablon manual dan digital, pesanan dikerjakan tepat waktu."),
        ("Jasa Percetakan", ["Undangan", "Buku", "Brosur"],
         "Jasa percetakan offset dan digital untuk kebutuhan sekolah dan usaha."),
        ("Jasa Katering", ["Nasi Kotak", "Prasmanan", "Tumpeng"],
         "Jasa katering untuk acara pengajian dan pernikahan, masakan rumahan."),
        ("Jasa Jahit", ["Seragam", "Gamis", "Permak"],
         "Jasa jahit seragam sekolah dan pakaian muslim oleh penjahit santri."),
    ],
    "other": [
        ("Kitab Kuning", ["Terjemah", "Makna Pesantren"],
         "Kitab kuning cetakan pesantren dengan makna gandul huruf pegon."),
        ("Kalender Pesantren", ["Dinding", "Meja"],
         "Kalender dengan penanggalan hijriah dan jadwal salat."),
    ],
}  # fmt: skip

CLOSINGS = [
    "Dikemas rapi dalam kemasan standing pouch.",
    "Cocok untuk oleh-oleh khas daerah.",
    "Produk unggulan program One Pesantren One Product.",
    "Dikerjakan oleh santri dengan pendampingan koperasi pondok.",
    "Melayani pesanan partai besar dan reseller.",
    "Sudah dipasarkan ke toko modern dan marketplace.",
    "Hasil pelatihan Training Center OPOP.",
    "Tersedia dalam berbagai ukuran kemasan.",
]

# The fixed mix: (query, filters). Stemmed words, typos, two-word queries,
# filter-only browsing, the whole catalogue's first page, and a deep page.
QUERIES = [
    ("keripik", {}),
    ("keripik pedas", {"province": "35"}),
    ("kerajinan bambu", {}),
    ("pengrajin", {"category": "craft"}),
    ("batik tulis", {"province": "35"}),
    ("membatik", {"halal": None, "level": "export"}),
    ("kopi", {"halal": True}),
    ("kripik singkong", {}),
    ("madu murni", {"category": "food", "level": "modern_retail"}),
    ("sabun sereh", {"halal": True, "province": "32"}),
    ("", {"province": "35", "category": "fashion"}),
    ("", {}),
    ("jamu", {"page": 3}),
    ("tenun", {"province": "63"}),
    ("beras organik", {"province": "33", "halal": True}),
    ("ukiran kayu jati", {}),
]


def _regencies_by_province():
    from niaga.regions.models import Regency

    by_province: dict[str, list] = {}
    for regency in Regency.objects.order_by("code"):
        by_province.setdefault(regency.province_id, []).append(regency)
    return by_province


def remove_earlier_runs() -> None:
    from django.db import transaction
    from django_scopes import scopes_disabled

    from niaga.catalog.models import Inquiry, ProductTerm
    from niaga.registry.models import (
        Cooperative,
        LegalDocument,
        Pesantren,
        Product,
        ProductPhoto,
    )

    with scopes_disabled(), transaction.atomic():
        pesantren = Pesantren.objects.filter(website=BENCH_WEBSITE)
        products = Product.objects.filter(pesantren__in=pesantren)
        if not products.exists():
            return
        print("removing an earlier run's rows", flush=True)
        ProductTerm.objects.filter(product__in=products).delete()
        Inquiry.objects.filter(product__in=products).delete()
        ProductPhoto.objects.filter(product__in=products).delete()
        LegalDocument.objects.filter(product__in=products).delete()
        products.delete()
        Cooperative.objects.filter(pesantren__in=pesantren).delete()
        pesantren.delete()


def generate(count: int, rng: random.Random) -> None:
    """N curated products with owners, photos and legality documents, bulk-inserted."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from niaga.registry.models import (
        CurationLevel,
        CurationStatus,
        LegalDocument,
        Pesantren,
        Product,
        ProductPhoto,
        Typology,
    )
    from niaga.registry.models.pesantren import Cooperative, LegalForm

    regencies = _regencies_by_province()
    shares = [share for share, _code in PROVINCES]
    codes = [code for _share, code in PROVINCES]
    n_pesantren = max(1, count // 50)
    today = dt.date(2026, 11, 28)
    now = timezone.now()
    with scopes_disabled():
        pesantren_rows = []
        for n in range(n_pesantren):
            code = rng.choices(codes, shares)[0]
            regency = rng.choice(regencies[code])
            pesantren_rows.append(
                Pesantren(
                    province_id=code,
                    regency=regency,
                    name=f"Pondok Pesantren {rng.choice(PESANTREN_WORDS)} {regency.name} {n + 1}",
                    typology=rng.choice(Typology.values),
                    website=BENCH_WEBSITE,
                )
            )
        with transaction.atomic():
            Pesantren.objects.bulk_create(pesantren_rows, batch_size=2000)
        pesantren_rows = list(Pesantren.objects.filter(website=BENCH_WEBSITE).order_by("pk"))
        with transaction.atomic():
            Cooperative.objects.bulk_create(
                [
                    Cooperative(
                        province_id=p.province_id,
                        pesantren=p,
                        name=f"Kopontren {p.name.removeprefix('Pondok Pesantren ')}",
                        legal_form=LegalForm.PRIMARY,
                    )
                    for p in pesantren_rows
                ],
                batch_size=2000,
            )
        cooperatives = {
            c.pesantren_id: c for c in Cooperative.objects.filter(pesantren__website=BENCH_WEBSITE)
        }
        print(f"{len(pesantren_rows)} pesantren with cooperatives", flush=True)
        types = [(category, entry) for category, entries in PRODUCTS.items() for entry in entries]
        levels = (
            [CurationLevel.LOCAL] * 6 + [CurationLevel.MODERN_RETAIL] * 3 + [CurationLevel.EXPORT]
        )
        made = 0
        batch = 5000
        while made < count:
            size = min(batch, count - made)
            products = []
            for _n in range(size):
                owner = rng.choice(pesantren_rows)
                category, (kind, variants, sentence) = rng.choice(types)
                variant = rng.choice(variants)
                brand = owner.name.split(" ")[2]
                name = f"{kind} {variant}" + (f" {brand}" if rng.random() < 0.4 else "")
                regency_name = owner.regency.name
                description = " ".join(
                    [
                        sentence,
                        f"Varian {variant.lower()} buatan {owner.name}, {regency_name}.",
                        *rng.sample(CLOSINGS, 2),
                    ]
                )
                low = rng.randrange(5, 500) * 1000
                products.append(
                    Product(
                        province_id=owner.province_id,
                        name=name,
                        description=description,
                        category=category,
                        owner_cooperative=cooperatives[owner.pk],
                        pesantren=owner,
                        regency_id=owner.regency_id,
                        price_min=low,
                        price_max=low + rng.randrange(0, 200) * 1000,
                        unit=rng.choice(["pak", "kg", "botol", "lembar", "buah"]),
                        monthly_capacity=rng.randrange(50, 5000),
                        status=CurationStatus.CURATED,
                        level=rng.choice(levels),
                        curated_at=now,
                    )
                )
            with transaction.atomic():
                created = Product.objects.bulk_create(products, batch_size=1000)
                documents, photos = [], []
                for product in created:
                    if product.category in ("food", "cosmetics") or rng.random() < 0.2:
                        expired = rng.random() < 0.15
                        documents.append(
                            LegalDocument(
                                province_id=product.province_id,
                                product=product,
                                kind="halal",
                                number=f"ID{rng.randrange(10**13, 10**14)}",
                                halal_scheme=rng.choice(["regular", "self_declare"]),
                                issued_on=today - dt.timedelta(days=2000 if expired else 300),
                                expires_on=today - dt.timedelta(days=30)
                                if expired
                                else today + dt.timedelta(days=1500),
                            )
                        )
                    if product.category == "food" and rng.random() < 0.7:
                        documents.append(
                            LegalDocument(
                                province_id=product.province_id,
                                product=product,
                                kind="pirt",
                                number=str(rng.randrange(10**14, 10**15)),
                            )
                        )
                    if rng.random() < 0.8:
                        photos.append(
                            ProductPhoto(
                                province_id=product.province_id,
                                product=product,
                                image="products/bench/photo.jpg",
                                thumbnail="products/bench/photo-thumb.jpg",
                                width=1200,
                                height=900,
                            )
                        )
                LegalDocument.objects.bulk_create(documents, batch_size=2000)
                ProductPhoto.objects.bulk_create(photos, batch_size=2000)
            made += size
            print(f"products: {made} of {count}", flush=True)


def analyse() -> None:
    """Planner statistics and, on PostgreSQL, the visibility map, as a production
    database has them once autovacuum has passed after a bulk load (without it,
    PostgreSQL's index-only scans fetch every row from the table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--keep", action="store_true", help="keep this run's rows")
    args = parser.parse_args()

    data_dir = prepare_environment()
    kind = database_kind()
    print(f"database: {kind}; data folder {data_dir}", flush=True)
    rng = random.Random(args.seed)
    remove_earlier_runs()
    started = time.monotonic()
    generate(args.products, rng)
    print(f"generated in {time.monotonic() - started:.0f} s", flush=True)

    from niaga.catalog.indexing import rebuild_index

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        if done % 20_000 < 2000 or done == total:
            print(f"index: {done} of {total} products", flush=True)

    rebuild_index(progress=progress)
    analyse()
    print(f"index built in {time.monotonic() - started:.0f} s", flush=True)

    from django.db import connection, reset_queries
    from django_scopes import scopes_disabled

    from niaga.catalog.models import ProductTerm
    from niaga.catalog.queries import catalogue_page
    from niaga.catalog.search import criteria
    from niaga.registry.models import Product

    with scopes_disabled():
        ids = list(Product.objects.filter(status="curated").values_list("pk", flat=True))
    print(f"{len(ids)} curated products, {ProductTerm.objects.count()} index rows", flush=True)

    def run_search(q: str, filters: dict) -> int:
        filters = dict(filters)
        page = filters.pop("page", 1)
        found = criteria(q=q, **filters)
        return catalogue_page(found, page).count

    def run_pk() -> None:
        with scopes_disabled():
            Product.objects.get(pk=rng.choice(ids))

    # Warm both paths (the stemmer, the vocabulary, the database's cache).
    for q, filters in QUERIES:
        hits = run_search(q, filters)
        print(f"  {q or '(no words)'!r:24} {filters!s:48} {hits} products", flush=True)
    for _n in range(50):
        run_pk()

    search_ms: list[float] = []
    pk_ms: list[float] = []
    per_query: dict[int, list[float]] = {}
    for _round in range(args.rounds):
        for index, (q, filters) in enumerate(QUERIES):
            started = time.perf_counter()
            run_search(q, filters)
            elapsed = 1000 * (time.perf_counter() - started)
            search_ms.append(elapsed)
            per_query.setdefault(index, []).append(elapsed)
            for _n in range(2):
                started = time.perf_counter()
                run_pk()
                pk_ms.append(1000 * (time.perf_counter() - started))
        reset_queries()
    for index, (q, filters) in enumerate(QUERIES):
        print(
            f"  {q or '(no words)'!r:24} {filters!s:48} "
            f"median {statistics.median(per_query[index]):.2f} ms",
            flush=True,
        )
    search_p50 = percentile(search_ms, 0.5)
    search_p95 = percentile(search_ms, 0.95)
    pk_p50 = percentile(pk_ms, 0.5)
    pk_p95 = percentile(pk_ms, 0.95)
    print(
        f"searches: {len(search_ms)}, p50 {search_p50:.2f} ms, p95 {search_p95:.2f} ms; "
        f"pk fetches: {len(pk_ms)}, p50 {pk_p50:.3f} ms, p95 {pk_p95:.3f} ms",
        flush=True,
    )
    if not args.keep:
        remove_earlier_runs()
    connection.close()
    print(
        f"RESULT name=catalog_search db={kind} products={args.products} "
        f"search_p50_ms={search_p50:.2f} search_p95_ms={search_p95:.2f} "
        f"pk_p50_ms={pk_p50:.3f} pk_p95_ms={pk_p95:.3f} ratio={search_p95 / pk_p95:.1f}"
    )


if __name__ == "__main__":
    main()
