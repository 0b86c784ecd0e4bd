from django.core.management.base import CommandError

from safeloop.accounts.models import User


def actor_for(username: str) -> User:
    """Commands act as a named user, so scope and audit apply exactly as on the pages."""
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在或已停用") from None
