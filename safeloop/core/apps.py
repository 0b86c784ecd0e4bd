from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "safeloop.core"
    label = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from django.contrib.auth import signals

        from safeloop.core import security_log
        from safeloop.core.checks import public_base_url
        from safeloop.core.jobs import jobs_expire, register_job
        from safeloop.core.schedule import register_daily
        from safeloop.core.security_pages import SECURITY_LOG_EXPORT

        register_daily(jobs_expire)
        register_daily(security_log.security_log_purge)
        register_job(SECURITY_LOG_EXPORT.job())
        checks.register(public_base_url, checks.Tags.compatibility)
        # Django's own sign-in paths send these; they are the one hook that covers all of them
        # (docs/adr/0005-no-signals.md names this exception).
        signals.user_logged_in.connect(security_log.on_logged_in, dispatch_uid="safeloop.security.login")
        signals.user_login_failed.connect(security_log.on_login_failed, dispatch_uid="safeloop.security.failed")
        signals.user_logged_out.connect(security_log.on_logged_out, dispatch_uid="safeloop.security.logout")
