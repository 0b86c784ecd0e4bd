from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "safeloop.experts"
    label = "experts"
    verbose_name = "专家库"

    def ready(self) -> None:
        from safeloop.core.changes import FeedType, register_feed
        from safeloop.core.jobs import register_job
        from safeloop.core.roles import Role
        from safeloop.core.scope import provide_enterprises
        from safeloop.experts.io import EXPERT_IMPORT, EXPORTS
        from safeloop.experts.models import Stationing
        from safeloop.experts.selectors import expert_enterprise_ids
        from safeloop.experts.signing import signing_q, signing_refusal
        from safeloop.hazards.signers import provide_expert_signing

        provide_enterprises(Role.EXPERT, expert_enterprise_ids)
        for export in EXPORTS:
            register_job(export.job())
        register_job(EXPERT_IMPORT.job())
        provide_expert_signing(refusal=signing_refusal, q=signing_q)
        register_feed(FeedType("stationing", Stationing))  # the change feed (core.changes)
