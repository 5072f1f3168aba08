"""City cards, the city dashboard and the portfolio overview: read-only pages over the selectors.

Each page's content is rendered by reports/pages.py and cached by reports/cache.py: a warm request
looks up the reader's cities (one query), their version tokens (one get_many) and the content (one
get), and renders only base.html around it.
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import board_pack, pages, portfolio, portfolio_page
from reports import cache as report_cache
from reports.selectors import cities_in_scope, city_in_scope

EXPORTS = ("csv", "xlsx")


@require_GET
def city_list(request):
    today = timezone.localdate()
    cities = cities_in_scope(request.user)
    keys = report_cache.data_keys([city["id"] for city in cities], today)
    key = report_cache.page_key("cities", keys, today, scope=pages.scope_of(request.user, cities))
    content = report_cache.page(
        key, lambda: pages.city_list_content(request.user, cities, keys, today)
    )
    return render(request, "reports/city_list.html", content)


@require_GET
def city_dashboard(request, slug):
    today = timezone.localdate()
    city = city_in_scope(request.user, slug)
    keys = report_cache.data_keys([city["id"]], today)
    # The dashboard shows this one city: the reader's role in it is all of their scope it sees.
    key = report_cache.page_key(
        "dashboard", keys, today, scope=pages.scope_of(request.user, [city])
    )
    content = report_cache.page(
        key, lambda: pages.city_dashboard_content(request.user, city, keys, today)
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
    keys = report_cache.data_keys([city["id"] for city in cities], today)
    filters, facts = portfolio_page.read_filters(request.GET, cities, keys, today)
    sort = portfolio.applied_sort(request.GET.get("sort", "city"))
    export = request.GET.get("export")
    if export:
        return _portfolio_export(request, export, today, (cities, keys, facts, filters), sort)
    if not filters.is_valid():
        return render(
            request, "reports/portfolio.html", portfolio_page.invalid_content(filters, today, sort)
        )
    key = report_cache.page_key(
        "portfolio",
        keys,
        today,
        scope=pages.scope_of(request.user, cities),
        variant=portfolio_page.variant(sort, filters),
    )
    content = report_cache.page(
        key,
        lambda: portfolio_page.content(request.user, cities, keys, facts, filters, today, sort),
    )
    return render(request, "reports/portfolio.html", content)


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
    if export == "csv":
        response = HttpResponse(
            portfolio.as_csv(rows, today), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="portfolio-{today}.csv"'
        return response
    response = HttpResponse(
        portfolio.as_xlsx(rows, today),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="portfolio-{today}.xlsx"'
    return response
