"""The demo OPOP registry as plain data: words, product templates and the builders that use them.

Nothing here touches the database. `east_java()` and `south_kalimantan()` take
the districts of each regency (as the regions tables hold them) and the demo
day, and build the same pesantren, cooperatives, people, products, legality
documents, curation trails and inquiries every time: every random choice comes
from a `random.Random` seeded with a fixed string per pesantren, and every date
is fixed, except one thing on purpose:

- **Legality expiry dates are relative to the demo day** (`today`, the day the
  demo loads): a fixed share of documents has already expired (up to 180 days
  before), a fixed share expires within 90 days, the rest later. Only the
  offsets are drawn at random, so the same database loaded on the same day
  gets the same dates, and a demo loaded any day shows expiring and expired
  documents on the dashboards. A P-IRT number's last two digits are its
  expiry year, so those follow the day too.

All names, leaders, NSPP, NIB, deed and certificate numbers are made up. Names
combine common Arabic name parts ("Darul Ulum", "Nurul Huda") that hundreds of
real pesantren share, usually with the district's name; the few pesantren
known by a unique name are left out, so no row describes a real institution.
NIKs are valid in structure only: the region is the pesantren's district and
the serial is 9001–9999, a range the civil registry does not reach for one
district and birth date. Phone numbers are well-formed mobile numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
SEED = "niaga-opop-demo-2026"

# Curation happened in the past: the last event of the trail is before this day
# (a week before the project's "today" of late November 2026).
EVENTS_UNTIL = dt.date(2026, 11, 20)
INQUIRIES_UNTIL = dt.date(2026, 11, 18)
QUEUE_FROM = dt.date(2026, 8, 3)  # products still in the queue were submitted from then
CURATED_FROM = dt.date(2021, 9, 1)

# East Java: how many demo pesantren in each regency/city (all 38). The
# pesantren heartlands (Jombang, Kediri, Pasuruan, the Tapal Kuda and Madura)
# get more, the small cities a few.
# fmt: off
JATIM_COUNTS = {
    "35.01": 4,  "35.02": 8,  "35.03": 4,  "35.04": 6,  "35.05": 6,  "35.06": 17,
    "35.07": 16, "35.08": 6,  "35.09": 14, "35.10": 14, "35.11": 8,  "35.12": 13,
    "35.13": 14, "35.14": 16, "35.15": 8,  "35.16": 6,  "35.17": 18, "35.18": 5,
    "35.19": 4,  "35.20": 4,  "35.21": 4,  "35.22": 6,  "35.23": 6,  "35.24": 10,
    "35.25": 8,  "35.26": 14, "35.27": 10, "35.28": 14, "35.29": 16, "35.71": 4,
    "35.72": 2,  "35.73": 5,  "35.74": 3,  "35.75": 3,  "35.76": 2,  "35.77": 2,
    "35.78": 12, "35.79": 3,
}
# fmt: on
MADURA = ("35.26", "35.27", "35.28", "35.29")

# The pesantren the demo account "pesantren-demo" speaks for.
FEATURED_REGENCY = "35.17"  # Kabupaten Jombang
FEATURED_DISTRICT = "35.17.08"  # Diwek
FEATURED_NAME = "Pondok Pesantren Miftahul Ulum Al-Barokah"

# fmt: off
# --- Names --------------------------------------------------------------------

# Names many pesantren share; a district name usually follows.
PESANTREN_NAMES = (
    "Darul Ulum", "Nurul Jadid", "Miftahul Ulum", "Bahrul Ulum", "Nurul Huda", "Darul Huda",
    "Raudlatul Ulum", "Mambaul Ulum", "Hidayatul Mubtadiin", "Sabilul Muttaqin", "Fathul Ulum",
    "Ihyaul Ulum", "Nurul Islam", "Darussalam", "Al-Amien", "Al-Falah", "Al-Hikmah", "Al-Ishlah",
    "Al-Ikhlas", "Al-Anwar", "Al-Hidayah", "Al-Muttaqin", "Al-Ma'arif", "Al-Fattah", "Al-Azhar",
    "Al-Mubarok", "Al-Khoirot", "Al-Barokah", "Al-Islahiyah", "Al-Munawwaroh", "Nurul Qur'an",
    "Nurul Iman", "Nurul Falah", "Nurul Hikmah", "Nurul Anwar", "Miftahul Huda", "Miftahul Falah",
    "Miftahul Jannah", "Mambaul Hikam", "Manbaul Ma'arif", "Roudlotul Muta'allimin",
    "Raudlatul Jannah", "Darul Falah", "Darul Hikmah", "Darul Istiqomah", "Darul Muttaqin",
    "Darul Arqam", "Darul Ma'arif", "Bustanul Ulum", "Tarbiyatul Aulad", "Sirojut Tholibin",
    "Riyadlus Sholihin", "Riyadlul Jannah", "Hidayatullah", "Hidayatus Salikin", "Syamsul Ulum",
    "Badrul Huda", "Baitul Hikmah", "Baitul Qur'an", "Zainul Ulum", "Mamba'us Sholihin",
    "Mathlabul Ulum", "Mathla'ul Anwar", "Ash-Shiddiqiyah", "Asy-Syafi'iyah", "At-Taqwa",
    "At-Tauhid", "An-Nur", "Ar-Rahmah", "Ar-Raudloh", "As-Salafiyah", "As-Sunniyah", "Wali Songo",
    "Al-Mukhtar", "Al-Hamidy", "Minhajut Thullab", "Minhajul Abidin", "Ahlussunnah", "Sabilil Huda",
    "Sabilun Najah", "Hidayatut Thullab", "Al-Qodiri", "Al-Hasaniyah", "Nurul Mubtadiin",
    "Darun Najah",
)

KYAI_FIRST = (
    "Ahmad", "Muhammad", "Moh.", "Achmad", "Mahfudz", "Hasan", "Husain", "Zainal", "Syamsul",
    "Kholil", "Mustofa", "Abdullah", "Imam", "Ali", "Hasyim", "Mahrus", "Marzuqi", "Fuad", "Ridwan",
    "Sholeh", "Masduqi", "Zubair", "Anwar", "Thoha", "Jazuli", "Muhaimin", "Ma'ruf", "Nur",
    "Badrus", "Mundzir", "Fathurrozi", "Abdul",
)
ABDUL_NAMES = (
    "Hamid", "Aziz", "Karim", "Wahid", "Mujib", "Rozaq", "Ghofur", "Qodir", "Hadi", "Mannan",
    "Majid", "Latif",
)
KYAI_SECOND = (
    "Hamid", "Hasan", "Aziz", "Rozaq", "Karim", "Mujib", "Wahid", "Basri", "Arifin", "Fauzi",
    "Mansur", "Dimyati", "Qosim", "Yasin", "Zaini", "Baidlowi", "Hafidz", "Ma'shum", "Faqih",
    "Rofi'i", "Munir", "Ghozali", "Ilyas", "Mudzakir", "Bisri", "Ridlo", "Cholil", "Shodiq",
    "Lutfi", "Syafi'i", "Zuhri", "Adnan", "Jamaluddin", "Nawawi", "Bahruddin",
)
NYAI_NAMES = (
    "Hj. Siti Aminah", "Hj. Khoiriyah", "Hj. Nur Azizah", "Hj. Ummu Kulsum", "Hj. Masruroh",
    "Hj. Mahmudah", "Hj. Siti Fatimah", "Hj. Luthfiyah", "Hj. Nafisah", "Hj. Sholihah",
    "Hj. Zubaidah", "Hj. Maimunah", "Hj. Hanifah", "Hj. Rohmah",
)

MALE_FIRST = (
    "Ahmad", "Muhammad", "Moh.", "Achmad", "Abdul", "Imam", "Fauzi", "Rizal", "Hasan", "Hafidz",
    "Syaiful", "Zainal", "Ilham", "Fikri", "Miftah", "Rofiq", "Subhan", "Khoirul", "Mustofa",
    "Lutfi", "Dimas", "Bagus", "Ainur", "Rahmat", "Yusuf", "Bahrul", "Agus", "Eko", "Wahyu", "Arif",
    "Faisal", "Nur", "Hamdan", "Ridho", "Farhan", "Alfin", "Dwi", "Taufiq", "Rizki", "Syamsul",
    "Fathur", "Ulin", "Anas", "Haris", "Zaki",
)
MALE_LAST = (
    "Hidayat", "Rohman", "Hakim", "Maulana", "Syafi'i", "Fauzan", "Anwar", "Mubarok", "Rosyidi",
    "Huda", "Amin", "Aziz", "Ridwan", "Arifin", "Hasyim", "Mahmud", "Wahyudi", "Santoso", "Pratama",
    "Saputra", "Kurniawan", "Fadillah", "Firmansyah", "Hamzah", "Ma'arif", "Anam", "Umam",
    "Mustaqim", "Zuhdi", "Ramadhan", "Prasetyo", "Setiawan", "Nurhadi", "Asrori", "Qomaruddin",
    "Badrudin",
)
FEMALE_FIRST = (
    "Siti", "Nur", "Fatimah", "Aisyah", "Umi", "Lailatul", "Nurul", "Zahrotul", "Dewi", "Rina",
    "Fitri", "Anis", "Laila", "Hilda", "Ummu", "Rizka", "Mila", "Alfiyah", "Naila", "Zulfa",
    "Ainun", "Khoirunnisa", "Ulfa", "Indah", "Eka", "Rohmatul", "Nadia", "Salsabila", "Azizah",
    "Putri", "Maya", "Evi", "Lilis", "Sholihah", "Faridah",
)
FEMALE_LAST = (
    "Fadilah", "Azizah", "Rahmawati", "Khasanah", "Maghfiroh", "Nisa'", "Ulfa", "Mufidah",
    "Wahyuni", "Rohmah", "Hidayah", "Zahro", "Munawaroh", "Istiqomah", "Mahmudah", "Safitri",
    "Lestari", "Kurniasari", "Fitriyah", "Nafisah", "Hasanah", "Amalia", "Jannah", "Rosyidah",
    "Sa'adah", "Ma'rifah", "Nurjanah", "Qomariyah",
)

# South Kalimantan (Banjar) names.
BANJAR_MALE_FIRST = (
    "Muhammad", "Ahmad", "Abdurrahman", "Syarifuddin", "Husin", "Rahmadi", "Fahmi", "Noor", "Aulia",
    "Gusti", "Hairul", "Rusdi", "Fajeri", "Zainuddin", "Saberan", "Akhmad", "Mursyid", "Hasbi",
    "Ridhani", "Jailani",
)
BANJAR_MALE_LAST = (
    "Arsyad", "Noor", "Rahman", "Hidayat", "Fauzi", "Ansari", "Anshari", "Riduan", "Syahrani",
    "Hamdani", "Ramli", "Jamhuri", "Yusran", "Effendi", "Mahdi", "Sahlan", "Rifani", "Wardani",
)
BANJAR_FEMALE_FIRST = (
    "Siti", "Noor", "Mariatul", "Halimah", "Rabiatul", "Rusmiati", "Fatimah", "Aminah", "Raudah",
    "Norhayati", "Nurul", "Mahmudah", "Jamilah", "Isnawati",
)
BANJAR_FEMALE_LAST = (
    "Aina", "Kiptiah", "Jannah", "Hayati", "Adawiyah", "Rahmah", "Khairunnisa", "Zahra", "Maulida",
    "Hasanah", "Rabiah", "Hidayati", "Mardiana", "Safitri",
)

STREETS = (
    "Jl. KH. Hasyim Asy'ari", "Jl. KH. Wahid Hasyim", "Jl. Pesantren", "Jl. Masjid", "Jl. Raya",
    "Jl. Kyai Mojo", "Jl. Pondok", "Jl. Diponegoro", "Jl. Sunan Ampel", "Jl. Sunan Giri",
    "Jl. Ahmad Yani", "Jl. Pahlawan", "Jl. Kartini", "Jl. Merdeka", "Jl. Veteran", "Dusun Krajan",
)
BANJAR_STREETS = (
    "Jl. Sultan Adam", "Jl. Pangeran Antasari", "Jl. A. Yani Km", "Jl. Kelayan", "Jl. Alalak",
    "Jl. Sungai Andai", "Jl. Martapura Lama", "Jl. Datu Kalampayan",
)

MOBILE_PREFIXES = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0852", "0853", "0851", "0814", "0815", "0816",
    "0855", "0856", "0857", "0858", "0817", "0818", "0819", "0859", "0877", "0878", "0895", "0896",
    "0897", "0898", "0899", "0881", "0882", "0883", "0885", "0887", "0888",
)

BRAND_WORDS = (
    "Santri Mandiri", "Berkah Santri", "Barokah", "Sakinah", "Nurani", "Insan Mandiri",
    "Santri Nusantara", "Mubarok", "Al-Amanah", "Ukhuwah", "Rahmat", "Sumber Berkah",
)
# How people call a small business's owner in East Java and Madura.
OWNER_CALLS = {"male": ("Cak", "Mas", "Kang", "Gus"), "female": ("Mbak", "Ning", "Bu")}
BANJAR_OWNER_CALLS = {"male": ("Acil", "Julak", "Amang"), "female": ("Acil", "Galuh")}

BUSINESS_LINES = (
    "toko santri (ritel kebutuhan sehari-hari)", "simpan pinjam syariah", "air minum isi ulang",
    "produksi makanan ringan", "konveksi seragam", "unit pertanian dan peternakan",
    "kantin pesantren", "laundry santri", "percetakan dan fotokopi", "agen pembayaran",
)
# The KBLI key (below) of a cooperative's main business line; others count as retail.
LINE_KBLI = {
    "produksi makanan ringan": "keripik", "konveksi seragam": "konveksi",
    "unit pertanian dan peternakan": "pertanian", "kantin pesantren": "katering",
    "percetakan dan fotokopi": "cetak", "air minum isi ulang": "amdk",
}
# KBLI 2020 codes of what a kopontren or a santri business typically does.
KBLI_BY_LINE = {
    "ritel": "47111", "keripik": "10794", "kopi": "10761", "roti": "10710", "konveksi": "14111",
    "batik": "13134", "kosmetik": "20232", "jamu": "21022", "unggas": "01462", "ikan": "03221",
    "cetak": "18111", "katering": "56210", "kayu": "16291", "anyaman": "16293", "amdk": "11050",
    "pertanian": "01121",
}
# fmt: on

# --- Product templates ----------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One kind of product: how it is named, sold and described, and what legality it carries.

    `docs` lists what such a product may hold: "halal", "pirt", "bpom" (MD),
    "tm" (trademark) and an SNI standard as "SNI …". `regions` are regency codes
    where it is a speciality (chosen far more often there; a template with
    `only_regions` is never chosen elsewhere). `texts` are alternative first
    sentences of the description.
    """

    key: str
    name: str
    category: str
    unit: str
    price: tuple[int, int]
    capacity: tuple[int, int]
    hs: str
    docs: tuple[str, ...]
    texts: tuple[str, ...]
    kbli: str = "keripik"
    regions: tuple[str, ...] = ()
    only_regions: bool = False
    export: bool = False
    province: str = "35"
    cooperative_only: bool = False  # too big a business for one santri or alumnus


