"""Load the 38 provinces and 514 regencies/cities from data/*.csv (ODbL, see data/NOTICE)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Province = apps.get_model("regions", "Province")
    Regency = apps.get_model("regions", "Regency")
    with open(DATA / "provinces.csv", encoding="utf-8", newline="") as handle:
        Province.objects.bulk_create(Province(**row) for row in csv.DictReader(handle))
    with open(DATA / "regencies.csv", encoding="utf-8", newline="") as handle:
        Regency.objects.bulk_create(
            Regency(
                code=row["code"],
                province_id=row["province_code"],
                name=row["name"],
                kind="kota" if int(row["code"][3:5]) >= 71 else "kabupaten",
            )
            for row in csv.DictReader(handle)
        )


def unload(apps, schema_editor):
    apps.get_model("regions", "Regency").objects.all().delete()
    apps.get_model("regions", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
