import functools

from django.core.cache import cache
from django.urls import get_script_prefix, reverse

from core.models import DemoDataset

DEMO_BANNER_CACHE_KEY = "demo-banner"


def current_demo_banner(user=None) -> str:
    """The demo banner, or "" without demo data; cached because every page shows it. A signed-in
    user's request has it already when it was read with the user (`keep_with_user`)."""
    banner = getattr(user, "_demo_banner", None)
    if banner is None:
        banner = cache.get(DEMO_BANNER_CACHE_KEY)
    if banner is None:
        dataset = DemoDataset.objects.order_by("-loaded_at").first()
        banner = dataset.banner if dataset else ""
        cache.set(DEMO_BANNER_CACHE_KEY, banner, None)
    return banner


def read_with_user() -> list[str]:
    """The cache keys of what every page shows, for the auth backend to read in the same cache
    read as the signed-in user (accounts.backends), then hand to `keep_with_user`."""
    return [DEMO_BANNER_CACHE_KEY]


def keep_with_user(user, found: dict) -> None:
    """Keep on `user`, this request's object, the banner found in a read of `read_with_user`."""
    if found.get(DEMO_BANNER_CACHE_KEY) is not None:
        user._demo_banner = found[DEMO_BANNER_CACHE_KEY]


def demo_banner(request):
    return {"demo_banner": lambda: current_demo_banner(getattr(request, "user", None))}


# The main navigation of base.html: (link, label, the path prefixes of its section). A page under
# a prefix marks that item as the current one ("/compacts/12/" is read from its city: Cities).
NAVIGATION = (
    ("/cities/", "Cities", ("/cities/", "/compacts/")),
    ("/commitments/", "Commitments", ("/commitments/",)),
    ("/milestones/", "Milestones", ("/milestones/",)),
    ("/activities/", "Activities", ("/activities/",)),
    ("/leadership/", "Leadership", ("/leadership/",)),
    ("/schools/", "Schools", ("/schools/",)),
    ("/networks/", "Networks", ("/networks/",)),
    ("/reports/", "Reports", ("/reports/",)),
)
SUPERUSER_NAVIGATION = (("/admin/", "Admin", ("/admin/",)),)
ALL_NAVIGATION = NAVIGATION + SUPERUSER_NAVIGATION


@functools.cache
def _account_links(script_prefix: str) -> dict[str, str]:
    # Reversed once per process (and script prefix) rather than by two {% url %} tags on every
    # page: the URL configuration does not change while a process runs.
    return {"account": reverse("account"), "sign_out": reverse("logout")}


def navigation(request):
    """The items of the main navigation and the current section (the link of its item, or ""):
    base.html keeps the rendered navigation per section (and superuser or not) in the "layout"
    cache, so the items are only worked out when it renders it anew. With them the links of the
    signed-in user's account and sign-out."""
    path = request.path
    section = next(
        (href for href, _label, prefixes in ALL_NAVIGATION if path.startswith(prefixes)), ""
    )

    def items() -> list[dict]:
        user = getattr(request, "user", None)
        entries = NAVIGATION + (SUPERUSER_NAVIGATION if user and user.is_superuser else ())
        return [
            {"href": href, "label": label, "current": href == section}
            for href, label, _prefixes in entries
        ]

    return {
        "navigation": items,
        "navigation_section": section,
        "account_links": _account_links(get_script_prefix()),
    }
