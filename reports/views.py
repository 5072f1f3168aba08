"""City cards, the city dashboard and the portfolio overview: read-only pages over the selectors.

Each page's content is rendered by reports/pages.py and cached by reports/cache.py: a warm request
takes the reader's cities from their signed-in user (accounts.scope, read with the user), reads
the cities' version tokens and the content in one get_many, and renders only base.html around it.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import cache as report_cache
from reports import pages, portfolio
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


@require_GET
def portfolio_overview(request):
    today = timezone.localdate()
    export = request.GET.get("export")
    if export:
        return _portfolio_export(request, export, today)
    sort = portfolio.applied_sort(request.GET.get("sort", "city"))
    cities = cities_in_scope(request.user)
    city_ids = [city["id"] for city in cities]
    key = report_cache.page_key(
        "portfolio", city_ids, today, scope=pages.scope_of(request.user, cities), variant=sort
    )
    content = report_cache.page(
        key,
        city_ids,
        today,
        lambda keys: pages.portfolio_content(request.user, cities, keys, today, sort),
    )
    return render(request, "reports/portfolio.html", content)


def _portfolio_export(request, export: str, today):
    if export not in EXPORTS:
        return HttpResponseBadRequest("Unknown export format: use export=csv or export=xlsx.")
    cities = report_cache.city_figures_list(user=request.user, today=today)
    rows = [portfolio.portfolio_row(city) for city in cities]
    rows, _sort = portfolio.sort_rows(rows, request.GET.get("sort", "city"))
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
