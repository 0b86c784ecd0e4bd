from safeloop.accounts.selectors import Bell
from safeloop.workbench.navigation import menu_html


def navigation(request):
    """The menu and the notification bell of the top bar, each worked out only when the page
    shows it (the template calls `menu_html`; the bell counts on first use)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"menu_html": ""}
    match = getattr(request, "resolver_match", None)

    def menu() -> str:
        return menu_html(user, match.view_name, match.namespace) if match else menu_html(user)

    return {"menu_html": menu, "bell": Bell(user)}