T = Template
FOOD, FASHION, CRAFT, AGRI, COSMETICS, SERVICES, OTHER = (
    "food", "fashion", "craft", "agriculture", "cosmetics", "services", "other",
)  # fmt: skip
# fmt: off
TEMPLATES = (
    # Food and beverage
    T("keripik_tempe", "Keripik Tempe", FOOD, "pak 250 g", (12_000, 25_000), (500, 3_000),
      "21069099", ("halal", "pirt", "tm"),
      ("Keripik tempe tipis dan renyah, diolah dari tempe kedelai pilihan yang diiris tipis lalu "
       "digoreng dengan bumbu bawang putih dan ketumbar.",
       "Olahan tempe gaya Malangan: tempe dibuat sendiri, diiris setipis kertas, dibumbui rempah "
       "dan digoreng renyah."),
      regions=("35.07", "35.73", "35.03")),
    T("sambal_pecel", "Sambal Pecel", FOOD, "pak 250 g", (10_000, 20_000), (300, 2_000), "21039090",
      ("halal", "pirt", "bpom", "tm"),
      ("Bumbu pecel dari kacang tanah sangrai yang diulek bersama cabai, gula merah dan daun "
       "jeruk; cukup diseduh air panas untuk menyiram sayuran.",
       "Sambal pecel resep turun-temurun: kacang tanah disangrai, ditumbuk kasar, lalu dicampur "
       "cabai, kencur dan gula jawa."),
      regions=("35.19", "35.77", "35.05", "35.18", "35.02")),
    T("kopi_dampit", "Kopi Robusta Dampit", FOOD, "pak 250 g", (30_000, 75_000), (200, 1_500),
      "09012120", ("halal", "pirt", "bpom", "SNI 01-3542-2004", "tm"),
      ("Kopi robusta dari lereng Semeru di Dampit, dipetik merah, dijemur lalu disangrai tingkat "
       "medium; beraroma cokelat dengan rasa pahit yang mantap.",
       "Biji kopi robusta Dampit pilihan yang disangrai dan digiling sesuai pesanan: halus untuk "
       "kopi tubruk, sedang untuk seduhan manual."),
      kbli="kopi", regions=("35.07",), only_regions=True, export=True),
    T("kopi_ijen", "Kopi Arabika Ijen Raung", FOOD, "pak 200 g", (45_000, 120_000), (100, 800),
      "09012110", ("halal", "pirt", "SNI 01-3542-2004", "tm"),
      ("Kopi arabika dari dataran tinggi Ijen–Raung yang diolah secara honey dan full wash; "
       "disangrai dalam jumlah kecil agar rasa buahnya terjaga.",
       "Biji arabika petikan merah dari kebun rakyat di kaki Ijen, difermentasi dan dijemur di "
       "para-para, lalu disangrai light to medium."),
      kbli="kopi", regions=("35.11", "35.10"), only_regions=True, export=True),
    T("kopi_bubuk", "Kopi Bubuk Robusta", FOOD, "pak 200 g", (18_000, 40_000), (300, 2_500),
      "09012120", ("halal", "pirt", "SNI 01-3542-2004", "tm"),
      ("Kopi bubuk robusta murni tanpa campuran jagung, disangrai dan digiling halus; cocok untuk "
       "kopi tubruk teman mengaji malam.",
       "Racikan kopi robusta lereng gunung yang disangrai dengan kayu bakar dan digiling halus di "
       "rumah produksi pesantren."),
      kbli="kopi", regions=("35.09", "35.10", "35.11", "35.08")),
    T("keripik_singkong", "Keripik Singkong Balado", FOOD, "pak 200 g", (10_000, 20_000),
      (500, 4_000), "20089990", ("halal", "pirt", "tm"),
      ("Singkong segar diiris tipis, digoreng kering lalu dibalur bumbu balado pedas manis buatan "
       "sendiri.",
       "Camilan singkong renyah berbumbu balado, diolah tanpa pengawet dari singkong kebun "
       "warga."),),
    T("keripik_pisang", "Keripik Pisang Agung", FOOD, "pak 250 g", (15_000, 30_000), (300, 2_000),
      "20089990", ("halal", "pirt", "tm"),
      ("Pisang agung khas Senduro diiris memanjang dan digoreng renyah; manis alami tanpa gula "
       "tambahan.",
       "Olahan pisang agung Lumajang yang dipotong lebar, digoreng kering dan dikemas rapat agar "
       "tetap renyah."),
      regions=("35.08",), only_regions=True),
    T("keripik_apel", "Keripik Apel", FOOD, "pak 100 g", (20_000, 45_000), (200, 1_500),
      "20089990", ("halal", "pirt", "bpom", "tm"),
      ("Apel manalagi Batu yang diolah dengan penggorengan hampa (vacuum frying), sehingga "
       "renyah tanpa kehilangan rasa aslinya.",
       "Keripik buah apel dari kebun lereng Arjuno, digoreng vakum pada suhu rendah tanpa gula "
       "dan pengawet."),
      regions=("35.79", "35.07"), only_regions=True, export=True),
    T("kerupuk_udang", "Kerupuk Udang", FOOD, "pak 500 g", (25_000, 55_000), (300, 2_500),
      "19059040", ("halal", "pirt", "bpom", "tm"),
      ("Kerupuk udang mentah dengan kandungan udang tambak yang tinggi; dijemur di bawah matahari "
       "dan tinggal digoreng di rumah.",
       "Olahan udang windu tambak pesisir yang digiling, dikukus, diiris lalu dikeringkan menjadi "
       "kerupuk siap goreng."),
      regions=("35.15", "35.25", "35.24"), export=True),
    T("bandeng_presto", "Bandeng Presto", FOOD, "ekor (± 300 g)", (25_000, 45_000), (300, 2_000),
      "16041990", ("halal", "pirt"),
      ("Bandeng tambak yang dimasak dengan panci bertekanan sampai durinya lunak, dibumbui kunyit, "
       "bawang dan daun salam.",
       "Bandeng presto duri lunak olahan ibu-ibu pesisir; dikemas vakum dan disimpan beku agar "
       "awet dikirim."),
      regions=("35.15", "35.25"), only_regions=True),
    T("abon_lele", "Abon Lele", FOOD, "pak 100 g", (20_000, 35_000), (200, 1_500), "16041990",
      ("halal", "pirt", "tm"),
      ("Abon dari daging lele kolam pesantren yang dikukus, disuwir dan disangrai bersama bumbu "
       "rempah hingga kering.",
       "Olahan lele segar menjadi abon gurih rendah lemak; dimasak santri di dapur produksi "
       "koperasi."),
      kbli="ikan"),
    T("abon_sapi", "Abon Sapi", FOOD, "pak 100 g", (35_000, 60_000), (100, 800), "16025000",
      ("halal", "pirt", "bpom", "tm"),
      ("Daging sapi pilihan yang direbus, disuwir halus dan dimasak dengan santan serta rempah "
       "hingga menjadi abon manis gurih.",
       "Abon sapi olahan koperasi dengan bumbu ketumbar, lengkuas dan gula merah, tanpa bahan "
       "pengawet."),),
    T("telur_asin", "Telur Asin", FOOD, "butir", (3_500, 5_500), (1_000, 8_000), "04079090",
      ("halal", "pirt"),
      ("Telur bebek yang diperam dalam adonan abu gosok dan garam selama dua minggu, lalu direbus; "
       "kuning telurnya masir dan berminyak.",
       "Telur asin olahan peternak santri, dibalut abu dan garam lalu dikukus, tersedia rasa asli "
       "dan asap."),
      kbli="unggas"),
    T("tahu_takwa", "Tahu Takwa", FOOD, "kotak isi 10", (15_000, 30_000), (500, 3_000), "21069099",
      ("halal", "pirt"),
      ("Tahu kuning padat khas Kediri yang dibuat dari kedelai pilihan dan direbus dengan kunyit "
       "dan garam.",
       "Tahu takwa olahan rumah produksi pesantren, padat dan gurih, cocok digoreng atau dibuat "
       "tahu pong."),
      regions=("35.06", "35.71"), only_regions=True),
    T("getuk_pisang", "Getuk Pisang", FOOD, "lonjor", (10_000, 18_000), (300, 2_000), "19059090",
      ("halal", "pirt"),
      ("Pisang raja nangka yang dikukus, dihaluskan lalu dibungkus daun pisang dan dikukus "
       "kembali; oleh-oleh khas Kediri.",
       "Getuk pisang legit yang dibuat tanpa pengawet dan dibungkus daun pisang seperti aslinya."),
      regions=("35.06", "35.71"), only_regions=True),
    T("wingko_babat", "Wingko Babat", FOOD, "kotak isi 10", (25_000, 40_000), (300, 2_000),
      "19059090", ("halal", "pirt", "tm"),
      ("Kue kelapa muda dan tepung ketan yang dipanggang di atas tungku; legit, wangi dan awet "
       "beberapa hari.",
       "Wingko khas Babat dari kelapa parut segar dan ketan, dipanggang satu per satu di loyang "
       "tanah liat."),
      kbli="roti", regions=("35.24",), only_regions=True),
    T("pudak", "Pudak", FOOD, "bungkus isi 10", (20_000, 35_000), (300, 1_500), "19059090",
      ("halal", "pirt"),
      ("Kue manis dari tepung beras, santan dan gula merah yang dibungkus kelopak pinang (ope) "
       "lalu dikukus; khas Gresik.",
       "Pudak Gresik rasa gula merah dan pandan, dibungkus ope seperti cara lama."),
      kbli="roti", regions=("35.25",), only_regions=True),
    T("suwar_suwir", "Suwar-Suwir", FOOD, "kotak 250 g", (15_000, 30_000), (300, 2_000),
      "17049099", ("halal", "pirt", "tm"),
      ("Manisan dari tape singkong yang dimasak dengan gula hingga liat, lalu dipotong kecil dan "
       "diberi rasa buah; khas Jember.",
       "Suwar-suwir aneka rasa olahan tape singkong pilihan, dikemas kotak untuk oleh-oleh."),
      regions=("35.09",), only_regions=True),
    T("prol_tape", "Prol Tape", FOOD, "loyang", (35_000, 60_000), (100, 800), "19059090",
      ("halal", "pirt"),
      ("Kue panggang dari tape singkong, telur dan keju, lembut dan harum; dipanggang setiap pagi.",
       "Prol tape khas Tapal Kuda yang diolah dari tape singkong buatan sendiri."),
      kbli="roti", regions=("35.09", "35.11"), only_regions=True),
    T("alen_alen", "Alen-Alen", FOOD, "pak 250 g", (12_000, 20_000), (300, 2_000), "19059090",
      ("halal", "pirt"),
      ("Kerupuk singkong berbentuk cincin khas Trenggalek, digoreng renyah dengan bumbu bawang.",
       "Camilan singkong alen-alen yang dicetak tangan lalu dijemur dan digoreng."),
      regions=("35.03",), only_regions=True),
    T("rengginang", "Rengginang Ketan", FOOD, "pak 250 g", (15_000, 25_000), (300, 2_000),
      "19059090", ("halal", "pirt"),
      ("Beras ketan yang dikukus, dibumbui terasi dan bawang, dicetak bundar lalu dijemur; "
       "tinggal digoreng.",
       "Rengginang ketan buatan tangan, tersedia rasa terasi dan original."),),
    T("kacang_mete", "Kacang Mete Goreng", FOOD, "pak 250 g", (45_000, 80_000), (100, 800),
      "20081990", ("halal", "pirt", "tm"),
      ("Mete utuh dari kebun Madura yang dikupas tangan lalu digoreng atau dipanggang; gurih dan "
       "renyah.",
       "Kacang mete pilihan olahan kelompok santri, tersedia rasa original dan bawang."),
      regions=MADURA, only_regions=True, export=True),
    T("air_minum", "Air Minum Dalam Kemasan", FOOD, "dus isi 48 gelas 220 ml", (15_000, 22_000),
      (2_000, 20_000), "22011010", ("halal", "bpom", "SNI 3553:2015", "tm"),
      ("Air minum dari mata air pegunungan yang disaring bertahap dan disterilkan dengan sinar "
       "ultraviolet dan ozon.",
       "Air minum kemasan produksi koperasi pesantren, diolah dengan penyaringan berlapis dan "
       "diuji rutin di laboratorium."),
      kbli="amdk", cooperative_only=True),
    T("gula_merah", "Gula Merah Kelapa", FOOD, "kg", (18_000, 30_000), (500, 3_000), "17029099",
      ("halal", "pirt"),
      ("Nira kelapa yang disadap pagi hari dan dimasak di atas tungku kayu hingga mengental, lalu "
       "dicetak dalam tempurung.",
       "Gula kelapa asli tanpa campuran gula pasir, dicetak dan dijemur oleh penderes di sekitar "
       "pesantren."),
      regions=("35.01", "35.03", "35.05")),
    T("kecap_manis", "Kecap Manis", FOOD, "botol 600 ml", (15_000, 25_000), (500, 3_000),
      "21031000", ("halal", "bpom", "pirt", "tm"),
      ("Kecap dari kedelai hitam yang difermentasi, dimasak dengan gula kelapa dan rempah; kental "
       "dan legit.",
       "Kecap manis olahan kopontren yang dimasak dalam kuali besar dengan gula merah asli."),),
    T("terasi", "Terasi Udang", FOOD, "pak 250 g", (15_000, 30_000), (200, 1_500), "21039090",
      ("halal", "pirt"),
      ("Udang rebon yang difermentasi, ditumbuk dan dijemur berulang kali hingga menjadi terasi "
       "harum.",
       "Terasi udang asli pesisir utara, diolah nelayan binaan koperasi."),
      regions=("35.12", "35.13", "35.15", "35.29"), only_regions=True),
    T("ikan_asin", "Ikan Asin Teri", FOOD, "kg", (60_000, 120_000), (100, 1_000), "03055990",
      ("halal",),
      ("Teri nasi segar yang direbus dengan air garam lalu dijemur di para-para bambu.",
       "Ikan teri asin olahan nelayan pesisir, dikeringkan dengan sinar matahari."),
      kbli="ikan", regions=("35.12", "35.29", "35.26", "35.23")),
    T("sambal_bawang", "Sambal Bawang", FOOD, "botol 150 g", (15_000, 30_000), (300, 2_000),
      "21039090", ("halal", "pirt", "tm"),
      ("Sambal bawang pedas dari cabai rawit dan bawang merah yang digoreng dengan minyak kelapa.",
       "Sambal botol olahan santri: cabai dan bawang diulek kasar lalu ditumis hingga harum."),),
    T("cokelat", "Cokelat Batang Kakao", FOOD, "batang 50 g", (12_000, 25_000), (200, 1_500),
      "18063200", ("halal", "pirt", "tm"),
      ("Cokelat dari biji kakao petani yang difermentasi dan disangrai sendiri, lalu digiling "
       "dengan gula aren.",
       "Olahan kakao lereng Kelud menjadi cokelat batang pekat rendah gula."),
      regions=("35.05", "35.72"), only_regions=True),
    T("susu_etawa_bubuk", "Susu Kambing Etawa Bubuk", FOOD, "pak 200 g", (40_000, 75_000),
      (100, 800), "04022990", ("halal", "pirt", "bpom", "tm"),
      ("Susu kambing peranakan etawa yang diolah menjadi bubuk dengan pengering semprot, "
       "ditambah sedikit gula aren.",
       "Susu etawa bubuk dari peternakan kambing pesantren, diolah higienis dan dikemas "
       "aluminium foil."),
      kbli="unggas", regions=("35.08", "35.06", "35.05")),
    T("garam", "Garam Beryodium", FOOD, "pak 500 g", (3_000, 6_000), (2_000, 20_000), "25010092",
      ("halal", "bpom", "SNI 3556:2016"),
      ("Garam rakyat dari tambak Madura yang dicuci, dikeringkan, dihaluskan dan diberi yodium.",
       "Garam konsumsi beryodium hasil olahan koperasi petambak garam."),
      regions=("35.27", "35.28", "35.29", "35.23"), only_regions=True, cooperative_only=True),
    T("sari_apel", "Sari Apel", FOOD, "kardus isi 24 gelas", (28_000, 45_000), (200, 2_000),
      "20097990", ("halal", "bpom", "pirt", "tm"),
      ("Minuman sari buah apel Batu yang diperas segar dan dipasteurisasi tanpa pengawet.",
       "Sari apel manalagi olahan koperasi, segar diminum dingin."),
      regions=("35.79",), only_regions=True),
    T("kerupuk_rambak", "Krupuk Rambak", FOOD, "pak 250 g", (20_000, 40_000), (200, 1_500),
      "19059090", ("halal", "pirt"),
      ("Kerupuk kulit sapi yang direbus, dijemur lalu digoreng dua kali hingga mengembang renyah.",
       "Rambak kulit olahan perajin Magetan, gurih dan renyah."),
      regions=("35.20",), only_regions=True),
    # Fashion and textile
    T("batik_madura", "Batik Tulis Madura", FASHION, "lembar 2,25 m", (250_000, 1_500_000),
      (20, 150), "52085210", ("tm",),
      ("Kain batik tulis motif pesisiran Madura dengan warna berani, merah, biru dan hijau, "
       "dibatik dengan canting oleh pembatik santri dan ibu-ibu sekitar pesantren.",
       "Batik tulis Tanjung Bumi yang proses membatik hingga pewarnaannya memakan waktu "
       "berminggu-minggu; kain katun primisima dengan pewarna alami."),
      kbli="batik", regions=MADURA, only_regions=True, export=True),
    T("batik_gajah_oling", "Batik Tulis Gajah Oling", FASHION, "lembar 2 m", (200_000, 900_000),
      (20, 150), "52085210", ("tm",),
      ("Batik tulis bermotif gajah oling khas Banyuwangi, dibatik dengan canting di atas kain "
       "katun halus.",
       "Kain batik khas Osing; para santri membatik motif gajah oling dan kangkung setingkes."),
      kbli="batik", regions=("35.10",), only_regions=True, export=True),
    T("batik_gedog", "Batik Gedog Tuban", FASHION, "lembar 2 m", (300_000, 1_250_000), (10, 80),
      "52085210", ("tm",),
      ("Kain tenun gedog dari kapas yang dipintal sendiri, lalu dibatik dengan motif lokal Tuban.",
       "Batik gedog: kain ditenun dengan alat gedog lalu dibatik tangan dan diwarnai indigo."),
      kbli="batik", regions=("35.23",), only_regions=True, export=True),
    T("batik_jetis", "Batik Tulis Jetis", FASHION, "lembar 2 m", (200_000, 850_000), (20, 120),
      "52085210", ("tm",),
      ("Batik tulis Sidoarjo dengan motif beras utah dan kembang tebu, dibatik dengan canting "
       "oleh pembatik muda.",
       "Kain batik pesisiran Jetis yang dikerjakan oleh pengrajin santri dengan pewarna alami."),
      kbli="batik", regions=("35.15",), only_regions=True, export=True),
    T("batik_tulis", "Batik Tulis Motif Santri", FASHION, "lembar 2 m", (175_000, 750_000),
      (20, 150), "52085210", ("tm",),
      ("Kain batik tulis bermotif kaligrafi dan flora, dibatik dengan canting dan malam oleh "
       "santri putri di sanggar pesantren.",
       "Batik tulis karya sanggar batik pesantren; setiap lembar dikerjakan dua sampai tiga "
       "minggu, dari membatik, mewarnai hingga melorod."),
      kbli="batik", export=True),
    T("batik_cap", "Batik Cap", FASHION, "lembar 2 m", (90_000, 200_000), (100, 600), "52085290",
      ("tm",),
      ("Kain batik yang motifnya dicap dengan cap tembaga lalu diwarnai; harga terjangkau untuk "
       "seragam.",
       "Batik cap motif khas daerah, dicap dan dicelup di bengkel batik koperasi."),
      kbli="batik"),
    T("kemeja_batik", "Kemeja Batik Pria", FASHION, "potong", (125_000, 350_000), (100, 800),
      "62052020", ("tm",),
      ("Kemeja batik lengan panjang berbahan katun, dijahit rapi oleh penjahit santri dengan "
       "furing di bagian dalam.",
       "Kemeja dari kain batik tulis dan cap produksi sendiri, dijahit di konveksi pesantren."),
      kbli="konveksi", export=True),
    T("sarung_tenun", "Sarung Tenun ATBM", FASHION, "lembar", (150_000, 450_000), (50, 400),
      "52085990", ("tm",),
      ("Sarung tenun motif kotak yang ditenun dengan alat tenun bukan mesin (ATBM) oleh penenun "
       "santri; benangnya rapat dan adem dipakai.",
       "Tenunan sarung tradisional yang ditenun satu per satu, tersedia motif songket dan "
       "kotak-kotak."),
      kbli="konveksi", regions=("35.25", "35.24", "35.14", "35.06"), export=True),
    T("tenun_ikat", "Kain Tenun Ikat Bandar", FASHION, "lembar 2 m", (200_000, 650_000),
      (30, 200), "52085990", ("tm",),
      ("Kain tenun ikat khas Kediri; benang diikat dan dicelup sebelum ditenun, sehingga motifnya "
       "muncul dari tenunan.",
       "Tenun ikat ATBM dari sentra Bandar Kidul, dikerjakan penenun binaan pesantren."),
      kbli="konveksi", regions=("35.71", "35.06"), only_regions=True, export=True),
    T("mukena_bordir", "Mukena Bordir", FASHION, "set", (150_000, 450_000), (50, 400), "62114990",
      ("tm",),
      ("Mukena katun rayon dengan bordiran bunga di tepinya, dibordir dengan mesin bordir manual "
       "oleh pengrajin bordir.",
       "Mukena bordir gaya Bangil, bordirannya dikerjakan tangan sehingga rapi dan tidak kasar."),
      kbli="konveksi", regions=("35.14", "35.75", "35.15"), export=True),
    T("kerudung_bordir", "Kerudung Bordir", FASHION, "potong", (45_000, 120_000), (200, 1_500),
      "62149090", ("tm",),
      ("Kerudung segi empat voal dengan bordir halus di sudutnya; dibordir oleh santri putri.",
       "Jilbab bordir bahan adem, bordirannya dikerjakan satu per satu."),
      kbli="konveksi", regions=("35.14", "35.75")),
    T("songkok", "Songkok Hitam", FASHION, "buah", (35_000, 120_000), (200, 2_000), "65050090",
      ("tm",),
      ("Songkok beludru hitam yang dijahit tangan dengan rangka kertas karton tebal; khas Gresik.",
       "Peci hitam beludru buatan penjahit songkok, ukuran 5 sampai 9."),
      kbli="konveksi", regions=("35.25",), only_regions=True, export=True),
    T("baju_koko", "Baju Koko Bordir", FASHION, "potong", (85_000, 200_000), (100, 1_000),
      "62052090", ("tm",),
      ("Baju koko katun dengan bordir di kerah dan dada, dijahit oleh penjahit di konveksi "
       "pesantren.",
       "Busana muslim pria bahan toyobo, bordirnya dikerjakan dengan mesin bordir komputer."),
      kbli="konveksi"),
    T("jilbab_ecoprint", "Jilbab Ecoprint", FASHION, "potong", (75_000, 175_000), (50, 400),
      "62149090", ("tm",),
      ("Jilbab yang motifnya dicetak langsung dari daun jati dan daun jarak dengan teknik "
       "ecoprint; tiap lembar berbeda.",
       "Kain ecoprint pewarna alami karya santri putri, motif daun dipukul dan dikukus."),
      kbli="batik"),
    T("tas_kulit", "Tas Kulit Tanggulangin", FASHION, "buah", (175_000, 750_000), (50, 400),
      "42022190", ("tm",),
      ("Tas kulit sapi asli yang dijahit dan dirakit oleh pengrajin Tanggulangin.",
       "Tas tangan kulit samak nabati, dijahit dengan benang lilin agar kuat."),
      kbli="konveksi", regions=("35.15",), only_regions=True, export=True),
    T("sepatu_kulit", "Sepatu Kulit", FASHION, "pasang", (150_000, 400_000), (100, 600),
      "64039990", ("tm",),
      ("Sepatu kulit pria yang dijahit tangan oleh perajin alas kaki Mojokerto.",
       "Sepatu pantofel kulit sapi, sol karet dijahit, buatan bengkel sepatu santri."),
      kbli="konveksi", regions=("35.16", "35.76"), only_regions=True),
    # Craft
    T("tas_pandan", "Tas Anyaman Pandan", CRAFT, "buah", (45_000, 150_000), (100, 800),
      "46021990", ("tm",),
      ("Tas dari daun pandan duri yang dijemur, diwarnai lalu dianyam rapat oleh pengrajin santri "
       "putri.",
       "Kerajinan anyaman pandan berbentuk tas jinjing dengan lapisan kain di dalamnya."),
      kbli="anyaman", regions=("35.04", "35.08", "35.12", "35.29"), export=True),
    T("tikar_pandan", "Tikar Pandan", CRAFT, "lembar", (60_000, 180_000), (50, 400), "46012990",
      (), ("Tikar dari anyaman pandan berwarna, dianyam tangan oleh ibu-ibu sekitar pesantren.",
           "Tikar pandan lebar untuk alas mengaji, dianyam rapat dan awet."),
      kbli="anyaman", regions=("35.08", "35.12", "35.10")),
    T("anyaman_bambu", "Anyaman Bambu", CRAFT, "set", (25_000, 90_000), (100, 1_000), "46021190",
      ("tm",),
      ("Besek, tampah dan keranjang dari bambu apus yang diraut tipis lalu dianyam oleh pengrajin "
       "kampung.",
       "Kerajinan bambu anyaman tangan: wadah hantaran, tudung saji dan keranjang parsel."),
      kbli="anyaman", regions=("35.10", "35.20", "35.21", "35.02"), export=True),
    T("kaligrafi_ukir", "Kaligrafi Ukir Kayu Jati", CRAFT, "buah", (350_000, 2_500_000),
      (10, 80), "44201100", ("tm",),
      ("Kaligrafi ayat Al-Qur'an yang diukir pada kayu jati tua oleh pengukir santri; ukirannya "
       "dalam dan dihaluskan dengan tangan.",
       "Hiasan dinding kaligrafi ukir gaya Madura, dikerjakan berminggu-minggu oleh pengrajin "
       "ukir."),
      kbli="kayu", regions=("35.29", "35.14", "35.13"), export=True),
    T("manik_manik", "Kerajinan Manik-Manik Kaca", CRAFT, "set", (15_000, 75_000), (200, 2_000),
      "70181090", ("tm",),
      ("Kalung, gelang dan tasbih dari manik-manik kaca yang dilebur dan dibentuk di sentra "
       "Plumbon Gambang.",
       "Manik-manik kaca warna-warni buatan tangan, dirangkai menjadi aksesori."),
      kbli="kayu", regions=("35.17",), only_regions=True, export=True),
    T("gerabah", "Gerabah Hias", CRAFT, "buah", (25_000, 200_000), (100, 800), "69139090", (),
      ("Vas dan pot tanah liat yang dibentuk di meja putar, dibakar lalu dicat tangan.",
       "Gerabah hias buatan pengrajin tanah liat, dibakar di tungku tradisional."),
      kbli="kayu", regions=("35.73", "35.07")),
    T("tasbih_kayu", "Tasbih Kayu Kokka", CRAFT, "buah", (15_000, 75_000), (200, 2_000),
      "44209090", (),
      ("Tasbih 33 dan 99 butir dari kayu kokka yang dibubut dan dipoles dengan minyak alami.",
       "Tasbih kayu buatan santri di bengkel bubut pesantren."),
      kbli="kayu"),
    T("rehal", "Rehal Al-Qur'an Lipat", CRAFT, "buah", (35_000, 150_000), (100, 800), "44209090",
      ("tm",),
      ("Rehal kayu mahoni yang dipotong dari satu papan dan bisa dilipat tanpa engsel; diukir "
       "motif bunga.",
       "Penyangga Al-Qur'an dari kayu jati, diukir dan difinishing melamin oleh pengrajin kayu."),
      kbli="kayu", regions=("35.29", "35.14", "35.17")),
    T("keset_sabut", "Keset Sabut Kelapa", CRAFT, "buah", (20_000, 60_000), (300, 2_000),
      "57022000", (),
      ("Keset dari serat sabut kelapa yang dipintal dan dianyam; kuat dan tidak licin.",
       "Kerajinan sabut kelapa olahan limbah kebun, dianyam menjadi keset dan pot."),
      kbli="anyaman"),
    T("daur_ulang", "Tas Daur Ulang Bungkus Kopi", CRAFT, "buah", (35_000, 95_000), (100, 600),
      "39269099", (),
      ("Tas dan dompet dari bungkus kopi saset bekas yang dilipat dan dianyam; dikerjakan oleh "
       "santri di bank sampah pesantren.",
       "Kerajinan daur ulang plastik kemasan, dianyam rapat dan dijahit dengan lapisan kain."),
      kbli="anyaman"),
    T("marmer", "Kerajinan Marmer dan Onyx", CRAFT, "buah", (75_000, 750_000), (50, 400),
      "68029100", ("tm",),
      ("Asbak, vas dan meja kecil dari marmer Tulungagung yang dipotong, dibubut dan dipoles "
       "mengilap.",
       "Kerajinan batu onyx dan marmer, dikerjakan pengrajin di sentra Besole."),
      kbli="kayu", regions=("35.04",), only_regions=True, export=True),
    T("kerajinan_kerang", "Kerajinan Kerang", CRAFT, "buah", (25_000, 150_000), (100, 800),
      "96019000", (),
      ("Hiasan dan lampu dari kulit kerang laut yang dibersihkan, dipotong dan dirangkai tangan.",
       "Kerajinan kerang pesisir karya kelompok santri dan nelayan."),
      kbli="kayu", regions=("35.12", "35.29", "35.13")),
    # Agriculture and livestock
    T("beras_organik", "Beras Organik", AGRI, "karung 5 kg", (65_000, 95_000), (200, 3_000),
      "10063099", ("SNI 6128:2020", "tm"),
      ("Beras dari sawah organik pesantren yang dipupuk kompos dan dipanen tanpa pestisida kimia.",
       "Beras putih organik hasil kelompok tani binaan koperasi, digiling dan disosoh sekali."),
      kbli="pertanian", regions=("35.21", "35.17", "35.24", "35.22", "35.10")),
    T("lele_segar", "Ikan Lele Segar", AGRI, "kg", (20_000, 28_000), (500, 6_000), "03027290", (),
      ("Lele dari kolam bioflok pesantren, dipanen sesuai pesanan ukuran 7 sampai 9 ekor per kg.",
       "Ikan lele segar budidaya santri dengan pakan terkontrol."),
      kbli="ikan"),
    T("telur_kampung", "Telur Ayam Kampung", AGRI, "tray isi 30", (55_000, 75_000), (100, 1_500),
      "04072100", (),
      ("Telur ayam kampung dari peternakan umbaran pesantren, dipungut setiap pagi.",
       "Telur ayam kampung segar hasil kandang santri, dipilih dan dibersihkan."),
      kbli="unggas"),
    T("kambing_etawa", "Kambing Peranakan Etawa", AGRI, "ekor", (2_500_000, 7_500_000), (5, 40),
      "01042090", (),
      ("Kambing peranakan etawa sehat dan terawat dari kandang panggung pesantren, siap untuk "
       "indukan maupun akikah.",
       "Kambing PE hasil peternakan santri, lengkap dengan surat keterangan kesehatan hewan."),
      kbli="unggas", regions=("35.08", "35.06", "35.05")),
    T("susu_etawa", "Susu Kambing Etawa Segar", AGRI, "botol 1 liter", (25_000, 40_000),
      (100, 1_000), "04012090", ("halal",),
      ("Susu segar kambing etawa yang diperah pagi dan dipasteurisasi, dikirim dingin.",
       "Susu etawa murni dari peternakan pesantren, tanpa tambahan gula."),
      kbli="unggas", regions=("35.08", "35.06", "35.05")),
    T("sapi_madura", "Sapi Potong Madura", AGRI, "ekor", (15_000_000, 25_000_000), (2, 20),
      "01022990", (),
      ("Sapi madura jantan yang digemukkan dengan pakan hijauan dan konsentrat di kandang "
       "koperasi.",
       "Sapi potong lokal Madura, sehat dan tercatat, siap kurban maupun potong."),
      kbli="unggas", regions=MADURA, only_regions=True, cooperative_only=True),
    T("jamur_tiram", "Jamur Tiram Segar", AGRI, "kg", (15_000, 25_000), (200, 2_000), "07095990",
      (), ("Jamur tiram putih dari kumbung bambu pesantren, dipetik setiap pagi.",
           "Jamur tiram segar budidaya santri dengan media serbuk gergaji."),
      kbli="pertanian"),
    T("bawang_merah", "Bawang Merah", AGRI, "kg", (25_000, 45_000), (1_000, 10_000), "07031029",
      (), ("Bawang merah kering simpan dari sawah di sekitar pesantren, umbi besar dan padat.",
           "Bawang merah varietas Bauji, dikeringkan dan dirompes sebelum dikirim."),
      kbli="pertanian", regions=("35.18", "35.13"), only_regions=True),
    T("apel_manalagi", "Apel Manalagi", AGRI, "kg", (20_000, 35_000), (500, 5_000), "08081000", (),
      ("Apel manalagi petik langsung dari kebun di lereng Panderman; manis dan renyah.",
       "Apel Batu segar, dipetik matang pohon dan disortir ukuran."),
      kbli="pertanian", regions=("35.79",), only_regions=True),
    T("jeruk_pamelo", "Jeruk Pamelo", AGRI, "buah", (25_000, 50_000), (200, 2_000), "08054000",
      (), ("Jeruk besar pamelo khas Magetan, daging buah merah dan manis segar.",
           "Pamelo dari kebun kelompok tani binaan pesantren."),
      kbli="pertanian", regions=("35.20",), only_regions=True),
    T("green_bean", "Green Bean Kopi Robusta", AGRI, "kg", (35_000, 60_000), (500, 5_000),
      "09011190", (),
      ("Biji kopi robusta mentah petik merah, diproses natural dan disortir grade 1.",
       "Green bean robusta dari kebun rakyat di lereng gunung, kadar air di bawah 12 persen."),
      kbli="kopi", regions=("35.07", "35.09", "35.10", "35.11"), only_regions=True, export=True),
    T("cabai_rawit", "Cabai Rawit Segar", AGRI, "kg", (25_000, 70_000), (300, 3_000), "07096010",
      (), ("Cabai rawit merah dari lahan kering pesantren, dipetik matang.",
           "Cabai rawit segar hasil kebun santri, dikemas karung jaring."),
      kbli="pertanian"),
    T("mangga", "Mangga Arumanis", AGRI, "kg", (15_000, 30_000), (1_000, 8_000), "08045020", (),
      ("Mangga arumanis dari kebun di Probolinggo dan Pasuruan, dipetik tua dan diperam alami.",
       "Mangga manis harum hasil kebun kelompok tani."),
      kbli="pertanian", regions=("35.13", "35.14", "35.74"), only_regions=True, export=True),
    T("madu_hutan", "Madu Hutan", AGRI, "botol 500 g", (75_000, 150_000), (100, 800), "04090000",
      ("halal", "SNI 8664:2018", "tm"),
      ("Madu lebah hutan yang dipanen dengan cara tiris tanpa merusak sarang, lalu disaring dan "
       "dikurangi kadar airnya.",
       "Madu hutan asli dari kawasan hutan di sekitar pesantren, dipanen para pemburu madu "
       "binaan koperasi."),
      kbli="pertanian", regions=("35.10", "35.08", "35.29", "35.14"), export=True),
    T("madu_klanceng", "Madu Klanceng", AGRI, "botol 250 ml", (90_000, 180_000), (50, 400),
      "04090000", ("halal", "tm"),
      ("Madu lebah tanpa sengat (klanceng) dengan rasa asam segar, dipanen dari stup kayu di "
       "kebun pesantren.",
       "Madu trigona budidaya santri, kaya propolis."),
      kbli="pertanian"),
    T("ayam_kampung", "Ayam Kampung Potong", AGRI, "ekor", (60_000, 90_000), (100, 1_500),
      "02071100", ("halal",),
      ("Ayam kampung umur tiga bulan yang dipotong secara syar'i di rumah potong pesantren.",
       "Ayam kampung segar, dipotong dan dibersihkan sesuai pesanan."),
      kbli="unggas"),
    T("pupuk_kompos", "Pupuk Kompos Organik", AGRI, "karung 25 kg", (25_000, 50_000),
      (200, 3_000), "31010099", (),
      ("Kompos dari kotoran ternak dan sampah dapur pesantren yang difermentasi selama enam "
       "minggu.",
       "Pupuk organik padat olahan unit peternakan pesantren."),
      kbli="pertanian"),
    T("garam_krosok", "Garam Krosok", AGRI, "karung 50 kg", (40_000, 75_000), (500, 5_000),
      "25010092", (),
      ("Garam krosok hasil petambak garam rakyat, dipanen dengan teknologi geomembran.",
       "Garam rakyat kristal besar dari tambak Madura."),
      kbli="pertanian", regions=("35.27", "35.28", "35.29"), only_regions=True),
    # Cosmetics and herbal
    T("sabun_herbal", "Sabun Herbal Sereh", COSMETICS, "batang 100 g", (10_000, 25_000),
      (300, 3_000), "34011190", ("halal", "SNI 3532:2016", "tm"),
      ("Sabun mandi padat dari minyak kelapa dan minyak sereh wangi, dibuat dengan proses dingin "
       "(cold process).",
       "Sabun herbal olahan santri putri, diracik dari minyak kelapa murni dan ekstrak sereh."),
      kbli="kosmetik"),
    T("sabun_sirih", "Sabun Cair Daun Sirih", COSMETICS, "botol 250 ml", (15_000, 30_000),
      (300, 2_000), "34013000", ("halal", "tm"),
      ("Sabun cair dengan rebusan daun sirih hijau, lembut untuk kulit.",
       "Sabun sirih racikan koperasi pesantren untuk cuci tangan dan mandi."),
      kbli="kosmetik"),
    T("minyak_kayu_putih", "Minyak Kayu Putih", COSMETICS, "botol 60 ml", (18_000, 40_000),
      (300, 3_000), "33012990", ("halal", "SNI 3954:2014", "tm"),
      ("Minyak kayu putih murni hasil penyulingan daun kayu putih yang dipetik dari hutan "
       "sekitar pesantren.",
       "Minyak kayu putih asli tanpa campuran, disuling dengan ketel uap di unit usaha "
       "pesantren."),
      kbli="jamu", regions=("35.02", "35.19"), export=True),
    T("minyak_sereh", "Minyak Sereh Wangi", COSMETICS, "botol 100 ml", (35_000, 80_000),
      (100, 800), "33012990", ("tm",),
      ("Minyak atsiri sereh wangi hasil penyulingan daun sereh dari kebun pesantren.",
       "Minyak sereh wangi untuk aromaterapi dan pengusir nyamuk."),
      kbli="jamu", export=True),
    T("lulur", "Lulur Rempah", COSMETICS, "pot 200 g", (20_000, 45_000), (200, 1_500),
      "33049930", ("halal", "tm"),
      ("Lulur dari beras, kunyit dan temu giring yang ditumbuk halus menurut racikan "
       "tradisional.",
       "Lulur rempah olahan santri putri untuk perawatan kulit."),
      kbli="kosmetik", regions=MADURA),
    T("jamu_temulawak", "Jamu Serbuk Temulawak", COSMETICS, "pak 250 g", (15_000, 30_000),
      (200, 2_000), "21069099", ("halal", "pirt", "tm"),
      ("Serbuk temulawak dan jahe yang diolah dengan gula aren, tinggal diseduh air hangat.",
       "Jamu instan temulawak olahan kelompok santri, dari rimpang segar kebun sendiri."),
      kbli="jamu"),
    T("jahe_merah", "Jahe Merah Instan", COSMETICS, "pak 250 g", (18_000, 35_000), (300, 3_000),
      "21069099", ("halal", "pirt", "bpom", "tm"),
      ("Minuman jahe merah instan yang dikristalkan dengan gula aren, hangat di badan.",
       "Jahe merah pilihan diparut, diperas dan dimasak hingga mengkristal; tanpa pengawet."),
      kbli="jamu", export=True),
    T("kunyit_asam", "Jamu Kunyit Asam", COSMETICS, "botol 250 ml", (5_000, 10_000),
      (500, 5_000), "22029990", ("halal", "pirt"),
      ("Jamu kunyit asam segar yang direbus dari kunyit, asam jawa dan gula merah.",
       "Jamu gendong kunyit asam racikan koperasi, diminum dingin."),
      kbli="jamu"),
    T("beras_kencur", "Jamu Beras Kencur", COSMETICS, "botol 250 ml", (5_000, 10_000),
      (500, 5_000), "22029990", ("halal", "pirt"),
      ("Jamu beras kencur dari beras yang direndam dan kencur segar yang ditumbuk.",
       "Jamu tradisional beras kencur, diracik setiap pagi."),
      kbli="jamu"),
    T("attar", "Parfum Non-Alkohol", COSMETICS, "botol 6 ml", (15_000, 50_000), (300, 3_000),
      "33030000", ("halal", "tm"),
      ("Minyak wangi tanpa alkohol racikan santri, aroma kasturi, melati dan kayu gaharu.",
       "Parfum roll-on non-alkohol yang diracik dan dibotolkan di koperasi pesantren."),
      kbli="kosmetik"),
    T("teh_kelor", "Teh Daun Kelor", COSMETICS, "pak 50 g", (15_000, 30_000), (200, 2_000),
      "12119099", ("halal", "pirt", "tm"),
      ("Daun kelor yang dipetik muda, dikeringkan di ruang teduh lalu dirajang menjadi "
       "teh herbal.",
       "Teh kelor kaya gizi olahan kelompok tani perempuan binaan pesantren."),
      kbli="jamu", regions=MADURA, export=True),
    T("teh_rosella", "Teh Rosella", COSMETICS, "pak 50 g", (15_000, 30_000), (200, 1_500),
      "12119099", ("halal", "pirt"),
      ("Kelopak bunga rosella merah yang dikeringkan, diseduh menjadi teh asam segar.",
       "Teh herbal rosella dari kebun pesantren."),
      kbli="jamu"),
    # Services
    T("jasa_konveksi", "Jasa Konveksi Seragam", SERVICES, "potong", (45_000, 150_000),
      (500, 3_000), "", (),
      ("Menerima pesanan seragam sekolah, pesantren, kantor dan kaos komunitas; dijahit oleh "
       "penjahit santri dengan mesin jahit high speed.",
       "Konveksi pesantren yang mengerjakan seragam, jas almamater dan baju koko dalam jumlah "
       "besar."),
      kbli="konveksi"),
    T("jasa_sablon", "Jasa Sablon Kaos", SERVICES, "potong", (25_000, 60_000), (500, 5_000), "",
      (), ("Sablon manual dan DTF untuk kaos, tas kain dan totebag; desain dibantu gratis.",
           "Kaos disablon dengan tinta plastisol yang awet dicuci, minimal pesan 12 potong."),
      kbli="cetak"),
    T("jasa_cetak", "Jasa Percetakan Undangan", SERVICES, "lembar", (1_500, 6_000),
      (1_000, 20_000), "", (),
      ("Mencetak undangan, brosur, kalender dan buku; dikerjakan di unit percetakan pesantren.",
       "Percetakan offset dan digital untuk undangan walimah dan sertifikat."),
      kbli="cetak"),
    T("jasa_katering", "Jasa Katering Nasi Kotak", SERVICES, "kotak", (15_000, 35_000),
      (1_000, 10_000), "", ("halal",),
      ("Nasi kotak dan tumpeng untuk pengajian, rapat dan hajatan, dimasak di dapur umum "
       "pesantren.",
       "Katering masakan rumahan dengan menu harian, diolah juru masak bersertifikat."),
      kbli="katering"),
    T("jasa_laundry", "Jasa Laundry Kiloan", SERVICES, "kg", (5_000, 9_000), (1_000, 10_000), "",
      (), ("Cuci, kering dan setrika kiloan untuk santri dan warga, selesai dalam dua hari.",
           "Laundry kiloan koperasi pesantren dengan deterjen ramah lingkungan."),
      kbli="ritel"),
    T("jasa_bordir", "Jasa Bordir Nama dan Logo", SERVICES, "potong", (5_000, 25_000),
      (500, 5_000), "", (),
      ("Bordir nama, logo pesantren dan badge seragam dengan mesin bordir komputer.",
       "Menerima bordiran logo untuk seragam, topi dan tas."),
      kbli="konveksi"),
    T("jasa_pelatihan", "Pelatihan Wirausaha Santri", SERVICES, "orang", (150_000, 750_000),
      (20, 200), "", (),
      ("Pelatihan pengolahan pangan, pengemasan dan pemasaran daring untuk kelompok usaha, "
       "dipandu praktisi OPOP.",
       "Kelas kewirausahaan: membuat produk, mengurus P-IRT dan halal, serta berjualan di "
       "lokapasar."),
      kbli="ritel", cooperative_only=True),
    T("jasa_desain", "Jasa Desain Label Kemasan", SERVICES, "desain", (150_000, 500_000),
      (10, 100), "", (),
      ("Desain logo dan label kemasan yang memenuhi ketentuan label pangan, dikerjakan tim "
       "desain santri.",
       "Mendesain kemasan produk UMKM, lengkap dengan tata letak informasi nilai gizi."),
      kbli="cetak"),
    T("jasa_foto", "Jasa Fotografi Produk", SERVICES, "paket", (250_000, 1_000_000), (10, 80), "",
      (), ("Foto produk untuk katalog dan lokapasar dengan studio mini pesantren.",
           "Paket foto dan video produk untuk promosi media sosial."),
      kbli="cetak"),
    T("jasa_giling", "Jasa Penggilingan Padi", SERVICES, "kg", (400, 700), (5_000, 50_000), "",
      (), ("Penggilingan dan penyosohan padi milik petani dengan mesin rice milling unit.",
           "Jasa giling gabah menjadi beras di unit penggilingan koperasi."),
      kbli="pertanian", regions=("35.21", "35.22", "35.24", "35.17"), cooperative_only=True),
    # Other
    T("briket", "Briket Arang Tempurung Kelapa", OTHER, "karung 10 kg", (90_000, 160_000),
      (100, 2_000), "44029010", ("tm",),
      ("Briket dari arang tempurung kelapa yang digiling, dicetak kubus dan dikeringkan oven; "
       "abunya sedikit dan panasnya lama.",
       "Arang briket olahan limbah tempurung untuk shisha dan barbeku."),
      kbli="kayu", export=True),
    T("paving", "Paving Block", OTHER, "m²", (55_000, 85_000), (200, 3_000), "68101100",
      ("SNI 03-0691-1996",),
      ("Paving block mutu K-300 yang dicetak dengan mesin press hidrolik di unit usaha pesantren.",
       "Paving segi enam dan bata, dicetak dan dirawat basah selama dua minggu."),
      kbli="kayu", cooperative_only=True),
    T("kitab", "Kitab Terjemah Pesantren", OTHER, "eksemplar", (25_000, 90_000), (100, 1_500),
      "49019990", (),
      ("Kitab kuning dengan makna gandul dan terjemah bahasa Jawa, dicetak di percetakan "
       "pesantren.",
       "Terbitan pesantren: kitab fikih dan akhlak dengan terjemah dan syarah."),
      kbli="cetak", cooperative_only=True),
    T("lilin", "Lilin Aromaterapi", OTHER, "buah", (20_000, 55_000), (100, 1_000), "34060000",
      (), ("Lilin dari lilin kedelai dengan minyak atsiri sereh dan kayu putih, dituang dalam "
           "gelas kaca.",
           "Lilin aromaterapi buatan santri putri, wangi lembut dan tanpa asap hitam."),
      kbli="kosmetik"),
    T("pakan_ikan", "Pakan Ikan Apung Mandiri", OTHER, "karung 30 kg", (180_000, 280_000),
      (50, 800), "23099013", (),
      ("Pelet ikan apung dari maggot, dedak dan tepung ikan yang dicetak di unit pakan pesantren.",
       "Pakan mandiri untuk lele dan nila, protein tinggi dan harga terjangkau."),
      kbli="ikan"),
    T("sandal", "Sandal Santri", OTHER, "pasang", (15_000, 45_000), (300, 3_000), "64022090", (),
      ("Sandal jepit karet dan sandal japit kulit yang dirakit di bengkel alas kaki pesantren.",
       "Sandal harian santri, kuat dan tidak mudah putus."),
      kbli="konveksi"),
)

