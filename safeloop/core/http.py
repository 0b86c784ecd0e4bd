from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request as django-htmx's middleware leaves it (for type checking views)."""

    htmx: HtmxDetails


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for pager links and exports (without `page`)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def query_without(request: HttpRequest, *names: str) -> str:
    """The list's filters as a query string without `names` (and `page`), for links that set them."""
    params = request.GET.copy()
    for name in ("page", *names):
        params.pop(name, None)
    return params.urlencode()
