from safeloop.accounts.selectors import Bell
from safeloop.workbench.navigation import current_item, groups_for, menu_for


def navigation(request):
    """The menu and the notification bell of the top bar (the bell counts only when shown)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"menu": []}
    match = getattr(request, "resolver_match", None)
    items = menu_for(user)
    current = current_item(items, match.view_name, match.namespace) if match else None
    return {
        "menu": groups_for(user, current),
        "bell": Bell(user),
    }