KALSEL_TEMPLATES = (
    T("sasirangan", "Kain Sasirangan", FASHION, "lembar 2 m", (150_000, 650_000), (30, 300),
      "52085990", ("tm",),
      ("Kain sasirangan khas Banjar: kain dijelujur (disirang), diikat lalu dicelup pewarna "
       "sehingga motif gigi haruan dan kulat kurikit muncul.",
       "Sasirangan pewarna alami dari kayu ulin dan kunyit, dikerjakan oleh pengrajin santri "
       "putri."),
      kbli="batik", export=True, province="63"),
    T("kemeja_sasirangan", "Kemeja Sasirangan", FASHION, "potong", (150_000, 350_000), (50, 400),
      "62052090", ("tm",),
      ("Kemeja pria dari kain sasirangan, dijahit di konveksi pesantren.",
       "Kemeja lengan pendek motif sasirangan, dijahit rapi dengan kancing batok."),
      kbli="konveksi", province="63"),
    T("kerupuk_haruan", "Kerupuk Haruan", FOOD, "pak 250 g", (25_000, 45_000), (200, 1_500),
      "19059090", ("halal", "pirt"),
      ("Kerupuk dari ikan haruan (gabus) rawa yang digiling dengan tapioka, dikukus, diiris lalu "
       "dijemur.",
       "Olahan ikan gabus khas Hulu Sungai, gurih dan renyah setelah digoreng."),
      province="63"),
    T("amplang", "Amplang Ikan Pipih", FOOD, "pak 250 g", (30_000, 50_000), (200, 1_500),
      "19059090", ("halal", "pirt", "tm"),
      ("Amplang dari daging ikan pipih yang diulen dengan tepung, dibentuk kecil dan digoreng "
       "renyah.",
       "Camilan amplang ikan olahan santri, gurih dengan rasa ikan yang kuat."),
      province="63"),
    T("dodol_kandangan", "Dodol Kandangan", FOOD, "kotak 500 g", (30_000, 55_000), (100, 800),
      "17049099", ("halal", "pirt"),
      ("Dodol ketan dan gula aren yang diaduk berjam-jam dalam kawah besar; oleh-oleh khas "
       "Kandangan.",
       "Dodol legit rasa durian dan original, dibungkus kulit jagung."),
      province="63"),
    T("madu_kelulut", "Madu Kelulut", AGRI, "botol 250 ml", (100_000, 200_000), (50, 300),
      "04090000", ("halal", "tm"),
      ("Madu lebah kelulut dari hutan dan kebun karet, rasanya asam manis dan kaya propolis.",
       "Madu kelulut hasil budidaya santri di stup kayu."),
      kbli="pertanian", export=True, province="63"),
    T("kopi_aranio", "Kopi Aranio", FOOD, "pak 200 g", (35_000, 70_000), (100, 600), "09012120",
      ("halal", "pirt"),
      ("Kopi robusta dari perbukitan Aranio yang disangrai sedang dan digiling halus.",
       "Kopi khas Pegunungan Meratus, diolah di koperasi pesantren."),
      kbli="kopi", province="63"),
    T("anyaman_purun", "Anyaman Purun", CRAFT, "buah", (25_000, 125_000), (100, 800), "46021990",
      ("tm",),
      ("Tas, tikar dan topi dari purun rawa yang ditumbuk, dijemur lalu dianyam tangan.",
       "Kerajinan purun khas rawa Banjar, dianyam oleh ibu-ibu sekitar pesantren."),
      kbli="anyaman", export=True, province="63"),
    T("lampit_rotan", "Lampit Rotan Amuntai", CRAFT, "lembar", (450_000, 2_500_000), (10, 80),
      "46012200", ("tm",),
      ("Lampit dari bilah rotan yang diraut, dijalin dengan benang nilon dan diwarnai; khas "
       "Amuntai.",
       "Tikar rotan lampit untuk lantai dan alas duduk, dikerjakan pengrajin rotan."),
      kbli="anyaman", export=True, province="63"),
    T("telur_alabio", "Telur Itik Alabio", AGRI, "butir", (3_000, 4_500), (1_000, 10_000),
      "04072900", (),
      ("Telur itik Alabio dari peternakan rawa Hulu Sungai Utara.",
       "Telur itik segar hasil kandang santri."),
      kbli="unggas", province="63"),
    T("jeruk_siam", "Jeruk Siam Banjar", AGRI, "kg", (15_000, 25_000), (500, 5_000), "08052900",
      (), ("Jeruk siam dari kebun surjan di lahan pasang surut Barito Kuala.",
           "Jeruk manis berkulit tipis hasil kelompok tani binaan pesantren."),
      kbli="pertanian", province="63"),
    T("pupur_dingin", "Pupur Dingin Banjar", COSMETICS, "toples 100 g", (15_000, 35_000),
      (200, 1_500), "33049100", ("halal", "tm"),
      ("Bedak basah tradisional Banjar dari beras yang direndam lama dan rempah, dikeringkan "
       "menjadi butiran.",
       "Pupur basah racikan santri putri untuk menyejukkan kulit."),
      kbli="kosmetik", province="63"),
    T("katering_banjar", "Katering Masakan Banjar", SERVICES, "kotak", (20_000, 45_000),
      (500, 5_000), "", ("halal",),
      ("Nasi kuning, soto Banjar dan ketupat kandangan untuk acara, dimasak di dapur pesantren.",
       "Katering masakan khas Banjar untuk haulan dan pengajian."),
      kbli="katering", province="63"),
    T("kitab_banjar", "Kitab Terjemah Arab Melayu", OTHER, "eksemplar", (30_000, 90_000),
      (100, 800), "49019990", (),
      ("Kitab pengajian dengan terjemah Arab Melayu, dicetak di unit percetakan pesantren.",
       "Terbitan pesantren untuk majelis taklim."),
      kbli="cetak", province="63"),
)
# fmt: on
TEMPLATE_BY_KEY = {t.key: t for t in (*TEMPLATES, *KALSEL_TEMPLATES)}

