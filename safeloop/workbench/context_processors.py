from safeloop.accounts.selectors import Bell
from safeloop.workbench.navigation import menu_for


def navigation(request):
    """The menu and the notification bell of the top bar (the bell counts only when shown)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"menu": []}
    match = getattr(request, "resolver_match", None)
    current = match.namespace if match else ""
    return {
        "menu": [(item, item.url_name.split(":")[0] == current) for item in menu_for(user)],
        "bell": Bell(user),
    }
