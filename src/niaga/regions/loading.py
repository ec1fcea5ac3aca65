"""Loading the shipped region tables (data/*.csv, ODbL) into the database.

Used by the data migration (with historical models) and by tests whose
database was flushed.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_regions(province_model, regency_model) -> None:
    """Insert all provinces and regencies/cities. The tables must be empty."""
    with open(DATA / "provinces.csv", encoding="utf-8", newline="") as handle:
        province_model.objects.bulk_create(province_model(**row) for row in csv.DictReader(handle))
    with open(DATA / "regencies.csv", encoding="utf-8", newline="") as handle:
        regency_model.objects.bulk_create(
            regency_model(
                code=row["code"],
                province_id=row["province_code"],
                name=row["name"],
                # Kemendagri numbers kabupaten 01–69 and kota 71–99.
                kind="kota" if int(row["code"][3:5]) >= 71 else "kabupaten",
            )
            for row in csv.DictReader(handle)
        )


def load_districts(district_model) -> None:
    """Insert all 7,285 districts (kecamatan). The table must be empty; regencies must exist."""
    with open(DATA / "districts.csv", encoding="utf-8", newline="") as handle:
        district_model.objects.bulk_create(
            (
                district_model(code=row["code"], regency_id=row["regency_code"], name=row["name"])
                for row in csv.DictReader(handle)
            ),
            batch_size=1000,
        )
