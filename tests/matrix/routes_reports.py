from tests.matrix import CITY_READ, SIGNED_IN, Route

ROUTES = [
    Route("reports:city_list", SIGNED_IN),
    Route("reports:city_dashboard", CITY_READ, kwargs=lambda w: {"slug": w.city.slug}),
    Route("reports:city_board_pack", CITY_READ, kwargs=lambda w: {"slug": w.city.slug}),
    Route("reports:portfolio", SIGNED_IN),
    Route("reports:portfolio", SIGNED_IN, query="export=csv"),
    Route("reports:portfolio", SIGNED_IN, query="export=xlsx"),
    Route("reports:portfolio_board_pack", SIGNED_IN),
]
