"""Benchmark: a people import with full checks and NIK encryption, against a bare bulk load.

    uv run python -m bench.registry_import [--rows 200000] [--chunk 2000]

A CSV of N people with NIKs valid in structure (real regency codes of East
Java, birth dates that match the gender) is written to a temporary file. It
is imported through the same code path as the import pages: upload
(`import_job_create`), column mapping, the chunked check (`import_job_check_step`,
CHUNK_ROWS rows a poll, as the progress page drives it) and the commit in one
transaction (`import_job_commit`: every row checked again, NIK encrypted,
hashed and masked, rows inserted). Then the same file is loaded into a bare
table of the same database: PostgreSQL's COPY (psycopg's cursor.copy), or on
SQLite `executemany` inserts in one transaction. Peak memory is the process's
maximum resident set size (ru_maxrss), Django and the data included.

Runs on the database DATABASE_URL names, or SQLite in a temporary folder.
Last line: RESULT name=registry_import db=… rows=… import_rows_per_s=…
bulk_rows_per_s=… ratio=… peak_mb=…
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import tempfile
import time

from bench._server import database_kind, prepare_environment

BULK_TABLE = "bench_people_bulk"
MOBILE_PREFIXES = ("0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877", "0896")


def generate(path: str, rows: int, regency_codes: list[str], seed: int = 2026) -> None:
    """N people with unique NIKs valid in structure, streamed to `path` (nothing kept)."""
    from niaga.registry.resources import PEOPLE

    rng = random.Random(seed)
    header = [c.header for c in PEOPLE.import_columns]
    first = [
        "Ahmad",
        "Siti",
        "Muhammad",
        "Nur",
        "Abdul",
        "Fatimah",
        "Rizki",
        "Dewi",
        "Ali",
        "Aisyah",
    ]
    last = ["Hidayat", "Rahmawati", "Santoso", "Maulana", "Hasanah", "Wijaya", "Fauzi", "Lestari"]
    start = datetime.date(1960, 1, 1)
    days = 365 * 45
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for n in range(rows):
            regency = regency_codes[n % len(regency_codes)]
            # Unique NIKs: the serial counts people sharing a regency and birth date.
            birth = start + datetime.timedelta(days=(n // len(regency_codes)) % days)
            serial = n // (len(regency_codes) * days) + 1
            female = rng.random() < 0.5
            day = birth.day + (40 if female else 0)
            district = f"{rng.randint(1, 20):02d}"
            nik = f"{regency.replace('.', '')}{district}{day:02d}{birth:%m%y}{serial:04d}"
            cells = {
                "Nama Lengkap": f"{rng.choice(first)} {rng.choice(last)} {n}",
                "NIK": nik,
                "Peran": rng.choice(["santri", "alumni", "staf", "masyarakat"]),
                "Pilar": rng.choice(["santripreneur", "sosiopreneur", ""]),
                "Jenis Kelamin": "P" if female else "L",
                "Tanggal Lahir": birth.isoformat(),
                "Telepon": f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(10_000_000, 99_999_999)}",
                "Email": "",
                "Kode Kabupaten/Kota Domisili": regency,
                "Alamat": f"Jl. Pesantren No. {rng.randint(1, 200)}",
                "NSPP Pesantren": "",
                "Tanggal Persetujuan": "",
                "Persetujuan Oleh": "",
                "Nama Wali": "",
                "Hubungan Wali": "",
            }
            writer.writerow([cells[h] for h in header])


def run_import(path: str, province, chunk: int) -> dict[str, float]:
    from django.core.files import File

    from niaga.registry.domain import imports as domain
    from niaga.registry.models.imports import ImportStatus

    timings = {}
    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = domain.import_job_create(
            actor=None, province=province, resource="people", upload=File(handle, "people.csv")
        )
    job = domain.import_job_map(actor=None, job=job, mapping=job.mapping)
    timings["upload_s"] = time.perf_counter() - started
    checked = time.perf_counter()
    last_report = 0.0
    while job.status == ImportStatus.VALIDATING:
        job = domain.import_job_check_step(job=job, rows=chunk)
        if time.perf_counter() - last_report > 5:
            last_report = time.perf_counter()
            print(f"  checked {job.checked_rows:,} of {job.total_rows:,} rows", flush=True)
    timings["check_s"] = time.perf_counter() - checked
    if job.status != ImportStatus.READY:
        raise SystemExit(f"the generated file has problems: job {job.pk} is {job.status}")
    committing = time.perf_counter()
    job = domain.import_job_commit(actor=None, job=job)
    timings["commit_s"] = time.perf_counter() - committing
    timings["total_s"] = time.perf_counter() - started
    timings["created"] = job.created_rows
    return timings


def bulk_load(path: str, columns: int) -> float:
    """Seconds to load the file into a bare table: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection, transaction

    names = ", ".join(f"c{i}" for i in range(columns))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BULK_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BULK_TABLE} ({', '.join(f'c{i} text' for i in range(columns))})"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with open(path, "rb") as handle:
                raw = cursor.cursor
                copy_sql = f"COPY {BULK_TABLE} ({names}) FROM STDIN WITH (FORMAT csv, HEADER true)"
                with raw.copy(copy_sql) as copy:
                    while block := handle.read(1 << 20):
                        copy.write(block)
        else:
            marks = ", ".join("?" for _ in range(columns))
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                batch = []
                sql = f"INSERT INTO {BULK_TABLE} ({names}) VALUES ({marks})"  # noqa: S608
                for row in reader:
                    batch.append(row)
                    if len(batch) >= 10_000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {BULK_TABLE}")  # noqa: S608
        loaded = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {BULK_TABLE}")
    return elapsed, loaded


