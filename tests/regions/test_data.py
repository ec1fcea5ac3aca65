from niaga.regions.models import Province, Regency


def test_counts(db):
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
