"""Demo accounts for East Java, South Kalimantan and the national view."""

from django_scopes import scopes_disabled

from niaga.accounts.models import Membership, Role, User
from niaga.core.demo_registry import DemoAccount
from niaga.regions.models import Province

DEMO_PASSWORD = "niaga-demo-2026"  # noqa: S105 - printed for anyone trying the demo

# username, full name, province slug or None, roles, national viewer, what it shows
ACCOUNTS = [
    (
        "jatim-admin",
        "Siti Rahmawati",
        "jatim",
        [Role.PROVINCE_ADMIN, Role.MISSION_MANAGER],
        False,
        "East Java province admin and mission manager",
    ),
    ("jatim-desk", "Ahmad Fauzi", "jatim", [Role.DESK_OFFICER], False, "East Java desk officer"),
    (
        "jatim-registry",
        "Dewi Lestari",
        "jatim",
        [Role.REGISTRY_OFFICER],
        False,
        "East Java registry officer",
    ),
    ("jatim-kurator", "Hadi Purnomo", "jatim", [Role.CURATOR], False, "East Java product curator"),
    (
        "jatim-dpo",
        "Retno Wulandari",
        "jatim",
        [Role.PRIVACY_OFFICER],
        False,
        "East Java data protection officer (reveals NIKs, exports and erases personal data)",
    ),
    (
        "jatim-opop",
        "Nurul Azizah",
        "jatim",
        [Role.PROGRAM_OFFICER],
        False,
        "East Java OPOP program officer (training, support records, indicators)",
    ),
    (
        "jatim-verifikator",
        "Verifikator Bank Indonesia Jatim",
        "jatim",
        [Role.VERIFIER],
        False,
        "East Java verifier (Bank Indonesia): verifies or disputes deals and their realization",
    ),
    (
        "pesantren-demo",
        "Ustadz Miftahul Huda",
        "jatim",
        [Role.PESANTREN],
        False,
        "account of one pesantren (PP Miftahul Ulum Al-Barokah, Jombang)",
    ),
    (
        "kalsel-admin",
        "Muhammad Rizky Pratama",
        "kalsel",
        [Role.PROVINCE_ADMIN, Role.MISSION_MANAGER],
        False,
        "South Kalimantan province admin and mission manager",
    ),
    ("kalsel-viewer", "Nur Aini", "kalsel", [Role.VIEWER], False, "South Kalimantan viewer"),
    ("nasional", "Bambang Wijaya", None, [], True, "national viewer, read-only, all provinces"),
]


def load(*, out) -> list[DemoAccount]:
    accounts = []
    with scopes_disabled():
        for username, full_name, slug, roles, national, description in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, full_name=full_name, is_national_viewer=national)
                user.set_password(DEMO_PASSWORD)
                user.save()
            if slug:
                province = Province.objects.get(slug=slug)
                for role in roles:
                    Membership.objects.get_or_create(user=user, province=province, role=role)
            accounts.append(DemoAccount(username, DEMO_PASSWORD, description))
    return accounts
