"""City cards, the city dashboard and the portfolio overview: read-only pages over the selectors.

Each page's content is rendered by reports/pages.py and cached by reports/cache.py: a warm request
takes the reader's cities from their signed-in user (accounts.scope, read with the user), reads
the cities' version tokens and the content in one get_many, and renders only base.html around it.
The portfolio reads its cities' data keys and facts first (its filters need them).
"""

import functools

from csp.constants import NONCE
from csp.decorators import csp_update
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from reports import board_pack, pages, portfolio, portfolio_page
from reports import cache as report_cache
from reports.selectors import cities_in_scope, city_in_scope

EXPORTS = ("csv", "xlsx")


@require_GET
def city_list(request):
    today = timezone.localdate()
    cities = cities_in_scope(request.user)
    city_ids = [city["id"] for city in cities]
    key = report_cache.page_key(
        "cities", city_ids, today, scope=pages.scope_of(request.user, cities)
    )
    content = report_cache.page(
        key,
        city_ids,
        today,
        lambda keys: pages.city_list_content(request.user, cities, keys, today),
    )
    return render(request, "reports/city_list.html", content)


@require_GET
def city_dashboard(request, slug):
    today = timezone.localdate()
    city = city_in_scope(request.user, slug)
    # The dashboard shows this one city: the reader's role in it is all of their scope it sees.
    key = report_cache.page_key(
        "dashboard", [city["id"]], today, scope=pages.scope_of(request.user, [city])
    )
    content = report_cache.page(
        key,
        [city["id"]],
        today,
        lambda keys: pages.city_dashboard_content(request.user, city, keys, today),
    )
    return render(request, "reports/city_dashboard.html", content)


# The board pack's one <style> element (its footer text) runs under a nonce; every other page keeps
# the site's style-src 'self'.
_pack_styles = csp_update({"style-src": [NONCE]})


@require_GET
@_pack_styles
def city_board_pack(request, slug):
    today = timezone.localdate()
    city = city_in_scope(request.user, slug)
    context = board_pack.city_pack(request.user, city, today)
    return render(
        request, board_pack.TEMPLATE_CITY, context | {"csp_nonce": str(request.csp_nonce)}
    )


@require_GET
@_pack_styles
def portfolio_board_pack(request):
    today = timezone.localdate()
    context = board_pack.portfolio_pack(
        request.user, cities_in_scope(request.user), today, request.GET
    )
    return render(
        request, board_pack.TEMPLATE_PORTFOLIO, context | {"csp_nonce": str(request.csp_nonce)}
    )


@require_GET
def portfolio_overview(request):
    today = timezone.localdate()
    cities = cities_in_scope(request.user)
    city_ids = [city["id"] for city in cities]
    sort = portfolio.applied_sort(request.GET.get("sort", "city"))
    export = request.GET.get("export")
    if export:
        keys = report_cache.data_keys(city_ids, today)
        filters, facts = portfolio_page.read_filters(request.GET, cities, keys, today)
        return _portfolio_export(request, export, today, (cities, keys, facts, filters), sort)
    # Keyed by the filters as asked, so that a warm page is one cache read: the filters are read
    # (their choices need the cities' facts) only to render, and a page whose filters cannot be
    # read is never stored, so only readable ones ever find an entry.
    key = report_cache.page_key(
        "portfolio",
        city_ids,
        today,
        scope=pages.scope_of(request.user, cities),
        variant=portfolio_page.asked_variant(sort, request.GET),
    )

    def build(current: dict) -> dict:
        filters, facts = portfolio_page.read_filters(request.GET, cities, current, today)
        if not filters.is_valid():
            raise portfolio_page.Unreadable(portfolio_page.invalid_content(filters, today, sort))
        return portfolio_page.content(request.user, cities, current, facts, filters, today, sort)

    try:
        content = report_cache.page(key, city_ids, today, build)
    except portfolio_page.Unreadable as unreadable:
        content = unreadable.content
    return render(
        request,
        "reports/portfolio.html",
        content | {"board_pack_url": _portfolio_board_pack_url(get_script_prefix())},
    )


@functools.cache
def _portfolio_board_pack_url(script_prefix: str) -> str:
    # Outside the cached content (its query follows the request's): reversed once per process
    # (and script prefix) rather than by a {% url %} on every warm /reports/.
    return reverse("reports:portfolio_board_pack")


def _portfolio_export(request, export: str, today, read, sort: str):
    if export not in EXPORTS:
        return HttpResponseBadRequest("Unknown export format: use export=csv or export=xlsx.")
    cities, keys, facts, filters = read
    if not filters.is_valid():
        problems = "; ".join(
            f"{label}: {' '.join(errors)}" for _name, label, errors in filters.errors_list()
        )
        return HttpResponseBadRequest(
            f"Some filters could not be read, so nothing was exported. {problems}",
            content_type="text/plain; charset=utf-8",
        )
    rows, _sort = portfolio_page.rows(request.user, cities, keys, facts, filters, today, sort)
    # Filtered files are named apart: a funder keeps both without one replacing the other.
    name = "-".join(
        ["portfolio", *(slugify(value) for value in filters.active.values()), str(today)]
    )
    if export == "csv":
        response = HttpResponse(
            portfolio.as_csv(rows, today), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        portfolio.as_xlsx(rows, today, len(cities), filters.described()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
