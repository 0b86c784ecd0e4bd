from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safeloop.accounts"
    label = "accounts"
    verbose_name = "账户与权限"

    def ready(self) -> None:
        from django.core.checks import register

        from safeloop.accounts.access import bearer_user, purge_expired_tokens
        from safeloop.accounts.checks import notify_channels_load
        from safeloop.accounts.notifications import tell_job_owner
        from safeloop.core.idempotency import register_principal
        from safeloop.core.jobs import on_job_finished
        from safeloop.core.schedule import register_daily

        register(notify_channels_load)
        on_job_finished(tell_job_owner)
        register_daily(purge_expired_tokens)
        register_principal(bearer_user)