CATEGORY_WEIGHTS = {
    FOOD: 34,
    FASHION: 14,
    CRAFT: 14,
    AGRI: 13,
    COSMETICS: 11,
    SERVICES: 9,
    OTHER: 5,
}

MAKER_COOPERATIVE = (
    "Dikerjakan oleh pengrajin santri {pesantren} di Kecamatan {district}, {regency}.",
    "Diproduksi oleh koperasi pesantren (kopontren) {pesantren} bersama santri dan warga sekitar.",
    "Hasil olahan unit usaha {cooperative} yang dikelola para santri dan pengurus koperasi.",
    "Dibuat di rumah produksi {cooperative}, {regency}, dengan pendampingan program OPOP {area}.",
)
# By the role of the person who owns the business.
MAKER_PERSON = {
    "santri": (
        "Usaha santripreneur binaan {pesantren}, dikerjakan dari rumah produksi di Kecamatan "
        "{district}.",
        "Dikerjakan oleh wirausaha santri peserta pelatihan OPOP {area} di {regency}.",
    ),
    "alumnus": (
        "Dirintis oleh alumni {pesantren} sebagai usaha sosiopreneur bersama warga {district}.",
        "Usaha sosiopreneur alumni {pesantren} yang mempekerjakan warga sekitar.",
    ),
    "community": (
        "Dikerjakan oleh warga Kecamatan {district} yang bermitra dengan {pesantren}.",
        "Usaha sosiopreneur warga sekitar {pesantren}, binaan program OPOP {area}.",
    ),
}
EXTRAS = {
    FOOD: (
        "Tanpa bahan pengawet dan pewarna buatan.",
        "Tersedia kemasan eceran dan kemasan besar untuk toko oleh-oleh.",
        "Menerima pesanan untuk hajatan, oleh-oleh haji dan umrah, serta reseller.",
        "Dikemas dalam standing pouch berzip agar tetap segar setelah dibuka.",
    ),
    FASHION: (
        "Menerima pesanan seragam untuk pesantren, sekolah dan instansi.",
        "Setiap lembar dikerjakan tangan sehingga motifnya sedikit berbeda satu dengan lainnya.",
        "Dikemas dalam kotak kado, cocok untuk cendera mata.",
    ),
    CRAFT: (
        "Setiap barang dikerjakan tangan sehingga tidak ada dua yang persis sama.",
        "Menerima pesanan cendera mata untuk acara dan perusahaan.",
        "Bahan baku diambil dari sekitar pesantren dan dikerjakan dengan cara tradisional.",
    ),
    AGRI: (
        "Dipanen sesuai pesanan agar sampai dalam keadaan segar.",
        "Melayani pembelian partai untuk pedagang dan rumah makan.",
        "Dikelola bersama kelompok tani dan peternak binaan koperasi.",
    ),
    COSMETICS: (
        "Diracik dari bahan alami tanpa paraben dan pewangi sintetis.",
        "Dikemas higienis dan diberi tanggal kedaluwarsa pada setiap kemasan.",
        "Resep turun-temurun yang dikembangkan bersama pendamping OPOP.",
    ),
    SERVICES: (
        "Melayani wilayah {regency} dan sekitarnya; pesanan luar kota dikirim dengan ekspedisi.",
        "Pengerjaan tepat waktu dengan harga khusus untuk pesantren dan sekolah.",
        "Konsultasi gratis sebelum pesanan dikerjakan.",
    ),
    OTHER: (
        "Melayani pesanan partai dan pengiriman ke luar kota.",
        "Diproduksi oleh unit usaha pesantren yang mempekerjakan santri dan warga sekitar.",
    ),
}

