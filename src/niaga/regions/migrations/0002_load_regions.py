"""Load the 38 provinces and 514 regencies/cities from data/*.csv (ODbL, see data/NOTICE)."""

from django.db import migrations

from niaga.regions.loading import load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("regions", "Province"), apps.get_model("regions", "Regency"))


def unload(apps, schema_editor):
    apps.get_model("regions", "Regency").objects.all().delete()
    apps.get_model("regions", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
