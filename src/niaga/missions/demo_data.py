"""The demo mission's content: businesses, commodities and the day's deals, as plain data.

Nothing here touches the database: `businesses()` and `deal_plan()` build the
same lists every time (fixed seeds), and `niaga.missions.demo` writes them
through the domain functions. Names, contacts, phone numbers and NIBs are
fictional; commodities, units and 2022 prices follow the domain brief
(Jatim sells eggs, poultry, cattle, coffee, rice, sugar, feed, fertiliser,
cigarettes, spices, fashion, building materials; it buys coal, CPO, timber,
fish and shrimp, charcoal).

The totals are exact by construction (see `deal_plan`): Rp 147.312.766.000 up
to and including 18.00 WITA, Rp 147.321.766.000 by 18.30 WITA.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2022, 4, 13)


def wita(hour: int, minute: int, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WITA)


MISSION = {
    "slug": "jatim-kalsel-2022",
    "name": "Misi Dagang dan Investasi Jawa Timur – Kalimantan Selatan",
    "venue": "Galaxy Hotel Banjarmasin",
    "opens_at": wita(11, 0),
    "closes_at": wita(22, 0),
    "is_public": True,
}
PRACTICE_DAY = dt.date(2026, 12, 8)  # a Tuesday, soon after the project's "today"
PRACTICE = {
    "slug": "simulasi",
    "name": "Simulasi Misi Dagang Jawa Timur – Kalimantan Selatan",
    "venue": "Galaxy Hotel Banjarmasin (simulasi)",
    "opens_at": wita(9, 0, day=PRACTICE_DAY),
    "closes_at": wita(16, 0, day=PRACTICE_DAY),
    "is_public": False,
}
HOST_REGENCY = "63.71"  # Kota Banjarmasin
KEY_PREFIX = "demo-jatim-kalsel-2022-"

TOTAL_IDR = 147_321_766_000  # by 18.30 WITA
TOTAL_AT_1800_IDR = 147_312_766_000  # up to and including 18.00 WITA
SNAPSHOT_TIMES = (wita(18, 0), wita(18, 30))
LAST_DEAL_AT = wita(18, 30)

# What the organiser sells (jual) and buys (beli) in value, before 18.00.
# Investment is the fixed list INVESTMENTS; sell takes the rest.
INVEST_IDR = 14_450_000_000
BUY_IDR = 52_870_000_000
SELL_IDR = TOTAL_AT_1800_IDR - INVEST_IDR - BUY_IDR  # 79.992.766.000
# Deals recorded before 18.00 per category (all Jatim businesses sell, Kalsel buys)…
SELL_COUNTS = {
    "telur": 14,
    "unggas": 9,
    "sapi": 8,
    "kopi": 7,
    "beras": 10,
    "gula": 8,
    "pakan": 9,
    "pupuk": 6,
    "rokok": 5,
    "rempah": 4,
    "fesyen": 8,
    "bangunan": 8,
    "olahan": 7,
    "garam": 1,
}
# …and what Jatim businesses buy from Kalsel.
BUY_COUNTS = {
    "batubara": 8,
    "sawit": 7,
    "kayu": 7,
    "ikan": 11,
    "arang": 5,
    "karet": 3,
    "kriya": 4,
}

CATEGORY_LABELS = {
    "telur": "telur ayam ras",
    "unggas": "DOC dan daging ayam",
    "sapi": "sapi potong",
    "kopi": "kopi",
    "beras": "beras",
    "gula": "gula pasir",
    "pakan": "pakan ternak dan ikan",
    "pupuk": "pupuk",
    "rokok": "rokok dan tembakau",
    "rempah": "rempah dan empon-empon",
    "fesyen": "batik dan busana",
    "bangunan": "bahan bangunan",
    "olahan": "makanan dan minuman olahan",
    "garam": "garam",
    "batubara": "batubara",
    "sawit": "CPO dan inti sawit",
    "kayu": "kayu olahan",
    "ikan": "ikan dan udang",
    "arang": "arang",
    "karet": "karet",
    "kriya": "sasirangan dan kerajinan",
}


@dataclass(frozen=True)
class Product:
    category: str
    commodity: str
    unit: str
    volume: tuple[int, int]  # a plausible range for one deal, before scaling
    price: tuple[int, int, int]  # rupiah per unit: lowest, highest, step
    hs_code: str = ""


P = Product
# fmt: off
PRODUCTS = {
    # East Java sells (jual)
    "telur": P("telur", "Telur ayam ras", "ton", (10, 80), (23_000_000, 26_500_000, 250_000),
               "04072100"),
    "doc_broiler": P("unggas", "DOC ayam pedaging", "ekor", (20_000, 150_000), (5_500, 7_000, 250)),
    "doc_layer": P("unggas", "DOC ayam petelur", "ekor", (5_000, 30_000), (9_000, 12_000, 500)),
    "karkas": P("unggas", "Karkas ayam beku", "ton", (5, 40), (32_000_000, 36_000_000, 500_000),
                "02071200"),
    "sapi_potong": P("sapi", "Sapi potong Madura", "ekor", (20, 150),
                     (17_000_000, 22_000_000, 250_000)),
    "sapi_bakalan": P("sapi", "Sapi bakalan", "ekor", (30, 200), (13_500_000, 16_500_000, 250_000)),
    "daging_sapi": P("sapi", "Daging sapi beku", "ton", (2, 15),
                     (105_000_000, 125_000_000, 1_000_000), "02023000"),
    "kopi_robusta": P("kopi", "Kopi robusta biji (green bean)", "ton", (3, 30),
                      (24_000_000, 29_000_000, 250_000), "09011190"),
    "kopi_arabika": P("kopi", "Kopi arabika biji (green bean)", "ton", (1, 8),
                      (75_000_000, 95_000_000, 1_000_000), "09011190"),
    "kopi_bubuk": P("kopi", "Kopi bubuk kemasan", "kg", (300, 3_000), (85_000, 140_000, 5_000),
                    "09012120"),
    "beras_premium": P("beras", "Beras premium", "ton", (20, 300),
                       (10_800_000, 12_200_000, 100_000), "10063099"),
    "beras_medium": P("beras", "Beras medium", "ton", (30, 400), (9_200_000, 10_000_000, 100_000),
                      "10063099"),
    "gula": P("gula", "Gula kristal putih", "ton", (20, 250), (12_200_000, 13_500_000, 100_000)),
    "pakan_layer": P("pakan", "Pakan ayam petelur", "ton", (30, 250),
                     (7_000_000, 8_500_000, 100_000)),
    "pakan_broiler": P("pakan", "Pakan ayam pedaging", "ton", (30, 250),
                       (7_500_000, 9_000_000, 100_000)),
    "pakan_ikan": P("pakan", "Pakan ikan apung (pelet)", "ton", (20, 150),
                    (10_000_000, 13_000_000, 100_000)),
    "pakan_udang": P("pakan", "Pakan udang", "ton", (10, 60), (15_000_000, 20_000_000, 250_000)),
    "npk": P("pupuk", "Pupuk NPK non-subsidi", "ton", (20, 200), (10_000_000, 14_000_000, 250_000),
             "31052000"),
    "organik": P("pupuk", "Pupuk organik granul", "ton", (50, 500),
                 (1_500_000, 3_000_000, 100_000)),
    "dolomit": P("pupuk", "Kapur pertanian (dolomit)", "ton", (100, 600),
                 (700_000, 1_000_000, 25_000)),
    "rokok": P("rokok", "Rokok sigaret kretek mesin", "bal", (100, 800),
               (2_200_000, 3_000_000, 50_000), "24022020"),
    "rokok_skt": P("rokok", "Rokok sigaret kretek tangan", "bal", (100, 600),
                   (1_800_000, 2_500_000, 50_000), "24022020"),
    "tembakau": P("rokok", "Tembakau rajangan Madura", "ton", (2, 20),
                  (40_000_000, 70_000_000, 1_000_000)),
    "jahe": P("rempah", "Jahe merah", "ton", (2, 20), (20_000_000, 35_000_000, 500_000),
              "09101100"),
    "kunyit": P("rempah", "Kunyit", "ton", (5, 40), (5_000_000, 8_000_000, 250_000), "09103000"),
    "cengkih": P("rempah", "Cengkih kering", "ton", (1, 8), (90_000_000, 110_000_000, 1_000_000),
                 "09071000"),
    "empon": P("rempah", "Empon-empon kering (simplisia)", "ton", (1, 10),
               (15_000_000, 30_000_000, 500_000)),
    "batik_tulis": P("fesyen", "Batik tulis", "lembar", (50, 400), (350_000, 1_500_000, 50_000)),
    "batik_cap": P("fesyen", "Batik cap", "lembar", (200, 2_000), (120_000, 250_000, 10_000)),
    "tas": P("fesyen", "Tas kulit", "pcs", (100, 1_000), (200_000, 600_000, 25_000)),
    "tenun": P("fesyen", "Sarung tenun ikat", "lembar", (100, 1_000), (150_000, 400_000, 25_000)),
    "busana": P("fesyen", "Busana muslim", "kodi", (20, 300), (2_500_000, 5_000_000, 100_000)),
    "sepatu": P("fesyen", "Sepatu kulit", "pasang", (200, 2_000), (120_000, 250_000, 10_000)),
    "semen": P("bangunan", "Semen portland", "ton", (200, 2_000), (1_100_000, 1_300_000, 10_000)),
    "keramik": P("bangunan", "Keramik lantai", "m²", (2_000, 20_000), (55_000, 110_000, 2_500)),
    "besi": P("bangunan", "Besi beton", "ton", (20, 200), (11_000_000, 13_500_000, 100_000)),
    "genteng": P("bangunan", "Genteng press", "buah", (20_000, 150_000), (3_000, 5_000, 100)),
    "marmer": P("bangunan", "Marmer dan onyx olahan", "m²", (200, 2_000),
                (350_000, 900_000, 25_000)),
    "keripik": P("olahan", "Keripik dan camilan khas pesantren", "karton", (50, 600),
                 (250_000, 600_000, 10_000)),
    "amdk": P("olahan", "Air minum dalam kemasan", "karton", (2_000, 20_000),
              (19_000, 28_000, 500)),
    "sambal": P("olahan", "Sambal kemasan", "karton", (50, 500), (300_000, 700_000, 10_000)),
    "kerupuk": P("olahan", "Kerupuk ikan dan udang", "karton", (100, 1_000),
                 (150_000, 350_000, 10_000)),
    "kecap": P("olahan", "Kecap manis", "karton", (100, 1_500), (150_000, 250_000, 5_000)),
    "keripik_apel": P("olahan", "Keripik apel Batu", "karton", (50, 400),
                      (400_000, 800_000, 10_000)),
    "garam": P("garam", "Garam krosok Madura", "ton", (50, 500), (800_000, 1_300_000, 25_000)),
    # East Java buys (beli)
    "batubara": P("batubara", "Batubara GAR 4.200", "ton", (500, 2_500),
                  (1_050_000, 1_450_000, 10_000), "27011900"),
    "batubara_5000": P("batubara", "Batubara GAR 5.000", "ton", (400, 2_000),
                       (1_500_000, 1_900_000, 10_000)),
    "cpo": P("sawit", "Minyak sawit mentah (CPO)", "ton", (40, 250),
             (14_000_000, 16_500_000, 100_000), "15111000"),
    "pk": P("sawit", "Inti sawit (palm kernel)", "ton", (40, 250),
            (8_000_000, 11_000_000, 100_000)),
    "meranti": P("kayu", "Kayu gergajian meranti", "m³", (50, 500),
                 (3_500_000, 6_000_000, 100_000)),
    "plywood": P("kayu", "Kayu lapis (plywood)", "m³", (50, 400), (7_000_000, 9_500_000, 100_000)),
    "galam": P("kayu", "Kayu galam", "batang", (5_000, 50_000), (15_000, 30_000, 1_000)),
    "moulding": P("kayu", "Kayu olahan (moulding)", "m³", (30, 200),
                  (6_000_000, 9_000_000, 100_000)),
    "udang_windu": P("ikan", "Udang windu beku", "ton", (2, 20),
                     (90_000_000, 130_000_000, 1_000_000)),
    "udang_vaname": P("ikan", "Udang vaname segar", "ton", (5, 40),
                      (60_000_000, 80_000_000, 1_000_000)),
    "ikan_laut": P("ikan", "Ikan tongkol dan cakalang beku", "ton", (10, 80),
                   (18_000_000, 25_000_000, 500_000)),
    "haruan": P("ikan", "Ikan haruan (gabus) kering", "kg", (300, 2_000), (90_000, 150_000, 5_000)),
    "patin": P("ikan", "Ikan patin segar", "ton", (5, 40), (18_000_000, 24_000_000, 500_000)),
    "rumput_laut": P("ikan", "Rumput laut kering", "ton", (10, 80),
                     (9_000_000, 15_000_000, 250_000)),
    "kepiting": P("ikan", "Kepiting bakau hidup", "kg", (500, 5_000), (90_000, 150_000, 5_000)),
    "arang_kayu": P("arang", "Arang kayu galam", "ton", (20, 150), (5_000_000, 8_000_000, 100_000),
                    "44029090"),
    "arang_tempurung": P("arang", "Arang tempurung kelapa", "ton", (20, 150),
                         (8_000_000, 12_000_000, 100_000), "44029010"),
    "karet": P("karet", "Karet remah SIR 20", "ton", (10, 80), (20_000_000, 23_000_000, 100_000)),
    "bokar": P("karet", "Bahan olah karet (bokar)", "ton", (10, 80),
               (9_000_000, 12_000_000, 100_000)),
    "sasirangan": P("kriya", "Kain sasirangan", "lembar", (100, 1_000), (150_000, 450_000, 10_000)),
    "purun": P("kriya", "Anyaman purun", "pcs", (500, 3_000), (40_000, 150_000, 5_000)),
    "rotan": P("kriya", "Kerajinan rotan", "pcs", (100, 800), (150_000, 500_000, 10_000)),
}
# fmt: on


@dataclass(frozen=True)
class BusinessSeed:
    name: str
    regency: str  # Kemendagri code PP.KK
    sector: str
    sells: tuple[str, ...] = ()  # keys of PRODUCTS
    buys: tuple[str, ...] = ()  # categories


B = BusinessSeed
# 72 East Java businesses (the organiser's delegation), from every regency and city.
# fmt: off
JATIM = [
    B("UD Sumber Telur Makmur", "35.05", "Peternakan ayam petelur", ("telur",)),
    B("CV Ngudi Rejeki Farm", "35.05", "Peternakan ayam petelur", ("telur",)),
    B("KUD Tani Makmur Srengat", "35.05", "Koperasi peternak unggas", ("telur",)),
    B("Koperasi Peternak Unggas Putra Blitar", "35.72", "Koperasi peternak unggas",
      ("telur", "doc_layer")),
    B("UD Telur Barokah Kediri", "35.06", "Peternakan ayam petelur", ("telur",)),
    B("PT Sinar Unggas Tulungagung", "35.04", "Peternakan ayam petelur", ("telur",)),
    B("PT Sentosa Bibit Unggas", "35.14", "Pembibitan ayam", ("doc_broiler", "doc_layer")),
    B("CV Pasuruan Karkas Abadi", "35.75", "Pemotongan dan pengolahan ayam", ("karkas",)),
    B("UD Ayam Segar Mojosari", "35.16", "Pemotongan dan pengolahan ayam", ("karkas",)),
    B("PT Jombang Pangan Unggas", "35.17", "Peternakan ayam pedaging", ("doc_broiler", "karkas")),
    B("CV Malang Broiler Sejahtera", "35.07", "Peternakan ayam pedaging",
      ("karkas", "doc_broiler")),
    B("UD Karya Ternak Madura", "35.27", "Peternakan sapi potong", ("sapi_potong",)),
    B("KUD Sumber Ternak Sumenep", "35.29", "Koperasi peternak sapi", ("sapi_potong",)),
    B("CV Bangkalan Ternak Lestari", "35.26", "Peternakan sapi potong",
      ("sapi_potong", "sapi_bakalan")),
    B("UD Sapi Makmur Tuban", "35.23", "Peternakan sapi potong", ("sapi_bakalan",)),
    B("PT Probolinggo Daging Prima", "35.13", "Rumah potong hewan dan daging beku",
      ("daging_sapi",)),
    B("CV Kopi Ijen Raung Lestari", "35.11", "Perkebunan dan pengolahan kopi", ("kopi_arabika",)),
    B("UD Robusta Banyuwangi Jaya", "35.10", "Perkebunan dan pengolahan kopi", ("kopi_robusta",)),
    B("Koperasi Tani Kopi Dampit Sejahtera", "35.07", "Koperasi petani kopi", ("kopi_robusta",)),
    B("PT Jember Kopi Nusantara", "35.09", "Pengolahan kopi", ("kopi_robusta", "kopi_bubuk")),
    B("UD Kopi Semeru Lumajang", "35.08", "Pengolahan kopi", ("kopi_bubuk", "kopi_arabika")),
    B("UD Padi Mulya Ngawi", "35.21", "Penggilingan padi", ("beras_premium", "beras_medium")),
    B("PT Lumbung Pangan Bojonegoro", "35.22", "Perdagangan beras", ("beras_premium",)),
    B("CV Beras Sentosa Jember", "35.09", "Penggilingan padi", ("beras_premium", "beras_medium")),
    B("KUD Mina Tani Lamongan", "35.24", "Koperasi unit desa", ("beras_medium",)),
    B("UD Sri Rejeki Nganjuk", "35.18", "Penggilingan padi", ("beras_premium",)),
    B("PT Manis Jaya Kediri", "35.71", "Perdagangan gula", ("gula",)),
    B("KUD Tebu Rakyat Madiun", "35.19", "Koperasi petani tebu", ("gula",)),
    B("CV Gula Situbondo Mandiri", "35.12", "Perdagangan gula", ("gula",)),
    B("PT Sidoarjo Pakan Nusantara", "35.15", "Industri pakan ikan dan udang",
      ("pakan_ikan", "pakan_udang"), ("ikan",)),
    B("PT Gresik Feedmill Utama", "35.25", "Industri pakan ternak",
      ("pakan_broiler", "pakan_layer")),
    B("CV Mitra Pakan Mojokerto", "35.16", "Industri pakan ternak", ("pakan_broiler",)),
    B("UD Pakan Unggul Kediri", "35.06", "Industri pakan ternak", ("pakan_layer",)),
    B("CV Tulungagung Mina Pakan", "35.04", "Industri pakan ikan", ("pakan_ikan",)),
    B("PT Agro Subur Gresik", "35.25", "Industri pupuk", ("npk",)),
    B("CV Organik Lestari Jombang", "35.17", "Industri pupuk organik", ("organik",)),
    B("UD Dolomit Tuban Jaya", "35.23", "Pengolahan kapur dan dolomit", ("dolomit",)),
    B("PR Cahaya Kretek Kediri", "35.06", "Industri hasil tembakau", ("rokok", "rokok_skt")),
    B("PR Wijaya Tembakau Malang", "35.73", "Industri hasil tembakau", ("rokok",)),
    B("CV Tembakau Madura Pamekasan", "35.28", "Perdagangan tembakau", ("tembakau",)),
    B("UD Empon-Empon Pacitan", "35.01", "Rempah dan jamu", ("kunyit", "empon")),
    B("CV Cengkih Trenggalek Lestari", "35.03", "Perdagangan rempah", ("cengkih",)),
    B("Koperasi Tani Rempah Ponorogo", "35.02", "Koperasi petani rempah", ("jahe", "kunyit")),
    B("UD Jahe Merah Magetan", "35.20", "Rempah dan jamu", ("jahe",)),
    B("CV Batik Tulis Klampar Lestari", "35.28", "Batik", ("batik_tulis", "batik_cap")),
    B("UD Tas Kulit Tanggulangin", "35.15", "Kerajinan kulit", ("tas",)),
    B("CV Tenun Ikat Bandar Kidul", "35.71", "Tenun", ("tenun",)),
    B("PT Busana Muslim Surabaya Indah", "35.78", "Konveksi busana muslim", ("busana",),
      ("kriya",)),
    B("UD Sepatu Kulit Mojokerto", "35.76", "Alas kaki", ("sepatu",)),
    B("PT Sarana Bangun Gresik", "35.25", "Distribusi bahan bangunan", ("semen",)),
    B("CV Keramik Indah Surabaya", "35.78", "Distribusi bahan bangunan", ("keramik",)),
    B("UD Marmer Tulungagung Jaya", "35.04", "Industri marmer", ("marmer",)),
    B("PT Baja Beton Sidoarjo", "35.15", "Distribusi besi dan baja", ("besi",)),
    B("UD Genteng Press Trenggalek", "35.03", "Industri genteng", ("genteng",)),
    B("Kopontren Nurul Huda Sejahtera", "35.17", "Makanan olahan (OPOP)", ("keripik", "amdk")),
    B("Kopontren Darul Falah Pasuruan", "35.14", "Makanan dan minuman olahan (OPOP)",
      ("amdk", "keripik")),
    B("UD Keripik Apel Batu", "35.79", "Makanan olahan", ("keripik_apel",)),
    B("CV Sambal Nusantara Probolinggo", "35.74", "Makanan olahan", ("sambal",)),
    B("Koperasi Santri Mandiri Situbondo", "35.12", "Makanan olahan (OPOP)", ("kerupuk", "kecap")),
    B("UD Garam Rakyat Sampang", "35.27", "Garam rakyat", ("garam",)),
    B("PT Kertas Mojokerto Lestari", "35.16", "Industri kertas", (), ("batubara",)),
    B("PT Tekstil Pandaan Jaya", "35.14", "Industri tekstil", (), ("batubara",)),
    B("PT Energi Industri Gresik", "35.25", "Perdagangan batubara", (), ("batubara",)),
    B("PT Minyak Nabati Surabaya", "35.78", "Industri minyak goreng", (), ("sawit",)),
    B("PT Oleo Pangan Sidoarjo", "35.15", "Industri minyak goreng", (), ("sawit",)),
    B("CV Mebel Bukir Jaya", "35.75", "Industri mebel", (), ("kayu",)),
    B("UD Kayu Bangunan Madiun", "35.77", "Perdagangan kayu", (), ("kayu",)),
    B("PT Cold Storage Muncar Bahari", "35.10", "Pengolahan hasil perikanan", (), ("ikan",)),
    B("PT Mina Beku Probolinggo", "35.13", "Pengolahan hasil perikanan", (), ("ikan",)),
    B("CV Briket Arang Surabaya", "35.78", "Ekspor arang dan briket", (), ("arang",)),
    B("PT Karet Teknik Sidoarjo", "35.15", "Industri barang karet", (), ("karet",)),
    B("UD Galeri Kriya Malang", "35.73", "Perdagangan kerajinan", (), ("kriya",)),
]
# fmt: on
# 100 South Kalimantan businesses (the host side), from every regency and city.
# fmt: off
KALSEL = [
    B("CV Borneo Pangan Sejahtera", "63.71", "Distribusi sembako", (),
      ("beras", "gula", "telur", "garam")),
    B("PT Banjar Niaga Pangan", "63.71", "Distribusi sembako", (), ("beras", "gula", "olahan")),
    B("UD Sumber Rezeki Pasar Lama", "63.71", "Perdagangan sembako", (), ("telur", "gula")),
    B("CV Martapura Sembako Jaya", "63.03", "Distribusi sembako", (), ("beras", "gula", "garam")),
    B("UD Barokah Banjarbaru", "63.72", "Perdagangan sembako", (), ("telur", "beras")),
    B("CV Pelaihari Sumber Pangan", "63.01", "Distribusi sembako", (), ("beras", "gula")),
    B("UD Rantau Makmur", "63.05", "Perdagangan sembako", (), ("beras", "telur", "gula")),
    B("CV Kandangan Jaya Abadi", "63.06", "Distribusi sembako", (), ("gula", "beras", "olahan")),
    B("UD Barabai Sentosa", "63.07", "Perdagangan sembako", (), ("telur", "gula")),
    B("CV Amuntai Mitra Niaga", "63.08", "Distribusi sembako", (), ("beras", "gula", "garam")),
    B("PT Tanjung Pangan Lestari", "63.09", "Distribusi sembako", (), ("beras", "telur", "gula")),
    B("UD Paringin Berkah", "63.11", "Perdagangan sembako", (), ("beras", "gula", "telur")),
    B("CV Tanah Laut Poultry Shop", "63.01", "Sarana peternakan unggas", (), ("unggas", "pakan")),
    B("UD Ternak Unggas Bati-Bati", "63.01", "Peternakan ayam", (), ("unggas", "pakan")),
    B("Koperasi Peternak Ayam Banjarbaru", "63.72", "Koperasi peternak", (), ("unggas", "pakan")),
    B("PT Borneo Unggas Mandiri", "63.03", "Peternakan ayam pedaging", (), ("unggas", "pakan")),
    B("UD Ayam Petelur Gambut", "63.03", "Peternakan ayam petelur", (), ("unggas", "pakan")),
    B("CV Telur Kalimantan Jaya", "63.04", "Peternakan ayam petelur", (), ("unggas", "pakan")),
    B("UD Sapi Bakalan Tapin", "63.05", "Peternakan sapi", (), ("sapi",)),
    B("CV Feedlot Pelaihari", "63.01", "Penggemukan sapi", (), ("sapi", "pakan")),
    B("UD Hewan Kurban Kandangan", "63.06", "Perdagangan ternak", (), ("sapi",)),
    B("PT Rumah Potong Banjar Sehat", "63.72", "Rumah potong hewan", (), ("sapi",)),
    B("Koperasi Pembudidaya Ikan Riam Kanan", "63.03", "Perikanan budidaya", (), ("pakan",)),
    B("UD Tambak Udang Batulicin", "63.10", "Perikanan budidaya", (), ("pakan",)),
    B("CV Keramba Barito Kuala", "63.04", "Perikanan budidaya", (), ("pakan",)),
    B("UD Mina Sejahtera Kotabaru", "63.02", "Perikanan budidaya", (), ("pakan",)),
    B("KUD Sawit Makmur Kotabaru", "63.02", "Koperasi perkebunan", (), ("pupuk",)),
    B("Gapoktan Anjir Muara Sejahtera", "63.04", "Gabungan kelompok tani", (), ("pupuk",)),
    B("CV Tani Subur Kandangan", "63.06", "Sarana produksi pertanian", (), ("pupuk",)),
    B("UD Saprotan Tanjung", "63.09", "Sarana produksi pertanian", (), ("pupuk",)),
    B("UD Grosir Rokok Antasari", "63.71", "Grosir rokok", (), ("rokok",)),
    B("CV Tembakau Banua", "63.07", "Grosir rokok", (), ("rokok",)),
    B("UD Kios Rokok Batulicin", "63.10", "Grosir rokok", (), ("rokok",)),
    B("PT Banua Bangun Persada", "63.71", "Kontraktor dan bahan bangunan", (), ("bangunan",)),
    B("CV Toko Bangunan Sinar Banjarbaru", "63.72", "Toko bahan bangunan", (), ("bangunan",)),
    B("UD Material Jaya Batulicin", "63.10", "Toko bahan bangunan", (), ("bangunan",)),
    B("CV Kotabaru Bangun Mandiri", "63.02", "Kontraktor dan bahan bangunan", (), ("bangunan",)),
    B("PT Tabalong Konstruksi Utama", "63.09", "Kontraktor", (), ("bangunan",)),
    B("UD Bahan Bangunan Marabahan", "63.04", "Toko bahan bangunan", (), ("bangunan",)),
    B("CV Griya Material Martapura", "63.03", "Toko bahan bangunan", (), ("bangunan",)),
    B("CV Butik Annisa Banjarmasin", "63.71", "Perdagangan busana", (), ("fesyen",)),
    B("UD Toko Kain Pasar Martapura", "63.03", "Perdagangan tekstil", (), ("fesyen",)),
    B("CV Galeri Busana Banjarbaru", "63.72", "Perdagangan busana", (), ("fesyen",)),
    B("UD Sepatu dan Tas Amuntai", "63.08", "Perdagangan alas kaki dan tas", (), ("fesyen",)),
    B("CV Kopi Banua Roastery", "63.72", "Kafe dan sangrai kopi", (), ("kopi",)),
    B("UD Oleh-Oleh Khas Banjar", "63.71", "Toko oleh-oleh", (), ("kopi", "olahan")),
    B("PT Kedai Kopi Nusantara Banjarmasin", "63.71", "Kafe", (), ("kopi",)),
    B("UD Rempah Banua Pasar Baru", "63.71", "Perdagangan rempah", (), ("rempah",)),
    B("CV Jamu Herbal Martapura", "63.03", "Industri jamu", (), ("rempah",)),
    B("PT Hotel dan Katering Banjar Raya", "63.71", "Hotel dan katering", (),
      ("unggas", "telur", "beras", "sapi")),
    B("CV Katering Tambang Satui", "63.10", "Katering pertambangan", (),
      ("beras", "telur", "unggas")),
    B("UD Rumah Makan Ketupat Kandangan", "63.06", "Rumah makan", (), ("unggas", "telur")),
    B("CV Katering Kotabaru Bahari", "63.02", "Katering", (), ("beras", "unggas", "telur")),
    B("PT Minimarket Banua Mandiri", "63.72", "Ritel modern", (), ("olahan", "gula", "beras")),
    B("Koperasi Karyawan Tambang Tabalong", "63.09", "Koperasi konsumen", (),
      ("olahan", "beras", "gula")),
    B("CV Swalayan Barabai Indah", "63.07", "Ritel modern", (), ("olahan", "telur")),
    B("Kopontren Nurul Hikmah Martapura", "63.03", "Koperasi pondok pesantren", (),
      ("olahan", "beras")),
    B("Kopontren Raudhatul Ulum Amuntai", "63.08", "Koperasi pondok pesantren", (),
      ("olahan", "garam")),
    B("PT Batubara Banua Sejahtera", "63.10", "Pertambangan batubara", ("batubara",)),
    B("PT Satui Bara Mandiri", "63.10", "Pertambangan batubara", ("batubara", "batubara_5000")),
    B("PT Kotabaru Energi Mineral", "63.02", "Pertambangan batubara", ("batubara",)),
    B("PT Tabalong Bara Lestari", "63.09", "Pertambangan batubara", ("batubara_5000",)),
    B("PT Balangan Tambang Nusantara", "63.11", "Pertambangan batubara", ("batubara",)),
    B("CV Tapin Bara Abadi", "63.05", "Pertambangan batubara", ("batubara",)),
    B("PT Banjar Intan Energi", "63.03", "Pertambangan batubara", ("batubara",)),
    B("PT Jorong Mitra Tambang", "63.01", "Pertambangan batubara", ("batubara",)),
    B("PT Barito Samudra Trading", "63.71", "Perdagangan dan angkutan batubara",
      ("batubara", "batubara_5000")),
    B("KUD Sawit Plasma Pamukan", "63.02", "Perkebunan kelapa sawit", ("cpo",)),
    B("PT Sungai Sawit Kotabaru", "63.02", "Perkebunan dan pabrik kelapa sawit", ("cpo", "pk")),
    B("PT Tanah Laut Agro Sawit", "63.01", "Perkebunan dan pabrik kelapa sawit", ("cpo",)),
    B("PT Bumbu Palm Industri", "63.10", "Pabrik kelapa sawit", ("cpo", "pk")),
    B("Koperasi Sawit Tabalong Sejahtera", "63.09", "Koperasi perkebunan", ("cpo",)),
    B("PT Barito Kuala Agro Lestari", "63.04", "Perkebunan kelapa sawit", ("pk",)),
    B("PT Balangan Sawit Nusantara", "63.11", "Pabrik kelapa sawit", ("cpo",)),
    B("PT Kayu Lapis Barito Raya", "63.71", "Industri kayu lapis", ("plywood",)),
    B("CV Sawmill Kotabaru Jaya", "63.02", "Penggergajian kayu", ("meranti",)),
    B("UD Kayu Galam Marabahan", "63.04", "Perdagangan kayu", ("galam",)),
    B("CV Tabalong Timber", "63.09", "Penggergajian kayu", ("meranti", "moulding")),
    B("PT Meratus Kayu Olahan", "63.07", "Industri kayu olahan", ("moulding",)),
    B("UD Kayu Bangunan Paringin", "63.11", "Perdagangan kayu", ("meranti",)),
    B("CV Udang Windu Takisung", "63.01", "Perikanan tambak", ("udang_windu",)),
    B("PT Kotabaru Bahari Seafood", "63.02", "Perikanan tangkap dan pengolahan",
      ("ikan_laut", "udang_vaname")),
    B("UD Rumput Laut Pulau Laut", "63.02", "Budidaya rumput laut", ("rumput_laut",)),
    B("CV Tanah Bumbu Mina Lestari", "63.10", "Perikanan tangkap", ("ikan_laut", "kepiting")),
    B("UD Haruan Kering Amuntai", "63.08", "Pengolahan ikan air tawar", ("haruan",)),
    B("PT Cold Storage Banjarmasin Bahari", "63.71", "Pengolahan hasil perikanan",
      ("udang_vaname", "ikan_laut")),
    B("Koperasi Nelayan Barito Kuala", "63.04", "Koperasi perikanan", ("patin", "haruan")),
    B("UD Patin Keramba Martapura", "63.03", "Perikanan budidaya", ("patin",)),
    B("CV Tambak Vaname Tanah Laut", "63.01", "Perikanan tambak", ("udang_vaname",)),
    B("UD Arang Galam Gambut", "63.03", "Produksi arang", ("arang_kayu",)),
    B("CV Arang Tempurung Pelaihari", "63.01", "Produksi arang", ("arang_tempurung",)),
    B("UD Arang Banjarbaru Jaya", "63.72", "Produksi arang", ("arang_kayu", "arang_tempurung")),
    B("UD Arang Kayu Alalak", "63.04", "Produksi arang", ("arang_kayu",)),
    B("PT Karet Tabalong Jaya", "63.09", "Pengolahan karet", ("karet",)),
    B("KUD Karet Balangan Makmur", "63.11", "Koperasi petani karet", ("bokar",)),
    B("CV Karet Hulu Sungai", "63.07", "Perdagangan karet", ("bokar", "karet")),
    B("UD Sasirangan Sungai Jingah", "63.71", "Kain sasirangan", ("sasirangan",)),
    B("CV Purun Amuntai Kreatif", "63.08", "Kerajinan anyaman", ("purun",)),
    B("UD Rotan Kandangan", "63.06", "Kerajinan rotan", ("rotan",)),
    B("CV Sasirangan Banjarbaru", "63.72", "Kain sasirangan", ("sasirangan",)),
]
# fmt: on


@dataclass(frozen=True)
class FixedDeal:
    at: dt.datetime
    direction: str
    seller: str  # business name; for an investment, the investor
    buyer: str  # business name; for an investment, the target
    commodity: str
    value_idr: int
    stage: str
    note: str = ""
    volume: int | None = None
    unit: str = ""


F = FixedDeal
INVESTMENTS = [
    F(
        wita(11, 33, 10),
        "invest",
        "UD Sumber Telur Makmur",
        "CV Tanah Laut Poultry Shop",
        "Kemitraan kandang ayam petelur 50.000 ekor di Tanah Laut",
        4_500_000_000,
        "komitmen",
        "Penandatanganan komitmen investasi",
    ),
    F(
        wita(13, 47, 25),
        "invest",
        "PT Sidoarjo Pakan Nusantara",
        "Koperasi Pembudidaya Ikan Riam Kanan",
        "Pabrik pakan ikan mandiri 2 ton/jam di Kabupaten Banjar",
        3_200_000_000,
        "potensi",
        "Menunggu studi kelayakan",
    ),
    F(
        wita(14, 22, 51),
        "invest",
        "PT Cold Storage Muncar Bahari",
        "PT Kotabaru Bahari Seafood",
        "Cold storage hasil perikanan 100 ton di Kotabaru",
        2_750_000_000,
        "komitmen",
    ),
    F(
        wita(15, 8, 3),
        "invest",
        "CV Bangkalan Ternak Lestari",
        "UD Sapi Bakalan Tapin",
        "Kemitraan penggemukan sapi potong 300 ekor di Tapin",
        1_850_000_000,
        "komitmen",
    ),
    F(
        wita(16, 14, 39),
        "invest",
        "PT Sarana Bangun Gresik",
        "UD Material Jaya Batulicin",
        "Gudang distribusi semen di Batulicin",
        1_200_000_000,
        "potensi",
    ),
    F(
        wita(16, 51, 12),
        "invest",
        "PT Barito Samudra Trading",
        "PT Energi Industri Gresik",
        "Kerja sama stockpile batubara di Gresik",
        950_000_000,
        "potensi",
    ),
]
# After 18.00 WITA (sunset in Ramadan: buka puasa at about 18.17), two small deals add Rp 9 juta.
AFTER_1800 = [
    F(
        wita(18, 6, 40),
        "sell",
        "Kopontren Nurul Huda Sejahtera",
        "Kopontren Nurul Hikmah Martapura",
        "Keripik dan camilan khas pesantren",
        5_400_000,
        "komitmen",
        "Temu bisnis antarkoperasi pesantren (OPOP)",
        12,
        "karton",
    ),
    F(
        wita(18, 21, 15),
        "buy",
        "UD Sasirangan Sungai Jingah",
        "PT Busana Muslim Surabaya Indah",
        "Kain sasirangan",
        3_600_000,
        "komitmen",
        "",
        18,
        "lembar",
    ),
]


@dataclass(frozen=True)
class Anchor:
    """A headline contract with a fixed volume and price (rupiah per unit)."""

    product: str
    seller: str
    buyer: str
    volume: int
    price: int


SELL_ANCHORS = [
    Anchor(
        "beras_premium", "PT Lumbung Pangan Bojonegoro", "PT Banjar Niaga Pangan", 1_000, 11_200_000
    ),
]
BUY_ANCHORS = [
    Anchor("batubara", "PT Barito Samudra Trading", "PT Energi Industri Gresik", 15_000, 1_280_000),
]

NOTES = {
    "telur": "Pasokan Ramadan dan Lebaran",
    "gula": "Pasokan Ramadan dan Lebaran",
    "beras": "Pasokan Ramadan dan Lebaran",
    "sapi": "Untuk Iduladha 1443 H (Juli 2022)",
    "batubara": "Pengiriman per tongkang 300 feet",
    "sawit": "Franco pelabuhan Trisakti",
    "pakan": "Pengiriman bertahap per bulan",
}
PREMATCHED_NOTE = "Hasil temu bisnis virtual pra-misi"
TOP_TEN_NOTE = "Penandatanganan 10 komitmen terbesar"


@dataclass(frozen=True)
class PlannedDeal:
    key: str
    at: dt.datetime
    direction: str
    seller: str  # business name
    buyer: str  # business name
    commodity: str
    hs_code: str
    volume: Decimal | None
    unit: str
    value_idr: int
    stage: str
    note: str


def _nice(volume: float) -> int:
    """A volume as people write it: two significant digits, at least 1."""
    if volume < 100:
        return max(1, round(volume))
    magnitude = 10 ** (int(math.log10(volume)) - 1)
    return round(volume / magnitude) * magnitude


def _least_used(rng: random.Random, names: list[str], used: dict[str, int]) -> str:
    fewest = min(used[name] for name in names)
    return rng.choice([name for name in names if used[name] == fewest])


def _direction_deals(
    rng: random.Random,
    counts: dict[str, int],
    sellers: list[BusinessSeed],
    buyers: list[BusinessSeed],
    anchors: list[Anchor],
    target: int,
    used: dict[str, int],
) -> list[dict]:
    """Deals of one direction whose values add up to exactly `target`.

    Each deal draws a seller of the category (the least used first, so that
    most businesses sign something), one of the seller's products, a price in
    the product's 2022 range and a volume. The anchors (the day's headline
    contracts) keep their volume and price; the other volumes are scaled
    together so the sum comes near `target`, rounded as people write them, and
    the rupiah left over (a fraction of a percent) goes to the largest drawn
    deal.
    """
    drafts = []
    for anchor in anchors:
        product = PRODUCTS[anchor.product]
        used[anchor.seller] += 1
        used[anchor.buyer] += 1
        drafts.append(
            {
                "category": product.category,
                "product": product,
                "seller": anchor.seller,
                "buyer": anchor.buyer,
                "volume": anchor.volume,
                "price": anchor.price,
                "value_idr": anchor.volume * anchor.price,
                "anchor": True,
            }
        )
    for category, count in counts.items():
        category_sellers = [
            b for b in sellers if any(PRODUCTS[p].category == category for p in b.sells)
        ]
        category_buyers = [b.name for b in buyers if category in b.buys]
        for _ in range(count):
            seller = _least_used(rng, [b.name for b in category_sellers], used)
            seed = next(b for b in category_sellers if b.name == seller)
            product = PRODUCTS[
                rng.choice([p for p in seed.sells if PRODUCTS[p].category == category])
            ]
            buyer = _least_used(rng, category_buyers, used)
            used[seller] += 1
            used[buyer] += 1
            low, high = product.volume
            volume = math.exp(rng.uniform(math.log(low), math.log(high)))
            lowest, highest, step = product.price
            price = rng.randrange(lowest, highest + 1, step)
            drafts.append(
                {
                    "category": category,
                    "product": product,
                    "seller": seller,
                    "buyer": buyer,
                    "raw_volume": volume,
                    "price": price,
                }
            )
    fixed = sum(d["value_idr"] for d in drafts if "anchor" in d)
    drawn = [d for d in drafts if "anchor" not in d]
    scale = (target - fixed) / sum(d["raw_volume"] * d["price"] for d in drawn)
    for draft in drawn:
        draft["volume"] = _nice(draft["raw_volume"] * scale)
        draft["value_idr"] = round(draft["volume"] * draft["price"], -3)
    # The largest drawn deal takes up the difference: first in whole units of
    # volume at its price, then the last few hundred thousand rupiah in value.
    largest = max(drawn, key=lambda d: d["value_idr"])
    rest = target - sum(d["value_idr"] for d in drafts if d is not largest)
    largest["volume"] = round(rest / largest["price"])
    largest["value_idr"] = rest
    if largest["volume"] <= 0 or sum(d["value_idr"] for d in drafts) != target:
        raise ValueError("the demo deals cannot reach their target; check the volume ranges")
    return drafts


def _times(rng: random.Random, count: int) -> list[dt.datetime]:
    """`count` distinct clock times between 12.00 and 17.59 WITA, sorted.

    Fewer deals while the desks pause for the dzuhur and asr prayers and in
    the half hour before breaking the fast (13 April 2022 was in Ramadan).
    """
    start = wita(12, 0)
    quiet = [
        (wita(12, 15), wita(12, 50), 0.25),
        (wita(15, 30), wita(15, 55), 0.25),
        (wita(17, 30), wita(18, 0), 0.5),
    ]
    times: set[dt.datetime] = set()
    while len(times) < count:
        at = start + dt.timedelta(seconds=rng.randrange(0, 6 * 3600 - 60))
        if any(begin <= at < end and rng.random() > keep for begin, end, keep in quiet):
            continue
        times.add(at)
    return sorted(times)


def deal_plan(seed: int = 20220413) -> list[PlannedDeal]:
    """The demo mission's deals in the order they were recorded, with their keys."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    used = {b.name: 0 for b in JATIM + KALSEL}
    jatim_sellers = [b for b in JATIM if b.sells]
    kalsel_sellers = [b for b in KALSEL if b.sells]
    drafts = [
        {**d, "direction": "sell"}
        for d in _direction_deals(
            rng, SELL_COUNTS, jatim_sellers, KALSEL, SELL_ANCHORS, SELL_IDR, used
        )
    ] + [
        {**d, "direction": "buy"}
        for d in _direction_deals(
            rng, BUY_COUNTS, kalsel_sellers, JATIM, BUY_ANCHORS, BUY_IDR, used
        )
    ]
    # The ten largest were signed on stage just after the opening, most as contracts.
    drafts.sort(key=lambda d: -d["value_idr"])
    top, rest = drafts[:10], drafts[10:]
    rng.shuffle(rest)
    for minute, draft in zip(range(15, 60, 4), top, strict=False):
        draft["at"] = wita(11, minute, rng.randrange(60))
        draft["stage"] = "kontrak" if rng.random() < 0.8 else "komitmen"
        draft["note"] = TOP_TEN_NOTE
    for at, draft in zip(_times(rng, len(rest)), rest, strict=True):
        draft["at"] = at
        roll = rng.random()
        draft["stage"] = "potensi" if roll < 0.12 else "kontrak" if roll < 0.27 else "komitmen"
        roll = rng.random()
        category_note = NOTES.get(draft["category"], "")
        draft["note"] = category_note if roll < 0.3 else PREMATCHED_NOTE if roll < 0.45 else ""

    planned = [
        PlannedDeal(
            key="",
            at=d["at"],
            direction=d["direction"],
            seller=d["seller"],
            buyer=d["buyer"],
            commodity=d["product"].commodity,
            hs_code=d["product"].hs_code,
            volume=Decimal(d["volume"]),
            unit=d["product"].unit,
            value_idr=d["value_idr"],
            stage=d["stage"],
            note=d["note"],
        )
        for d in drafts
    ] + [
        PlannedDeal(
            key="",
            at=f.at,
            direction=f.direction,
            seller=f.seller,
            buyer=f.buyer,
            commodity=f.commodity,
            hs_code="",
            volume=None if f.volume is None else Decimal(f.volume),
            unit=f.unit,
            value_idr=f.value_idr,
            stage=f.stage,
            note=f.note,
        )
        for f in INVESTMENTS + AFTER_1800
    ]
    planned.sort(key=lambda deal: deal.at)
    return [
        replace(deal, key=f"{KEY_PREFIX}{number:04d}") for number, deal in enumerate(planned, 1)
    ]