SUBMIT_NOTES = (
    "",
    "",
    "Diajukan setelah kunjungan pendampingan ke rumah produksi.",
    "Label dan foto produk sudah diperbarui.",
    "Mohon dikurasi untuk pameran OPOP Expo.",
)
RETURN_NOTES = (
    "Label kemasan belum mencantumkan komposisi dan tanggal kedaluwarsa; mohon dilengkapi.",
    "Foto produk kurang jelas; unggah foto dengan latar polos dan pencahayaan cukup.",
    "Nomor P-IRT belum dilampirkan; produk pangan olahan memerlukan izin edar.",
    "Sertifikat halal perlu dilampirkan sebelum produk dikurasi untuk ritel modern.",
    "Harga grosir dan kapasitas produksi bulanan belum diisi.",
    "Deskripsi produk terlalu singkat; jelaskan bahan, cara pembuatan dan ukuran kemasan.",
    "Kemasan mudah bocor saat dikirim; gunakan kemasan yang lebih rapat.",
)
RESUBMIT_NOTES = (
    "Label dan komposisi sudah dilengkapi.",
    "Foto produk sudah diganti.",
    "Dokumen legalitas sudah diunggah.",
    "Kemasan sudah diperbaiki sesuai catatan kurator.",
)
REVIEW_NOTES = ("", "", "Dijadwalkan uji organoleptik.", "Sampel produk sudah diterima.")
CURATED_NOTES = {
    "local": (
        "Layak dipasarkan di pasar lokal dan toko oleh-oleh; lanjutkan perbaikan kemasan.",
        "Rasa dan mutu baik; kemasan perlu ditingkatkan untuk ritel modern.",
    ),
    "modern_retail": (
        "Kemasan, label dan legalitas lengkap; layak masuk ritel modern.",
        "Mutu konsisten dan kapasitas memadai untuk pasokan ritel modern.",
    ),
    "export": (
        "Mutu konsisten, kapasitas dan dokumen memadai; siap ekspor dengan pendampingan.",
        "Lolos kurasi ekspor; disarankan ikut misi dagang dan pameran internasional.",
    ),
}

