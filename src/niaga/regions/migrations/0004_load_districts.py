"""Load the 7,285 districts (kecamatan) from data/districts.csv (ODbL, see data/NOTICE)."""

from django.db import migrations

from niaga.regions.loading import load_districts


def load(apps, schema_editor):
    load_districts(apps.get_model("regions", "District"))


def unload(apps, schema_editor):
    apps.get_model("regions", "District").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_district")]
    operations = [migrations.RunPython(load, unload)]
