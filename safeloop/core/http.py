from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for pager links and exports (without `page`)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
