"""The demo OPOP programs as plain data: East Java's program (since 2019) and
South Kalimantan's, replicated from it in August 2022.

Nothing here touches the database; `niaga.programs.demo` loads it. Facts that
the public record gives are kept as given (East Java's launch on 7 August 2019
and its Training Center at UNUSA, targets of 1,000,000 santripreneurs and
1,000 products for 2024, end-2021 450 products of which 150 curated, end-2022
239,993 santripreneurs, 750 pesantrenpreneurs and 1,029 sosiopreneurs, 687
cooperatives helped by 2022, 1,420 pesantren helped by 2025, South
Kalimantan's launch in August 2022 with 10 pesantren). Every other figure is
made up for the demo and its source says so ("angka demo").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

JATIM_SLUG = "opop-jatim"
KALSEL_SLUG = "opop-kalsel"

JATIM_PROGRAM = {
    "slug": JATIM_SLUG,
    "name": "OPOP Jawa Timur",
    "launch_date": dt.date(2019, 8, 7),
    # The demo does not quote a regulation number it cannot vouch for.
    "legal_basis_number": "Pergub Jatim (contoh demo)",
    "legal_basis_title": (
        "Peraturan Gubernur Jawa Timur tentang Program One Pesantren One Product (contoh demo)"
    ),
    "description": (
        "Program pengembangan ekonomi pesantren Dinas Koperasi dan UKM Jawa Timur melalui "
        "tiga pilar (santripreneur, pesantrenpreneur, sosiopreneur), Training Center OPOP "
        "di UNUSA, kurasi produk, dan pemasaran."
    ),
    "pillars": ["santripreneur", "pesantrenpreneur", "sosiopreneur"],
    "aspects": ["institution", "human_resources", "product", "financing", "marketing"],
    "delivery_modes": ["in_class", "extracurricular", "full_program"],
}

# Five chapters of cooperative-based santripreneurship: (title, hours, description, outcomes).
JATIM_MODULES = [
    (
        "Jiwa santripreneur",
        12,
        "Kewirausahaan dalam tradisi pesantren: niat, akhlak berniaga, dan peluang usaha "
        "di sekitar pondok.",
        ["Menjelaskan nilai-nilai berniaga dalam Islam", "Memetakan peluang usaha di pesantren"],
    ),
    (
        "Koperasi pondok pesantren",
        16,
        "Kopontren sebagai wadah usaha bersama: badan hukum, akta, NIB, rapat anggota, dan "
        "tata kelola.",
        ["Menyusun struktur dan AD/ART koperasi", "Mengurus NIB melalui OSS"],
    ),
    (
        "Produk dan kurasi",
        16,
        "Dari ide ke produk siap pasar: standar mutu, kemasan, label, sertifikasi halal, "
        "P-IRT, dan BPOM.",
        ["Menyiapkan dokumen legalitas produk", "Memenuhi syarat kurasi ritel modern"],
    ),
    (
        "Pemasaran dan ekonomi digital",
        14,
        "Merek bersama pesantren, lokapasar, media sosial, pameran OPOP Expo, dan misi dagang.",
        ["Membuat katalog produk daring", "Menyusun rencana pemasaran sederhana"],
    ),
    (
        "Keuangan dan permodalan",
        12,
        "Pembukuan sederhana, harga pokok, arus kas, dan akses pembiayaan syariah.",
        ["Menyusun laporan keuangan sederhana", "Menghitung harga pokok produksi"],
    ),
]

JATIM_COURSES = [
    # (title, delivery mode, module orders)
    ("Pelatihan Santripreneur Berbasis Koperasi", "in_class", [1, 2, 3, 4, 5]),
    ("Kelas Ekstrakurikuler Kewirausahaan Santri", "extracurricular", [1, 3, 4]),
]


@dataclass(frozen=True)
class CohortPlan:
    course: int  # index into the courses
    name: str
    starts_on: dt.date
    days: int
    venue: str
    capacity: int
    participants: int  # how many registry people take part
    sessions: int


# 2019–2024: the Training Center's cohorts, a few a year.
JATIM_COHORTS = [
    CohortPlan(
        0,
        "Angkatan I 2019",
        dt.date(2019, 9, 16),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        24,
        5,
    ),
    CohortPlan(
        0,
        "Angkatan II 2019",
        dt.date(2019, 11, 11),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        22,
        5,
    ),
    CohortPlan(
        0,
        "Angkatan I 2020",
        dt.date(2020, 2, 10),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        25,
        5,
    ),
    CohortPlan(1, "Ekstrakurikuler 2020 (daring)", dt.date(2020, 9, 7), 10, "", 40, 30, 6),
    CohortPlan(
        0,
        "Angkatan I 2021",
        dt.date(2021, 4, 5),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        26,
        5,
    ),
    CohortPlan(0, "Angkatan II 2021", dt.date(2021, 10, 4), 5, "Bakorwil Madiun", 30, 24, 5),
    CohortPlan(
        0,
        "Angkatan I 2022",
        dt.date(2022, 3, 14),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        28,
        5,
    ),
    CohortPlan(1, "Ekstrakurikuler 2022", dt.date(2022, 8, 15), 12, "Bakorwil Jember", 40, 30, 6),
    CohortPlan(
        0,
        "Angkatan I 2023",
        dt.date(2023, 5, 8),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        27,
        5,
    ),
    CohortPlan(0, "Angkatan II 2023", dt.date(2023, 9, 11), 5, "Bakorwil Pamekasan", 30, 25, 5),
    CohortPlan(
        0,
        "Angkatan I 2024",
        dt.date(2024, 2, 19),
        5,
        "Training Center OPOP, UNUSA Surabaya",
        30,
        29,
        5,
    ),
    CohortPlan(
        1, "Ekstrakurikuler 2024", dt.date(2024, 7, 22), 12, "Bakorwil Bojonegoro", 40, 30, 6
    ),
]

JATIM_TRAINERS = "Dr. Achmad Syafi'i\nHj. Lailatul Fitriyah, S.E., M.M.\nIr. Bambang Setiawan"

DEMO_SOURCE = "Dinas Koperasi dan UKM Jawa Timur (angka demo)"
REPORTED_SOURCE = "Dinas Koperasi dan UKM Jawa Timur"

# Indicator key → (source, entered figures {year-end: (value, source note)}).
JATIM_INDICATORS = {
    "santripreneurs": (
        "entered",
        {
            2019: (11_250, DEMO_SOURCE),
            2020: (78_400, DEMO_SOURCE),
            2021: (161_700, DEMO_SOURCE),
            2022: (239_993, REPORTED_SOURCE),
            2023: (311_500, DEMO_SOURCE),
            2024: (384_200, DEMO_SOURCE),
            2025: (452_800, DEMO_SOURCE),
        },
    ),
    "pesantrenpreneurs": (
        "entered",
        {
            2019: (150, DEMO_SOURCE),
            2020: (370, DEMO_SOURCE),
            2021: (560, DEMO_SOURCE),
            2022: (750, REPORTED_SOURCE),
            2023: (905, DEMO_SOURCE),
            2024: (1_060, DEMO_SOURCE),
            2025: (1_190, DEMO_SOURCE),
        },
    ),
    "sosiopreneurs": (
        "entered",
        {
            2020: (310, DEMO_SOURCE),
            2021: (640, DEMO_SOURCE),
            2022: (1_029, REPORTED_SOURCE),
            2023: (1_350, DEMO_SOURCE),
            2024: (1_640, DEMO_SOURCE),
        },
    ),
    # Computed from the registry now; the registry demo's rows were all entered
    # on the day the demo loads, so the years before carry entered figures.
    "products": (
        "computed",
        {
            2020: (260, DEMO_SOURCE),
            2021: (450, REPORTED_SOURCE),
            2022: (690, DEMO_SOURCE),
            2023: (880, DEMO_SOURCE),
            2024: (1_040, DEMO_SOURCE),
            2025: (1_120, DEMO_SOURCE),
        },
    ),
    "curated_products": (
        "computed",
        {
            2020: (70, DEMO_SOURCE),
            2021: (150, REPORTED_SOURCE),
            2022: (235, DEMO_SOURCE),
            2023: (330, DEMO_SOURCE),
            2024: (415, DEMO_SOURCE),
            2025: (480, DEMO_SOURCE),
        },
    ),
    "pesantren_assisted": (
        "entered",
        {
            2020: (310, DEMO_SOURCE),
            2022: (687, REPORTED_SOURCE),
            2023: (940, DEMO_SOURCE),
            2024: (1_180, DEMO_SOURCE),
            2025: (1_420, REPORTED_SOURCE),
        },
    ),
    "training_graduates": ("computed", {}),
    "grants_disbursed": ("computed", {}),
}

# Indicator key → {year: target}.
JATIM_TARGETS = {
    "santripreneurs": {2024: 1_000_000},
    "products": {2024: 1_000},
    "curated_products": {2024: 500},
    "pesantren_assisted": {2030: 2_000},
}

KALSEL_PROGRAM = {
    "slug": KALSEL_SLUG,
    "name": "OPOP Kalimantan Selatan",
    "launch_date": dt.date(2022, 8, 18),
    "replicated_on": dt.date(2022, 8, 18),
    "legal_basis_number": "",
    "legal_basis_title": "",
}
KALSEL_COHORT = CohortPlan(
    0,
    "Angkatan I 2023",
    dt.date(2023, 6, 12),
    5,
    "Dinas Koperasi dan UKM Kalsel, Banjarbaru",
    25,
    20,
    5,
)
# Replication copies East Java's targets; South Kalimantan sets its own.
KALSEL_TARGETS = {
    "santripreneurs": {2024: 1_000},
    "products": {2024: 50},
    "curated_products": {2024: 20},
    "pesantren_assisted": {2024: 25, 2030: 100},
}
KALSEL_SOURCE = "Dinas Koperasi dan UKM Kalimantan Selatan"
KALSEL_FIGURES = {
    "pesantren_assisted": {2023: (10, KALSEL_SOURCE), 2024: (25, KALSEL_SOURCE)},
    "santripreneurs": {2023: (120, KALSEL_SOURCE + " (angka demo)")},
}

# Grants from the provincial budget to a share of East Java's demo pesantren:
# (year, amount in rupiah) cycled over the pesantren in a fixed order.
JATIM_GRANT_AMOUNTS = [25_000_000, 30_000_000, 50_000_000, 40_000_000, 35_000_000]
JATIM_GRANT_YEARS = [2020, 2021, 2022, 2023, 2024, 2025]
