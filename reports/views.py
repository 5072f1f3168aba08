"""City cards, the city dashboard and the portfolio overview: read-only pages over the selectors."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import portfolio
from reports.links import (
    RecordLinks,
    leadership_changes_url,
    schools_url,
    signatories_url,
    window_start,
)
from reports.selectors import city_dashboard_get, city_figures_list

EXPORTS = ("csv", "xlsx")


@require_GET
def city_list(request):
    cities = city_figures_list(user=request.user)
    counts = {colour: 0 for colour in ("red", "amber", "green")}
    for city in cities:
        if city.health:
            counts[city.health.colour] += 1
    today = timezone.localdate()
    cards = [{"city": city, "links": RecordLinks.for_city(city.slug, today)} for city in cities]
    return render(
        request,
        "reports/city_list.html",
        {"cities": cities, "cards": cards, "health_counts": counts, "today": today},
    )


@require_GET
def city_dashboard(request, slug):
    dashboard = city_dashboard_get(user=request.user, slug=slug)
    city, today = dashboard.city, dashboard.today
    compacts = [
        {
            "compact": compact,
            "links": RecordLinks.for_compact(compact.id, today),
            "signatories_url": signatories_url(compact.id),
            "in_post_url": signatories_url(compact.id, in_post=True),
            "departed_url": signatories_url(compact.id, in_post=False),
            "changes_url": leadership_changes_url(compact.id, compact.signed_on),
        }
        for compact in city.compacts
    ]
    context = {
        "city": city,
        "figures": city.figures,
        "compacts": compacts,
        "live_compacts": [entry for entry in compacts if entry["compact"].is_live],
        "links": RecordLinks.for_city(city.slug, today),
        "schools": {
            "all": schools_url(city.slug),
            "taking_part": schools_url(city.slug, participating=True),
            "independent": schools_url(city.slug, independent=True),
            "independent_taking_part": schools_url(city.slug, independent=True, participating=True),
            "network": schools_url(city.slug, independent=False),
            "network_taking_part": schools_url(city.slug, independent=False, participating=True),
        },
        "charts": dashboard.charts,
        "chart_data": dashboard.charts.payload() if dashboard.charts else None,
        "today": today,
        "window_start": window_start(today),
    }
    return render(request, "reports/city_dashboard.html", context)


@require_GET
def portfolio_overview(request):
    rows = [portfolio.portfolio_row(city) for city in city_figures_list(user=request.user)]
    rows, sort = portfolio.sort_rows(rows, request.GET.get("sort", "city"))
    export = request.GET.get("export")
    today = timezone.localdate()
    if export == "csv":
        response = HttpResponse(portfolio.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="portfolio-{today}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            portfolio.as_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="portfolio-{today}.xlsx"'
        return response
    if export:
        return HttpResponseBadRequest("Unknown export format: use export=csv or export=xlsx.")
    columns = [
        {
            "name": column,
            "label": portfolio.LABELS[column],
            "sort": f"-{column}" if sort == column else column,
            "sorted": "ascending"
            if sort == column
            else "descending"
            if sort == f"-{column}"
            else "",
        }
        for column in portfolio.COLUMNS
    ]
    return render(
        request,
        "reports/portfolio.html",
        {"rows": rows, "columns": columns, "sort": sort, "today": today},
    )