def highest_person_id() -> int:
    from django.db.models import Max
    from django_scopes import scopes_disabled

    from niaga.registry.models import Person

    with scopes_disabled():
        return Person.objects.aggregate(top=Max("id"))["top"] or 0


def clean_up(province, after_id: int) -> None:
    """Remove the people this run imported (ids above `after_id`), so that a scratch
    database can run the benchmark again; rows of other runs or benchmarks stay."""
    from django.db import connection

    from niaga.registry.models import Person

    with connection.cursor() as cursor:
        table = Person._meta.db_table
        cursor.execute(
            f"DELETE FROM {table} WHERE province_id = %s AND id > %s",  # noqa: S608
            [province.pk, after_id],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=None, help="rows per check step")
    parser.add_argument("--keep", action="store_true", help="keep the imported people")
    args = parser.parse_args()

    data_dir = prepare_environment()
    db = database_kind()
    from django.conf import settings

    from niaga.regions.models import Province, Regency
    from niaga.registry.domain import imports as domain

    # A benchmark file may be larger than the upload limit of the pages.
    settings.NIAGA_IMPORT_MAX_BYTES = 10 * 2**30
    settings.NIAGA_IMPORT_MAX_ROWS = max(args.rows, 1_000_000)
    province = Province.objects.get(slug="jatim")
    codes = list(Regency.objects.filter(province=province).values_list("code", flat=True))
    after_id = highest_person_id()
    fd, path = tempfile.mkstemp(suffix=".csv", prefix="people-", dir=data_dir)
    os.close(fd)
    try:
        generating = time.perf_counter()
        generate(path, args.rows, codes)
        size_mb = os.path.getsize(path) / 2**20
        print(
            f"{db}, data in {data_dir}; {args.rows:,} people, {size_mb:.1f} MB "
            f"(generated in {time.perf_counter() - generating:.1f} s)",
            flush=True,
        )
        timings = run_import(path, province, args.chunk or domain.CHUNK_ROWS)
        if timings["created"] != args.rows:
            raise SystemExit(f"imported {timings['created']} rows, not {args.rows}")
        import_rate = args.rows / timings["total_s"]
        print(
            "import: upload {upload_s:.1f} s, check {check_s:.1f} s, commit {commit_s:.1f} s, "
            "total {total_s:.1f} s".format(**timings)
            + f" = {import_rate:,.0f} rows/s",
            flush=True,
        )
        from niaga.registry.resources import PEOPLE

        bulk_s, loaded = bulk_load(path, len(PEOPLE.import_columns))
        if loaded != args.rows:
            raise SystemExit(f"bulk load stored {loaded} rows, not {args.rows}")
        bulk_rate = args.rows / bulk_s
        print(f"bulk load: {bulk_s:.1f} s = {bulk_rate:,.0f} rows/s", flush=True)
    finally:
        os.unlink(path)
        if not args.keep:
            clean_up(province, after_id)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"RESULT name=registry_import db={db} rows={args.rows} "
        f"import_rows_per_s={import_rate:.0f} bulk_rows_per_s={bulk_rate:.0f} "
        f"ratio={import_rate / bulk_rate:.3f} peak_mb={peak_mb:.0f}"
    )


if __name__ == "__main__":
    main()
