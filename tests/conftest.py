"""Shared fixtures: a small named world of two provinces and their people.

East Java (Jatim) and South Kalimantan (Kalsel) each have an admin, an officer
and their own rows, so that every permission test has a second province
whose data could leak.
"""

import pytest
from django.test import override_settings
from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, Role, User
from niaga.regions.models import Province

PASSWORD = "uji-kata-sandi-2026"


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    """Static files straight from the apps (no collectstatic manifest), and a fast
    password hasher: PBKDF2's deliberate slowness would dominate the suite."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(STORAGES=storages, PASSWORD_HASHERS=hashers):
        yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    """No test sees another's cached figures: ids repeat after a rollback or flush."""
    from django.core.cache import cache

    from niaga.missions.board import forget_feed_copies

    cache.clear()
    forget_feed_copies()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language. The API's token check switches to
    its user's language in the test's own thread (ninja's test client skips the
    middleware), which would otherwise reach the next test on that worker."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _region_data(request):
    """Transactional tests flush every table, the migrated region data too: put it back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from niaga.regions.loading import load_districts, load_regions
    from niaga.regions.models import District, Regency

    if not Province.objects.exists():
        load_regions(Province, Regency)
        load_districts(District)


def make_user(username: str, *, province: Province | None = None, roles=(), **fields) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=fields.pop("full_name", username), **fields
    )
    with scopes_disabled():
        for role in roles:
            Membership.objects.create(user=user, province=province, role=role)
    return user


@pytest.fixture
def jatim(db) -> Province:
    return Province.objects.get(slug="jatim")


@pytest.fixture
def kalsel(db) -> Province:
    return Province.objects.get(slug="kalsel")


@pytest.fixture
def jatim_admin(jatim) -> User:
    return make_user("jatim-admin", province=jatim, roles=[Role.PROVINCE_ADMIN])


@pytest.fixture
def jatim_desk(jatim) -> User:
    return make_user("jatim-desk", province=jatim, roles=[Role.DESK_OFFICER])


@pytest.fixture
def kalsel_admin(kalsel) -> User:
    return make_user("kalsel-admin", province=kalsel, roles=[Role.PROVINCE_ADMIN])


@pytest.fixture
def kalsel_viewer(kalsel) -> User:
    return make_user("kalsel-viewer", province=kalsel, roles=[Role.VIEWER])


@pytest.fixture
def jatim_registry(jatim) -> User:
    return make_user("jatim-registry", province=jatim, roles=[Role.REGISTRY_OFFICER])


@pytest.fixture
def jatim_curator(jatim) -> User:
    return make_user("jatim-curator", province=jatim, roles=[Role.CURATOR])


@pytest.fixture
def jatim_privacy(jatim) -> User:
    return make_user("jatim-dpo", province=jatim, roles=[Role.PRIVACY_OFFICER])


@pytest.fixture
def kalsel_registry(kalsel) -> User:
    return make_user("kalsel-registry", province=kalsel, roles=[Role.REGISTRY_OFFICER])


@pytest.fixture
def national_viewer(db) -> User:
    return make_user("nasional", is_national_viewer=True)


# --- A mission of East Java to South Kalimantan, open, with two businesses a side ---


@pytest.fixture
def mission(jatim, kalsel, jatim_admin):
    from tests.missions.conftest import make_mission

    return make_mission(jatim_admin, jatim, kalsel)


@pytest.fixture
def sellers(mission, jatim_admin):
    from niaga.missions.models import Side
    from tests.missions.conftest import add_business

    return [
        add_business(jatim_admin, mission, "UD Telur Makmur", "35.05", Side.ORGANISER),
        add_business(jatim_admin, mission, "CV Kopi Ijen", "35.10", Side.ORGANISER),
    ]


@pytest.fixture
def buyers(mission, jatim_admin):
    from niaga.missions.models import Side
    from tests.missions.conftest import add_business

    return [
        add_business(jatim_admin, mission, "PT Borneo Pangan", "63.71", Side.HOST),
        add_business(jatim_admin, mission, "CV Batubara Tanah Laut", "63.01", Side.HOST),
    ]
