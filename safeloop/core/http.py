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
