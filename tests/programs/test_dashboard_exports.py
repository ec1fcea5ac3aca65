"""The dashboard's PDF and XLSX open and hold the figures the page shows: each is
read back (pypdf, openpyxl) and compared with the page's HTML."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from niaga.accounts.models import Role
from niaga.programs import dashboard_exports
from niaga.programs.models import IndicatorKey, Program
from niaga.programs.views.dashboard import dashboard_context
from tests.conftest import make_user
from tests.programs import dashboard_world
from tests.programs.dashboard_world import CY, TODAY, figure

pytestmark = pytest.mark.django_db

# The world's fixtures, used by name.
board = dashboard_world.board
world = dashboard_world.world
BASE = "/province/jatim/programs/opop-jatim/dashboard/"
QUERY = {"indicator": "pesantren_assisted", "year": str(CY), "sort": "percent", "dir": "desc"}


@pytest.fixture
def client(board, jatim):
    user = make_user(
        "jatim-program-en", province=jatim, roles=[Role.PROGRAM_OFFICER], language="en"
    )
    client = Client()
    client.force_login(user)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def page_overview(html: str) -> dict[str, dict[str, str]]:
    """{key: {name, actual, target, percent, verdict}} as the page's overview shows them."""
    table = re.search(r'<table[^>]*id="overview-table".*?</table>', html, re.S).group(0)
    result = {}
    for key, row in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', table, re.S):
        cells = {"name": _text(re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))}
        for name in ("actual", "target", "percent", "verdict"):
            match = re.search(rf'data-figure="{name}">(.*?)</(?:td|span)>', row, re.S)
            cells[name] = _text(match.group(1)).split(" (")[0] if match else ""
        result[key] = cells
    return result


