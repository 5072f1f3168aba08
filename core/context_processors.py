from django.core.cache import cache

from core.models import DemoDataset

DEMO_BANNER_CACHE_KEY = "demo-banner"


def current_demo_banner() -> str:
    """The demo banner, or "" without demo data; cached because every page shows it."""
    banner = cache.get(DEMO_BANNER_CACHE_KEY)
    if banner is None:
        dataset = DemoDataset.objects.order_by("-loaded_at").first()
        banner = dataset.banner if dataset else ""
        cache.set(DEMO_BANNER_CACHE_KEY, banner, None)
    return banner


def demo_banner(request):
    return {"demo_banner": current_demo_banner}