BUYERS = (
    ("Hendra Gunawan", "Toko Oleh-Oleh Sari Rasa"),
    ("Yuliana Prasetya", "CV Mitra Pangan"),
    ("Bagus Setiawan", "Koperasi Karyawan Sejahtera"),
    ("Rina Marlina", ""),
    ("Agung Wicaksono", "Hotel Bintang Sembilan"),
    ("Lina Hartati", "Butik Nuansa Muslimah"),
    ("Dedi Kurniawan", "UD Sumber Rejeki"),
    ("Novi Andriani", "Katering Berkah Ibu"),
    ("Samsul Bahri", "Toko Kelontong Barokah"),
    ("Wulan Sari", ""),
    ("Teguh Santoso", "PT Niaga Rasa Nusantara"),
    ("Maria Christina", "Galeri Kriya Indonesia"),
)
FOREIGN_BUYERS = (
    ("Aisha Rahman", "Halal Pantry Sdn Bhd"),
    ("Tan Wei Ming", "Lion City Gourmet Pte Ltd"),
    ("Omar Haddad", "Gulf Fine Foods LLC"),
)
INQUIRY_MESSAGES = (
    "Assalamualaikum, apakah bisa kirim {quantity} {unit} setiap bulan ke toko kami? Mohon "
    "info harga grosir dan ongkos kirimnya.",
    "Kami tertarik menjual produk ini di toko kami. Apakah tersedia sampel dan katalog harga?",
    "Mohon info minimal pemesanan dan lama pengerjaan untuk {quantity} {unit}.",
    "Apakah produk ini sudah bersertifikat halal dan bisa dikirim ke luar Jawa?",
    "Kami butuh {quantity} {unit} untuk acara kantor bulan depan. Bisa dibantu?",
)
FOREIGN_MESSAGES = (
    "Hello, we import halal products. Could you send your export price list for {quantity} "
    "units and the lead time?",
    "We are interested in this product for our stores. Do you have a certificate of origin and "
    "can you ship by sea freight?",
)
REPLY_NOTES = (
    "Sudah dihubungi lewat WhatsApp; harga grosir dan ongkos kirim dikirim.",
    "Sampel dikirim lewat ekspedisi; pembeli akan memesan setelah mencoba.",
    "Pesanan pertama disepakati, pembayaran tempo 14 hari.",
    "Dijawab lewat surel dengan daftar harga dan foto kemasan.",
)

# --- What the builders produce -----------------------------------------------------


@dataclass
class DocumentSeed:
    kind: str
    number: str
    halal_scheme: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass
class EventSeed:
    actor: str  # "officer", "curator" or "pesantren" (the demo user who did it)
    from_status: str
    to_status: str
    at: dt.datetime
    level: str = ""
    notes: str = ""


@dataclass
class InquirySeed:
    name: str
    organisation: str
    phone: str
    email: str
    quantity: int | None
    message: str
    status: str  # new, answered, closed
    at: dt.datetime
    language: str = "id"
    reply_note: str = ""
    answered_at: dt.datetime | None = None
    answered_by: str = ""  # "officer" or "pesantren"


@dataclass
class ProductSeed:
    name: str
    description: str
    category: str
    unit: str
    price_min: int
    price_max: int
    monthly_capacity: int
    hs_code: str
    status: str
    level: str
    owner: int | None  # None: the cooperative; else the index of the person in `people`
    documents: list[DocumentSeed] = field(default_factory=list)
    events: list[EventSeed] = field(default_factory=list)
    inquiries: list[InquirySeed] = field(default_factory=list)

    @property
    def curated_at(self) -> dt.datetime | None:
        return self.events[-1].at if self.status == "curated" else None


@dataclass
class ConsentSeed:
    purpose: str
    given_on: dt.date
    given_by: str = "self"
    guardian_name: str = ""
    guardian_relation: str = ""


@dataclass
class EnterpriseSeed:
    name: str
    pillar: str
    business_line: str
    nib: str | None
    kbli_code: str
    started_year: int


@dataclass
class PersonSeed:
    full_name: str
    role: str
    pillar: str
    gender: str
    birth_date: dt.date
    nik: str
    phone: str
    address: str
    consents: list[ConsentSeed]
    enterprise: EnterpriseSeed | None = None
    has_business: bool = False  # gets an enterprise (and products) in _products


@dataclass
class CooperativeSeed:
    name: str
    legal_form: str
    deed_number: str
    deed_date: dt.date | None
    nib: str | None
    kbli_code: str
    members_count: int
    business_lines: str


@dataclass
class PesantrenSeed:
    name: str
    regency: str
    district: str
    address: str
    nspp: str | None
    leader_name: str
    santri_male: int
    santri_female: int
    typology: str
    founded_year: int
    phone: str
    pillars: tuple[bool, bool, bool]  # santripreneur, pesantrenpreneur, sosiopreneur
    opop_joined_year: int | None
    status: str
    cooperative: CooperativeSeed | None
    people: list[PersonSeed]
    products: list[ProductSeed]
    featured: bool = False


# --- Builders ------------------------------------------------------------------------

Districts = Mapping[str, Sequence[tuple[str, str]]]  # regency code → [(district code, name)]


class UniqueNumbers:
    """Numbers that must be unique across the whole demo (NSPP, NIB, NIK, certificates)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.names: set[str] = set()

    def unique(self, make) -> str:
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value


@dataclass
class _Province:
    code: str
    area: str  # "Jawa Timur", as OPOP programs are named
    zone: ZoneInfo
    regency_names: Mapping[str, str]
    districts: Districts
    today: dt.date
    registry: UniqueNumbers
    templates: tuple[Template, ...]
    banjar: bool = False


def _pick_weighted(rng: random.Random, weighted: Mapping[str, float]) -> str:
    keys = list(weighted)
    return rng.choices(keys, weights=[weighted[k] for k in keys])[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _at(rng: random.Random, day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """A time in office hours (08.00–15.59) of `day`, in the province's zone."""
    minutes = rng.randrange(8 * 60, 16 * 60)
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=zone)


def _phone(rng: random.Random, registry: UniqueNumbers) -> str:
    """A mobile number as people write it, "0812-3456-7890" (the loader stores E.164)."""

    def make() -> str:
        digits = f"{rng.randrange(10**8):08d}"
        return f"{rng.choice(MOBILE_PREFIXES)}-{digits[:4]}-{digits[4:]}"

    return registry.unique(make)


def _kyai(rng: random.Random) -> str:
    first = rng.choice(KYAI_FIRST)
    name = f"Abdul {rng.choice(ABDUL_NAMES)}" if first == "Abdul" else first
    name = f"{name} {rng.choice(KYAI_SECOND)}"
    if rng.random() < 0.3:
        name = f"{name} {rng.choice(KYAI_SECOND)}"
    title = "Dr. KH." if rng.random() < 0.06 else "KH."
    return f"{title} {name}"


# Given names that only ever come first ("Muhammad Rizal", never "Rizal Muhammad").
_ONLY_FIRST = frozenset({"Abdul", "Moh.", "Muhammad", "Ahmad", "Achmad", "Akhmad", "Siti"})


def _person_name(rng: random.Random, gender: str, banjar: bool) -> str:
    if banjar:
        first = BANJAR_MALE_FIRST if gender == "male" else BANJAR_FEMALE_FIRST
        last = BANJAR_MALE_LAST if gender == "male" else BANJAR_FEMALE_LAST
    else:
        first = MALE_FIRST if gender == "male" else FEMALE_FIRST
        last = MALE_LAST if gender == "male" else FEMALE_LAST
    given = rng.choice(first)
    parts = [f"Abdul {rng.choice(ABDUL_NAMES)}" if given == "Abdul" else given]
    if rng.random() < 0.3:
        middle = rng.choice(first)
        if middle not in _ONLY_FIRST and middle != given:
            parts.append(middle)
    parts.append(rng.choice(last))
    return " ".join(parts)


def _nik(
    rng: random.Random, district: str, birth: dt.date, female: bool, reg: UniqueNumbers
) -> str:
    """A NIK valid in structure: district PPKKCC, birth date (day + 40 for women), serial 9xxx."""
    day = birth.day + (40 if female else 0)
    prefix = f"{district.replace('.', '')}{day:02d}{birth:%m%y}"
    return reg.unique(lambda: f"{prefix}{rng.randrange(9001, 10000):04d}")


def _pesantren_name(
    rng: random.Random, typology: str, district_name: str, reg: UniqueNumbers, banjar: bool
) -> tuple[str, str]:
    """(full name, short name used for brands) unique in the province."""
    for attempt in range(200):
        base = rng.choice(PESANTREN_NAMES)
        with_place = attempt > 3 or rng.random() < 0.55
        short = f"{base} {district_name}" if with_place else base
        roll = rng.random()
        if typology == "khalafiyah" and roll < 0.35:
            prefix = "Pondok Modern"
        elif typology == "salafiyah" and roll < 0.15:
            prefix = "Pondok Pesantren Salafiyah"
        elif roll < 0.72:
            prefix = "Pondok Pesantren"
        elif roll < 0.82:
            prefix = "PP"
        elif roll < 0.92:
            prefix = "Ponpes"
        else:
            prefix = "Pesantren"
        if banjar:
            prefix = "Pondok Pesantren"
        if short.lower() in reg.names:
            continue
        reg.names.add(short.lower())
        return f"{prefix} {short}", short
    raise RuntimeError("no free pesantren name left")  # pragma: no cover - 85 names × districts