# --- Contacts: fictional people and numbers --------------------------------------

# fmt: off
JATIM_MEN = [
    "Agus", "Bambang", "Budi", "Eko", "Hadi", "Heru", "Imam", "Joko", "Moch.", "Rudi", "Slamet",
    "Sugeng", "Teguh", "Wahyu", "Yusuf", "Abdul", "Achmad", "Hasan", "Dwi", "Fathur",
]
JATIM_WOMEN = [
    "Sri", "Siti", "Endah", "Rina", "Lilik", "Ratna", "Yuli", "Dian", "Anik", "Fitri", "Nur", "Umi",
]
JATIM_FAMILY = [
    "Santoso", "Wibowo", "Prasetyo", "Susanto", "Hidayat", "Rahman", "Kurniawan", "Setiawan",
    "Nugroho", "Wahyudi", "Hariyanto", "Syaifullah", "Maulana", "Zainuddin", "Mahmud", "Rohman",
    "Anwar", "Hasyim",
]
JATIM_FAMILY_WOMEN = [
    "Lestari", "Rahayu", "Wulandari", "Ningsih", "Hasanah", "Fitriani", "Mawarni", "Handayani",
    "Puspitasari",
]
KALSEL_MEN = [
    "Muhammad", "Ahmad", "Akhmad", "Abdul", "Rahmat", "Hairul", "Rusdi", "Arbain", "Fauzan",
    "Mahyuni", "Zainal", "Basuni", "Ramli", "Anang", "Gusti", "Syahrani", "Fahrurrazi", "Jumberi",
]
KALSEL_WOMEN = [
    "Siti", "Rahmah", "Jamilah", "Masitah", "Aisyah", "Noorhayati", "Mariani", "Halimah",
    "Norjannah", "Raudah",
]
KALSEL_FAMILY = [
    "Noor", "Hidayat", "Rahman", "Syarifuddin", "Riduan", "Arsyad", "Hamidhan", "Saufi", "Mansyur",
    "Rizani", "Ansyari", "Fadillah", "Effendi", "Rasyidi", "Hasbullah", "Iskandar", "Sapriansyah",
    "Rusdiansyah",
]
KALSEL_FAMILY_WOMEN = [
    "Noor", "Hayati", "Rahmawati", "Fitriani", "Zahra", "Maulida", "Khairunnisa",
]
JATIM_STREETS = [
    "Jl. Raya", "Jl. Ahmad Yani", "Jl. Diponegoro", "Jl. Panglima Sudirman", "Jl. Gajah Mada",
    "Jl. Veteran", "Jl. Pahlawan", "Jl. Hayam Wuruk", "Jl. Kartini", "Jl. KH. Hasyim Asy'ari",
    "Jl. Brawijaya", "Jl. Trunojoyo", "Jl. Imam Bonjol", "Jl. Mastrip",
]
KALSEL_STREETS = [
    "Jl. A. Yani Km", "Jl. Lambung Mangkurat No.", "Jl. Pangeran Antasari No.",
    "Jl. Pangeran Hidayatullah No.", "Jl. Brigjen H. Hasan Basri No.", "Jl. Sultan Adam No.",
    "Jl. Trikora No.", "Jl. Veteran No.", "Jl. Gubernur Soebardjo No.", "Jl. Provinsi Km",
]
# fmt: on
PHONE_PREFIXES = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0856", "0857", "0878"]
NIB_PREFIXES = ["9120", "8120", "1202", "2204"]
NIB_SHARE = {"PT": 1.0, "CV": 0.8, "PR": 1.0, "UD": 0.5}  # the rest: 0.4


