from django.apps import AppConfig
from django.core import checks

from safeloop.core.checks import ledger_keys, public_base_url


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from django.contrib.auth import signals

        from safeloop.core import security_log
        from safeloop.core.filecheck import register_files
        from safeloop.core.idempotency import idempotency_purge
        from safeloop.core.jobs import jobs_expire, register_job
        from safeloop.core.schedule import register_daily
        from safeloop.core.seals import sealed_files
        from safeloop.core.security_pages import SECURITY_LOG_EXPORT
        from safeloop.core.tasks import ledger_publish_root
        from safeloop.core.throttle import throttle_purge

        register_daily(jobs_expire)
        register_daily(ledger_publish_root)
        register_daily(security_log.security_log_purge)
        register_daily(throttle_purge)
        register_daily(idempotency_purge)
        register_files(sealed_files)
        register_job(SECURITY_LOG_EXPORT.job())
        checks.register(public_base_url, checks.Tags.compatibility)
        checks.register(ledger_keys, checks.Tags.security)
        # Django's own sign-in paths send these; they are the one hook that covers all of them
        # (docs/adr/0005-no-signals.md names this exception).
        signals.user_logged_in.connect(security_log.on_logged_in, dispatch_uid="safeloop.security.login")
        signals.user_login_failed.connect(security_log.on_login_failed, dispatch_uid="safeloop.security.failed")
        signals.user_logged_out.connect(security_log.on_logged_out, dispatch_uid="safeloop.security.logout")
