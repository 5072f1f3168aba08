"""Read what a report page shows: the figures it marks with data-metric / data-value, its links,
and the portfolio's rows."""

import csv
import io
import re
from html.parser import HTMLParser

from openpyxl import load_workbook

_BREAKS = {"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "dt", "dd", "ul"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metrics: list[tuple[str | None, str, str]] = []  # (row city, metric, value)
        self.links: list[str] = []
        self.rows: list[str] = []
        self.text: list[str] = []
        self._city = None

    def handle_starttag(self, tag, attrs):
        if tag in _BREAKS:
            self.text.append(" ")
        attrs = dict(attrs)
        if tag == "tr" and "data-city" in attrs:
            self._city = attrs["data-city"]
            self.rows.append(self._city)
        if "data-metric" in attrs:
            self.metrics.append((self._city, attrs["data-metric"], attrs.get("data-value", "")))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


def read_page(response) -> _Collector:
    collector = _Collector()
    collector.feed(response.content.decode())
    return collector


def page_metrics(response) -> dict[str, str]:
    """metric -> value of a page with one set of figures (the city dashboard)."""
    return {metric: value for _city, metric, value in read_page(response).metrics}


def portfolio_page_rows(response) -> dict[str, dict[str, str]]:
    """city slug -> metric -> value, as the portfolio page shows them."""
    rows: dict[str, dict[str, str]] = {}
    for city, metric, value in read_page(response).metrics:
        rows.setdefault(city, {})[metric] = value
    return rows


def page_text(response) -> str:
    return " ".join("".join(read_page(response).text).split())


def csv_rows(response) -> list[dict[str, str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "the CSV starts with a byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def xlsx_sheet(response):
    """The workbook's first sheet (the one that opens), whose header row has the labels people
    read, in the order of the export's columns."""
    from reports.portfolio import export_columns

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.label for column in export_columns()]
    return sheet


def xlsx_rows(response) -> list[dict[str, object]]:
    """The data rows (those under the autofilter) keyed by the CSV's column codes."""
    from reports.portfolio import export_columns

    codes = [column.code for column in export_columns()]
    sheet = xlsx_sheet(response)
    last = int(re.sub(r"^.*?(\d+)$", r"\1", sheet.auto_filter.ref))
    values = list(sheet.iter_rows(min_row=2, max_row=last, values_only=True))
    return [dict(zip(codes, row, strict=True)) for row in values]


def xlsx_totals(response):
    """The workbook's totals row (the last, under the autofilter's rows) as cells by column code."""
    from reports.portfolio import export_columns

    codes = [column.code for column in export_columns()]
    sheet = xlsx_sheet(response)
    return dict(zip(codes, sheet[sheet.max_row], strict=True))