@dataclass(frozen=True)
class Business:
    name: str
    regency: str
    sector: str
    commodities: str
    address: str
    contact_name: str
    contact_phone: str
    nib: str
    side: str  # "organiser" or "host"


def _commodities(seed: BusinessSeed) -> str:
    parts = []
    if seed.sells:
        names = dict.fromkeys(PRODUCTS[p].commodity.lower() for p in seed.sells)
        parts.append("jual: " + ", ".join(names))
    if seed.buys:
        parts.append("beli: " + ", ".join(CATEGORY_LABELS[c] for c in seed.buys))
    return "; ".join(parts)


def _contact(rng: random.Random, kalsel: bool) -> str:
    woman = rng.random() < 0.35
    if kalsel:
        first = KALSEL_WOMEN if woman else KALSEL_MEN
        family = KALSEL_FAMILY_WOMEN if woman else KALSEL_FAMILY
    else:
        first = JATIM_WOMEN if woman else JATIM_MEN
        family = JATIM_FAMILY_WOMEN if woman else JATIM_FAMILY
    title = ("Hj. " if woman else "H. ") if rng.random() < 0.2 else ""
    return f"{title}{rng.choice(first)} {rng.choice(family)}"


def _address(rng: random.Random, kalsel: bool) -> str:
    if not kalsel:
        return f"{rng.choice(JATIM_STREETS)} No. {rng.randrange(1, 250)}"
    street = rng.choice(KALSEL_STREETS)
    if street.endswith("Km"):
        return f"{street} {rng.randrange(1, 36)}{rng.choice(['', ',5'])}"
    return f"{street} {rng.randrange(1, 200)}"


def businesses(seed: int = 3572) -> list[Business]:
    """The 72 East Java and 100 South Kalimantan businesses, with fictional contacts."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    result = []
    for seeds, side in ((JATIM, "organiser"), (KALSEL, "host")):
        kalsel = side == "host"
        for seed_ in seeds:
            phone = rng.choice(PHONE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))
            share = NIB_SHARE.get(seed_.name.split()[0], 0.4)
            nib = ""
            if rng.random() < share:
                nib = rng.choice(NIB_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(9))
            result.append(
                Business(
                    name=seed_.name,
                    regency=seed_.regency,
                    sector=seed_.sector,
                    commodities=_commodities(seed_),
                    address=_address(rng, kalsel),
                    contact_name=_contact(rng, kalsel),
                    contact_phone=phone,
                    nib=nib,
                    side=side,
                )
            )
    return result