def _cooperative(
    rng: random.Random, short: str, prov: _Province, regency: str, founded: int
) -> CooperativeSeed:
    reg = prov.registry
    name = rng.choice(
        ("Kopontren {0}", "Koperasi Pondok Pesantren {0}", "Kopontren {0}", "Koperasi Syariah {0}")
    ).format(short)
    roll = rng.random()
    if roll < 0.1:
        legal_form, deed_number, deed_date, nib = "belum_berbadan_hukum", "", None, None
    else:
        legal_form = "koperasi_sekunder" if roll > 0.985 else "koperasi_primer"
        deed_date = _day_between(rng, dt.date(max(founded, 1992), 1, 1), dt.date(2025, 10, 31))
        if deed_date.year < 2018:
            area = "XVI" if prov.code == "35" else "XVII"
            deed_number = f"{rng.randrange(1, 999)}/BH/{area}.{regency[3:]}/{deed_date.year}"
        else:
            deed_number = f"AHU-{rng.randrange(10**7):07d}.AH.01.26.TAHUN {deed_date.year}"
        nib = reg.unique(lambda: f"{rng.choice(('912', '812'))}{rng.randrange(10**10):010d}")
    lines = rng.sample(BUSINESS_LINES, rng.randint(2, 4))
    kbli = KBLI_BY_LINE[LINE_KBLI.get(lines[0], "ritel")]
    return CooperativeSeed(
        name=name,
        legal_form=legal_form,
        deed_number=deed_number,
        deed_date=deed_date,
        nib=nib,
        kbli_code=kbli,
        members_count=rng.randrange(20, 800),
        business_lines=", ".join(lines),
    )


def _consents(rng: random.Random, minor: bool, banjar: bool, sells: bool) -> list[ConsentSeed]:
    given_on = _day_between(rng, dt.date(2023, 1, 9), dt.date(2026, 10, 30))
    if minor:
        relation = rng.choice(("Ayah", "Ibu", "Wali (paman)"))
        gender = "female" if relation == "Ibu" else "male"
        guardian = _person_name(rng, gender, banjar)
        guardian = ("H. " if gender == "male" and rng.random() < 0.3 else "") + guardian
        base = {"given_by": "guardian", "guardian_name": guardian, "guardian_relation": relation}
    else:
        base = {}
    consents = [ConsentSeed("registry", given_on, **base)]
    if rng.random() < 0.45:
        consents.append(ConsentSeed("training", given_on, **base))
    if sells:
        consents.append(ConsentSeed("catalogue_contact", given_on, **base))
    if not minor and rng.random() < 0.2:
        consents.append(ConsentSeed("publication", given_on))
    return consents


def _people(
    rng: random.Random, prov: _Province, pesantren: str, district: tuple[str, str], regency: str
) -> list[PersonSeed]:
    """Several people of one pesantren: staff, santri (minors among them), alumni, community."""
    roles = ["staff"] + ["santri"] * rng.randint(2, 4) + ["alumnus"] * rng.randint(1, 2)
    roles += ["community"] * rng.randint(0, 2)
    people = []
    for role in roles:
        gender = rng.choice(("male", "female"))
        minor = False
        # Minors are under 18 on the demo's days and were so when their guardian
        # consented; adults were 18 by their first consent (from 2023).
        if role == "santri":
            minor = rng.random() < 0.5
            birth = (
                _day_between(rng, dt.date(2009, 1, 1), dt.date(2011, 12, 31))
                if minor
                else _day_between(rng, dt.date(2000, 1, 1), dt.date(2004, 12, 31))
            )
            pillar = "santripreneur"
        elif role == "alumnus":
            birth = _day_between(rng, dt.date(1980, 1, 1), dt.date(2004, 12, 31))
            pillar = "sosiopreneur"
        elif role == "staff":
            birth = _day_between(rng, dt.date(1965, 1, 1), dt.date(2000, 12, 31))
            pillar = "pesantrenpreneur"
        else:
            birth = _day_between(rng, dt.date(1960, 1, 1), dt.date(1998, 12, 31))
            pillar = "sosiopreneur"
        has_business = (
            not minor and role != "staff" and rng.random() < (0.2 if role == "santri" else 0.35)
        )
        person = PersonSeed(
            full_name=_person_name(rng, gender, prov.banjar),
            role=role,
            pillar=pillar,
            gender=gender,
            birth_date=birth,
            nik=_nik(rng, district[0], birth, gender == "female", prov.registry),
            phone="" if minor else _phone(rng, prov.registry),
            address=f"Kecamatan {district[1]}, {prov.regency_names[regency]}",
            consents=_consents(rng, minor, prov.banjar, sells=has_business),
            has_business=has_business,
        )
        people.append(person)
    return people


def _template_weights(prov: _Province, regency: str, *, person: bool) -> dict[str, float]:
    """How likely each template is for a product of this regency (by a person or a cooperative)."""
    weights = {}
    for template in prov.templates:
        if template.only_regions and regency not in template.regions:
            continue
        if person and template.cooperative_only:
            continue
        weight = 8.0 if regency in template.regions else 1.0
        weights[template.key] = weight
    # Even out the categories so that they keep their intended shares.
    totals: dict[str, float] = {}
    for key, weight in weights.items():
        category = TEMPLATE_BY_KEY[key].category
        totals[category] = totals.get(category, 0) + weight
    return {
        key: CATEGORY_WEIGHTS[TEMPLATE_BY_KEY[key].category]
        * weight
        / totals[TEMPLATE_BY_KEY[key].category]
        for key, weight in weights.items()
    }


def _round_price(value: float) -> int:
    step = 500 if value < 50_000 else 1_000 if value < 500_000 else 50_000
    return max(step, round(value / step) * step)


def _status(rng: random.Random) -> str:
    """Most products are curated; the rest wait in the queue, were returned or are drafts."""
    return _pick_weighted(
        rng, {"curated": 57, "submitted": 12, "in_review": 9, "returned": 8, "draft": 14}
    )


def _level(rng: random.Random, template: Template) -> str:
    if template.export:
        return _pick_weighted(rng, {"local": 45, "modern_retail": 33, "export": 22})
    return _pick_weighted(rng, {"local": 64, "modern_retail": 36})


def _events(
    rng: random.Random, prov: _Province, status: str, level: str, submitter: str
) -> list[EventSeed]:
    """The curation trail that leads to `status`, at fixed past times."""
    if status == "draft":
        return []
    zone = prov.zone
    if status == "curated":
        day = _day_between(rng, CURATED_FROM, EVENTS_UNTIL - dt.timedelta(days=110))
    else:
        day = _day_between(rng, QUEUE_FROM, EVENTS_UNTIL - dt.timedelta(days=30))
    events = [
        EventSeed(
            submitter, "draft", "submitted", _at(rng, day, zone), notes=rng.choice(SUBMIT_NOTES)
        )
    ]
    if status == "submitted":
        return events

    def later(low: int, high: int) -> dt.datetime:
        nonlocal day
        day = min(day + dt.timedelta(days=rng.randint(low, high)), EVENTS_UNTIL)
        at = _at(rng, day, zone)
        return max(at, events[-1].at + dt.timedelta(minutes=5))

    events.append(
        EventSeed("curator", "submitted", "in_review", later(1, 8), notes=rng.choice(REVIEW_NOTES))
    )
    if status == "in_review":
        return events
    if status == "returned" or rng.random() < 0.22:
        events.append(
            EventSeed(
                "curator", "in_review", "returned", later(2, 10), notes=rng.choice(RETURN_NOTES)
            )
        )
        if status == "returned":
            return events
        events.append(
            EventSeed(
                submitter, "returned", "submitted", later(5, 30), notes=rng.choice(RESUBMIT_NOTES)
            )
        )
        events.append(EventSeed("curator", "submitted", "in_review", later(1, 6)))
    events.append(
        EventSeed(
            "curator",
            "in_review",
            "curated",
            later(3, 21),
            level=level,
            notes=rng.choice(CURATED_NOTES[level]),
        )
    )
    return events


VALIDITY_YEARS = {"halal": 4, "pirt": 5, "bpom": 5, "sni": 4, "trademark": 10}


def _expiry(
    rng: random.Random, kind: str, today: dt.date, forced: str | None = None
) -> tuple[dt.date, dt.date]:
    """(issued, expires) relative to the demo day: some expired, some within 90 days, most later.

    The draws are the same whatever `today` is, so only the dates move with it.
    """
    roll, offset = rng.random(), rng.random()
    years = VALIDITY_YEARS[kind]
    days = years * 365 + years // 4
    state = forced or ("expired" if roll < 0.06 else "soon" if roll < 0.15 else "valid")
    if state == "expired":
        expires = today - dt.timedelta(days=1 + int(offset * 179))
    elif state == "soon":
        expires = today + dt.timedelta(days=1 + int(offset * 88))
    else:
        expires = today + dt.timedelta(days=91 + int(offset * (days - 150)))
    return expires - dt.timedelta(days=days), expires


def _documents(
    rng: random.Random,
    template: Template,
    status: str,
    level: str,
    prov: _Province,
    regency: str,
    forced: Mapping[str, str] | None = None,
) -> list[DocumentSeed]:
    reg, today = prov.registry, prov.today
    forced = forced or {}
    high = level in ("modern_retail", "export")
    docs: list[DocumentSeed] = []
    allowed = set(template.docs)
    sni = next((d for d in template.docs if d.startswith("SNI")), None)
    regency_digits = regency.replace(".", "")
    if "halal" in allowed and (rng.random() < (0.92 if high else 0.6) or "halal" in forced):
        issued, expires = _expiry(rng, "halal", today, forced.get("halal"))
        self_declare = template.category != SERVICES and rng.random() < (0.25 if high else 0.6)
        number = reg.unique(lambda: f"ID{regency_digits}{rng.randrange(10**8):08d}{issued:%m%y}")
        docs.append(
            DocumentSeed(
                "halal", number, "self_declare" if self_declare else "regular", issued, expires
            )
        )
    has_bpom = (
        "bpom" in allowed
        and "pirt" not in forced
        and (rng.random() < (0.55 if high else 0.08) or "bpom" in forced)
    )
    if has_bpom:
        issued, expires = _expiry(rng, "bpom", today, forced.get("bpom"))
        number = reg.unique(
            lambda: (
                f"MD{rng.choice('2345')}{rng.randrange(10, 100)}{prov.code[1]}"
                f"{rng.randrange(10**8):08d}"
            )
        )
        docs.append(DocumentSeed("bpom", number, "", issued, expires))
    if "pirt" in allowed and not has_bpom and (rng.random() < 0.75 or "pirt" in forced):
        issued, expires = _expiry(rng, "pirt", today, forced.get("pirt"))
        food_type = rng.randrange(1, 17)
        number = reg.unique(
            lambda: (
                f"{rng.randrange(1, 6)}{food_type:02d}{regency_digits}"
                f"{rng.randrange(1, 100):02d}{rng.randrange(1, 10**4):04d}{expires:%y}"
            )
        )
        docs.append(DocumentSeed("pirt", number, "", issued, expires))
    if sni and rng.random() < (0.9 if high else 0.5):
        issued, expires = _expiry(rng, "sni", today, forced.get("sni"))
        docs.append(DocumentSeed("sni", sni, "", issued, expires))
    if "tm" in allowed and (
        rng.random() < (0.75 if level == "export" else 0.45 if high else 0.15)
        or "trademark" in forced
    ):
        issued, expires = _expiry(rng, "trademark", today, forced.get("trademark"))
        number = reg.unique(lambda: f"IDM{rng.randrange(100_000, 1_300_000):09d}")
        docs.append(DocumentSeed("trademark", number, "", issued, expires))
    return docs


def _description(
    rng: random.Random,
    template: Template,
    prov: _Province,
    *,
    pesantren: str,
    cooperative: str | None,
    owner_role: str,
    district: str,
    regency: str,
) -> str:
    makers = MAKER_COOPERATIVE if cooperative else MAKER_PERSON[owner_role]
    values = {
        "pesantren": pesantren,
        "cooperative": cooperative or "",
        "district": district,
        "regency": prov.regency_names[regency],
        "area": prov.area,
    }
    sentences = [
        rng.choice(template.texts),
        rng.choice(makers).format(**values),
        rng.choice(EXTRAS[template.category]).format(**values),
    ]
    return " ".join(sentences)


def _product(
    rng: random.Random,
    template: Template,
    prov: _Province,
    *,
    name: str,
    owner: int | None,
    pesantren: PesantrenSeed,
    cooperative: str | None,
    district_name: str,
    submitter: str,
    owner_role: str = "",
    status: str | None = None,
    level: str | None = None,
    forced_docs: Mapping[str, str] | None = None,
) -> ProductSeed:
    drawn_status = _status(rng)
    status = status or drawn_status
    drawn_level = _level(rng, template)
    level = (level or drawn_level) if status == "curated" else ""
    low = _round_price(template.price[0] * (0.85 + rng.random() * 0.5))
    high = _round_price(max(low * (1.15 + rng.random() * 0.8), template.price[1] * 0.6))
    capacity = rng.randrange(template.capacity[0], template.capacity[1] + 1)
    capacity = int(round(capacity, -1 if capacity < 1_000 else -2)) or template.capacity[0]
    return ProductSeed(
        name=name,
        description=_description(
            rng,
            template,
            prov,
            pesantren=pesantren.name,
            cooperative=cooperative,
            owner_role=owner_role,
            district=district_name,
            regency=pesantren.regency,
        ),
        category=template.category,
        unit=template.unit,
        price_min=low,
        price_max=max(high, low),
        monthly_capacity=capacity,
        hs_code=template.hs,
        status=status,
        level=level,
        owner=owner,
        documents=_documents(rng, template, status, level, prov, pesantren.regency, forced_docs),
        events=_events(rng, prov, status, level, submitter),
    )