def page_regencies(html: str) -> list[tuple[str, str, str, str]]:
    table = re.search(r'<table[^>]*id="regency-table".*?</table>', html, re.S).group(0)
    rows = []
    for row in re.findall(r'<tr data-regency="[^"]*">(.*?)</tr>', table, re.S):
        name = _text(re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        cells = [
            _text(re.sub(r"<span.*?</span>", "", c, flags=re.S))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        rows.append((name, *cells))
    return rows


def number(text: str) -> int:
    return int(re.sub(r"[^0-9]", "", text))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_pdf_holds_every_figure_of_the_page(client):
    html = client.get(BASE, QUERY).content.decode()
    response = client.get(f"{BASE}pdf/", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="dasbor-opop-jatim-{TODAY.isoformat()}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    overview = page_overview(html)
    assert len(overview) == 8
    for key, cells in overview.items():
        for name, value in cells.items():
            assert squeeze(value) in text, (key, name, value)
    # The forecast, its method and the drill-down's rows, as on the page.
    assert squeeze(f"Forecast for {CY + 1}: 5,700 (range 5,000 to 7,000).") in text
    assert squeeze("a straight line fitted (least squares) through the last 4") in text
    rows = page_regencies(html)
    assert rows[0] == ("Kabupaten Jombang", "2", "3", "66.7%")
    for name, value, target, percent in rows[:2]:
        assert squeeze(f"{name} {value} {target} ({CY}) {percent}") in text
    # The charts are in it as vector drawings with their labels.
    assert squeeze(f"Target {CY + 1}: 6,000") in text


def test_the_pdf_draws_the_same_charts_as_the_page(client):
    """The PDF is printed from the page's own partials: the same SVG, byte for byte."""
    html = client.get(BASE, QUERY).content.decode()
    request = RequestFactory().get(BASE, QUERY)
    request.user = client.get(BASE).wsgi_request.user
    with scopes_disabled():
        program = Program.objects.select_related("province").get(slug="opop-jatim")
    request.province = program.province
    with translation.override("en"), scope(province=program.province):
        document = dashboard_exports.html(dashboard_context(request, program))
    on_page = re.findall(r"<svg .*?</svg>", html, re.S)
    assert re.findall(r"<svg .*?</svg>", document, re.S) == on_page
    charts = [svg for svg in on_page if 'class="chart"' in svg]
    bars = [svg for svg in on_page if 'class="progress-svg"' in svg]
    # A chart per indicator and the regencies'; a bar in the overview and on
    # the card of each of the six indicators with a target.
    assert (len(charts), len(bars)) == (8 + 1, 6 * 2)


def test_the_xlsx_holds_the_figures_of_the_page(client):
    html = client.get(BASE, QUERY).content.decode()
    response = client.get(f"{BASE}xlsx/", QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Indicators"
    assert book.sheetnames[-1] == "Regencies"
    sheet = book["Indicators"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "Indicator",
        "Source",
        "Actual",
        "As of",
        "Target",
        "Target year",
        "% of target",
    ]
    rows = {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    for cells in page_overview(html).values():
        row = rows[cells["name"]]
        assert row["Actual"] == number(cells["actual"])
        if cells["target"] != "–":
            assert row["Target"] == number(cells["target"])
            assert f"{row['% of target']:.1f}%" == cells["percent"]
        assert row["Verdict"] == cells["verdict"]
    sosio = rows["Sosiopreneurs"]
    assert (sosio["Forecast"], sosio["Forecast low"], sosio["Forecast high"]) == (
        5_700,
        5_000,
        7_000,
    )
    assert sosio["Target year"] == CY + 1
    assert sosio["As of"] == f"{CY - 1}-12-31"


def test_the_xlsx_has_each_series_and_the_regencies(client):
    html = client.get(BASE, QUERY).content.decode()
    book = load_workbook(io.BytesIO(client.get(f"{BASE}xlsx/", QUERY).content))
    series = list(book["Sosiopreneurs"].iter_rows(values_only=True))
    assert series[0] == ("Year", "Value", "Origin", "As of", "Source", "Target")
    by_year = {row[0]: row for row in series[1:] if row and isinstance(row[0], int)}
    assert by_year[CY - 1] == (
        CY - 1,
        4_000,
        "Entered figure",
        f"{CY - 1}-12-31",
        "Dinas KUKM Jatim",
        None,
    )
    assert by_year[CY][1] is None
    assert by_year[CY + 1] == (CY + 1, None, None, None, None, 6_000)
    regencies = list(book["Regencies"].iter_rows(values_only=True))
    assert regencies[0][:2] == ("Year", CY)
    assisted = [row for row in regencies[2:] if row[0] == "Pesantren assisted"]
    on_page = page_regencies(html)
    assert [(r[1], r[3]) for r in assisted] == [
        (name, number(value)) for name, value, *_ in on_page
    ]
    assert assisted[0][5:] == (3, CY, 66.7)


def test_text_that_looks_like_a_formula_is_neutralised(board, client):
    with scopes_disabled():
        indicator = board.indicators[IndicatorKey.SOSIOPRENEURS]
        indicator.name = '=HYPERLINK("http://x")'
        indicator.save()
        figure(indicator, dt.date(CY - 5, 12, 31), 500, "+62 sumber")
    book = load_workbook(io.BytesIO(client.get(f"{BASE}xlsx/").content))
    names = [row[0] for row in book["Indicators"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names
    sheet = next(
        s for s in book.worksheets if s.title.startswith("=HYPERLINK") or s.title.startswith("'")
    )
    sources = [
        row[4] for row in sheet.iter_rows(min_row=2, values_only=True) if row and len(row) > 4
    ]
    assert "'+62 sumber" in sources


def test_the_exports_answer_404_to_a_viewer_of_another_province(board, kalsel_program_officer):
    client = Client()
    client.force_login(kalsel_program_officer)
    assert client.get(f"{BASE}pdf/").status_code == 404
    assert client.get(f"{BASE}xlsx/").status_code == 404