def _inquiries(
    rng: random.Random, product: ProductSeed, prov: _Province, answerer: str
) -> list[InquirySeed]:
    """One or two buyers' inquiries about a curated product, at fixed past times."""
    inquiries = []
    for _ in range(rng.choice((1, 1, 2))):
        foreign = product.level == "export" and rng.random() < 0.5
        name, organisation = rng.choice(FOREIGN_BUYERS if foreign else BUYERS)
        quantity = rng.choice((10, 20, 50, 100, 200, 500))
        template = rng.choice(FOREIGN_MESSAGES if foreign else INQUIRY_MESSAGES)
        unit = product.unit.split(" ")[0]
        # Buyers write after the product reached the catalogue.
        first = max(product.curated_at.date() + dt.timedelta(days=1), dt.date(2026, 9, 1))
        day = _day_between(rng, first, max(first, INQUIRIES_UNTIL))
        at = _at(rng, day, prov.zone)
        status = _pick_weighted(rng, {"new": 45, "answered": 40, "closed": 15})
        answered_at = None
        reply = ""
        if status != "new":
            answered_at = at + dt.timedelta(hours=rng.randint(2, 60))
            reply = rng.choice(REPLY_NOTES)
        email = ""
        phone = ""
        if foreign or rng.random() < 0.3:
            email = f"{name.split()[0].lower()}.{name.split()[-1].lower()}@example.com"
        else:
            phone = _phone(rng, prov.registry)
        inquiries.append(
            InquirySeed(
                name=name,
                organisation=organisation,
                phone=phone,
                email=email,
                quantity=quantity,
                message=template.format(quantity=quantity, unit=unit),
                status=status,
                at=at,
                language="en" if foreign else "id",
                reply_note=reply,
                answered_at=answered_at,
                answered_by=answerer if status != "new" else "",
            )
        )
    return inquiries


def _product_name(rng: random.Random, template: Template, brand: str, taken: set[str]) -> str:
    name = f"{template.name} {brand}"
    if name.lower() in taken:
        name = f"{template.name} {brand} {rng.choice(('Premium', 'Spesial', 'Asli', 'Super'))}"
    taken.add(name.lower())
    return name


def _products(
    rng: random.Random, prov: _Province, pesantren: PesantrenSeed, short: str, district_name: str
) -> list[ProductSeed]:
    """The cooperative's products (2–4) and those of people with a business of their own."""
    weights = _template_weights(prov, pesantren.regency, person=False)
    person_weights = _template_weights(prov, pesantren.regency, person=True)
    products: list[ProductSeed] = []
    coop = pesantren.cooperative
    if coop is not None and pesantren.status == "active":
        chosen: list[str] = []
        count = rng.choice((2, 2, 3, 3, 3, 4))
        while len(chosen) < count:
            key = _pick_weighted(rng, weights)
            if key not in chosen:
                chosen.append(key)
        taken: set[str] = set()
        for key in chosen:
            template = TEMPLATE_BY_KEY[key]
            brand = short if rng.random() < 0.65 else rng.choice(BRAND_WORDS)
            products.append(
                _product(
                    rng,
                    template,
                    prov,
                    name=_product_name(rng, template, brand, taken),
                    owner=None,
                    pesantren=pesantren,
                    cooperative=coop.name,
                    district_name=district_name,
                    submitter="officer",
                )
            )
    for index, person in enumerate(pesantren.people):
        if not person.has_business:
            continue
        template = TEMPLATE_BY_KEY[_pick_weighted(rng, person_weights)]
        calls = BANJAR_OWNER_CALLS if prov.banjar else OWNER_CALLS
        given = person.full_name.split()[0].rstrip(".")
        if given in ("Moh", "Muhammad", "Ahmad", "Achmad", "Siti", "Nur", "Abdul"):
            given = person.full_name.split()[1]
        brand = f"{rng.choice(calls[person.gender])} {given}"
        business = template.name.replace("Jasa ", "")
        person.enterprise = EnterpriseSeed(
            name=f"{business} {brand}",
            pillar="santripreneur" if person.role == "santri" else "sosiopreneur",
            business_line=template.name.lower(),
            nib=(
                prov.registry.unique(
                    lambda: f"{rng.choice(('912', '812'))}{rng.randrange(10**10):010d}"
                )
                if rng.random() < 0.6
                else None
            ),
            kbli_code=KBLI_BY_LINE[template.kbli],
            started_year=rng.randint(2016, 2025),
        )
        if pesantren.status != "active":
            continue
        taken: set[str] = set()
        templates = [template]
        if rng.random() < 0.2:  # a second product of the same kind of business
            related = {
                key: weight
                for key, weight in person_weights.items()
                if key != template.key and TEMPLATE_BY_KEY[key].category == template.category
            }
            if related:
                templates.append(TEMPLATE_BY_KEY[_pick_weighted(rng, related)])
        for kind in templates:
            products.append(
                _product(
                    rng,
                    kind,
                    prov,
                    name=_product_name(rng, kind, brand, taken),
                    owner=index,
                    pesantren=pesantren,
                    cooperative=None,
                    district_name=district_name,
                    submitter="officer",
                    owner_role=person.role,
                )
            )
    return products


def _pesantren(
    rng: random.Random,
    prov: _Province,
    regency: str,
    district: tuple[str, str],
    name: str | None = None,
) -> PesantrenSeed:
    typology = _pick_weighted(rng, {"salafiyah": 40, "kombinasi": 40, "khalafiyah": 20})
    full, short = _pesantren_name(rng, typology, district[1], prov.registry, prov.banjar)
    if name is not None:
        full, short = name, name.removeprefix("Pondok Pesantren ")
        prov.registry.names.add(short.lower())
    # Founding years lean recent: a few date back to the 18th and 19th centuries.
    founded = int(1745 + (2015 - 1745) * rng.random() ** 0.45)
    size = int(60 + 2_400 * rng.random() ** 3)
    female = int(size * rng.uniform(0.3, 0.6))
    active = rng.random() > 0.03
    has_cooperative = rng.random() < 0.9
    typ_digit = {"salafiyah": 1, "khalafiyah": 2, "kombinasi": 3}[typology]
    nspp = None
    if rng.random() < 0.92:
        nspp = prov.registry.unique(
            lambda: f"5{typ_digit}00{regency.replace('.', '')}{rng.randrange(1, 10**4):04d}"
        )
    streets = BANJAR_STREETS if prov.banjar else STREETS
    street = rng.choice(streets)
    number = rng.randint(1, 150)
    address = f"{street} No. {number}" if not street.endswith("Km") else f"{street} {number}"
    address += f", Kecamatan {district[1]}"
    leader = _kyai(rng) if rng.random() > 0.12 else f"Nyai {rng.choice(NYAI_NAMES)}"
    seed = PesantrenSeed(
        name=full,
        regency=regency,
        district=district[0],
        address=address,
        nspp=nspp,
        leader_name=leader,
        santri_male=size - female,
        santri_female=female,
        typology=typology,
        founded_year=founded,
        phone=_phone(rng, prov.registry),
        pillars=(rng.random() < 0.85, has_cooperative, rng.random() < 0.6),
        opop_joined_year=None,
        status="active" if active else "inactive",
        cooperative=(_cooperative(rng, short, prov, regency, founded) if has_cooperative else None),
        people=[],
        products=[],
    )
    # East Java's OPOP began in 2019; South Kalimantan's first ten joined in 2023.
    joined = {
        str(year): weight
        for year, weight in zip(range(2019, 2026), (20, 16, 15, 14, 12, 12, 11), strict=True)
    }
    seed.opop_joined_year = 2023 if prov.banjar else int(_pick_weighted(rng, joined))
    seed.people = _people(rng, prov, full, district, regency)
    seed.products = _products(rng, prov, seed, short, district[1])
    return seed


def _feature(rng: random.Random, prov: _Province, seed: PesantrenSeed, district_name: str) -> None:
    """The pesantren of the demo account: active, with a cooperative, curated products,
    one in review, one returned, and a halal certificate that expires within 90 days."""
    seed.status = "active"
    seed.pillars = (True, True, True)
    if seed.cooperative is None:
        seed.cooperative = _cooperative(rng, "Miftahul Ulum Al-Barokah", prov, seed.regency, 1962)
    plan = (
        ("keripik_tempe", "curated", "modern_retail", {"halal": "soon"}),
        ("sarung_tenun", "curated", "export", {"trademark": "valid"}),
        ("manik_manik", "curated", "local", {}),
        ("sambal_pecel", "returned", None, {"pirt": "expired"}),
        ("abon_lele", "in_review", None, {"halal": "valid", "pirt": "soon"}),
        ("kopi_bubuk", "draft", None, {}),
    )
    taken: set[str] = set()
    products = []
    for key, status, level, docs in plan:
        template = TEMPLATE_BY_KEY[key]
        products.append(
            _product(
                rng,
                template,
                prov,
                name=_product_name(rng, template, "Al-Barokah", taken),
                owner=None,
                pesantren=seed,
                cooperative=seed.cooperative.name,
                district_name=district_name,
                submitter="pesantren",
                status=status,
                level=level,
                forced_docs=docs,
            )
        )
    seed.products = products + [p for p in seed.products if p.owner is not None]
    seed.featured = True


def east_java(
    *,
    districts: Districts,
    regency_names: Mapping[str, str],
    today: dt.date,
    registry: UniqueNumbers | None = None,
) -> list[PesantrenSeed]:
    """The demo pesantren of East Java, with everything they hold, in a fixed order."""
    prov = _Province(
        "35",
        "Jawa Timur",
        WIB,
        regency_names,
        districts,
        today,
        registry or UniqueNumbers(),
        TEMPLATES,
    )
    seeds = []
    for regency, count in JATIM_COUNTS.items():
        choices = list(districts[regency])
        for index in range(count):
            rng = random.Random(f"{SEED}-{regency}-{index}")  # noqa: S311 - demo data
            if regency == FEATURED_REGENCY and index == 0:
                district = next(d for d in choices if d[0] == FEATURED_DISTRICT)
                seed = _pesantren(rng, prov, regency, district, name=FEATURED_NAME)
                _feature(rng, prov, seed, district[1])
            else:
                district = rng.choice(choices)
                seed = _pesantren(rng, prov, regency, district)
            seeds.append(seed)
    _add_inquiries(seeds, prov)
    return seeds


# South Kalimantan's first ten OPOP pesantren (2023): regency, district, name, products.
# fmt: off
KALSEL_PESANTREN = (
    ("63.71", "63.71.04", "Pondok Pesantren Nurul Hidayah Banjarmasin",
     ("sasirangan", "kemeja_sasirangan")),
    ("63.71", "63.71.01", "Pondok Pesantren Miftahul Khairiyah", ("amplang", "katering_banjar")),
    ("63.72", "63.72.03", "Pondok Pesantren Darul Ilmi Cempaka", ("sasirangan", "madu_kelulut")),
    ("63.03", "63.03.05", "Pondok Pesantren Raudhatul Jannah Martapura",
     ("kitab_banjar", "pupur_dingin")),
    ("63.03", "63.03.11", "Pondok Pesantren Hidayatul Insan Aranio", ("kopi_aranio",)),
    ("63.04", "63.04.15", "Pondok Pesantren Nurul Falah Marabahan",
     ("anyaman_purun", "jeruk_siam")),
    ("63.06", "63.06.05", "Pondok Pesantren Darul Ulum Kandangan", ("dodol_kandangan",)),
    ("63.07", "63.07.06", "Pondok Pesantren Al-Ikhlas Barabai", ("kerupuk_haruan",)),
    ("63.08", "63.08.05", "Pondok Pesantren Raudhatul Muta'allimin Amuntai",
     ("lampit_rotan", "telur_alabio")),
    ("63.01", "63.01.03", "Pondok Pesantren Manba'ul Ulum Pelaihari", ("madu_kelulut",)),
)
# fmt: on


def south_kalimantan(
    *,
    districts: Districts,
    regency_names: Mapping[str, str],
    today: dt.date,
    registry: UniqueNumbers | None = None,
) -> list[PesantrenSeed]:
    """South Kalimantan's first ten OPOP pesantren (joined 2023) and about 20 products."""
    prov = _Province(
        "63",
        "Kalimantan Selatan",
        WITA,
        regency_names,
        districts,
        today,
        registry or UniqueNumbers(),
        KALSEL_TEMPLATES,
        banjar=True,
    )
    seeds = []
    for index, (regency, district_code, name, keys) in enumerate(KALSEL_PESANTREN):
        rng = random.Random(f"{SEED}-kalsel-{index}")  # noqa: S311 - demo data
        district = next(d for d in districts[regency] if d[0] == district_code)
        seed = _pesantren(rng, prov, regency, district, name=name)
        seed.status = "active"
        if seed.cooperative is None:
            seed.cooperative = _cooperative(
                rng, name.removeprefix("Pondok Pesantren "), prov, regency, seed.founded_year
            )
        seed.pillars = (seed.pillars[0], True, seed.pillars[2])
        taken: set[str] = set()
        brand = name.removeprefix("Pondok Pesantren ")
        cooperative_products = [
            _product(
                rng,
                TEMPLATE_BY_KEY[key],
                prov,
                name=_product_name(rng, TEMPLATE_BY_KEY[key], brand, taken),
                owner=None,
                pesantren=seed,
                cooperative=seed.cooperative.name,
                district_name=district[1],
                submitter="officer",
                status="curated" if position == 0 else None,
            )
            for position, key in enumerate(keys)
        ]
        # About twenty products in all: every other pesantren shows one santri product too.
        own = [p for p in seed.products if p.owner is not None][: 1 - index % 2]
        seed.products = cooperative_products + own
        seeds.append(seed)
    _add_inquiries(seeds, prov)
    return seeds


def _add_inquiries(seeds: list[PesantrenSeed], prov: _Province) -> None:
    """Inquiries on a few curated products (all of the featured pesantren's curated ones)."""
    for number, seed in enumerate(seeds):
        rng = random.Random(f"{SEED}-inquiries-{prov.code}-{number}")  # noqa: S311
        for product in seed.products:
            if product.status != "curated":
                continue
            if seed.featured or rng.random() < (0.25 if prov.banjar else 0.045):
                answerer = "pesantren" if seed.featured else "officer"
                product.inquiries = _inquiries(rng, product, prov, answerer)
