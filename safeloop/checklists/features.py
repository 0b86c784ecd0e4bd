"""Which cross-sector sections (专项类) of the determination standards an enterprise's risk
features call for: the enterprise's feature field → the clause feature the catalogue marks.

Basis: 应急管理部令第10号 第十一、十二、十三条 apply to enterprises "存在粉尘爆炸危险的", "使用液氨
制冷的" and "存在硫化氢、一氧化碳等中毒风险的有限空间作业的" (RULES.md §1.2, H); the 化工 items on
重点监管的危险化工工艺 and on 重大危险源 (安监总管三〔2017〕121号 第4、5项, RULES.md §1.3) are
marked with the last two features in the catalogue (standards/data)."""

from __future__ import annotations

from safeloop.registry.models import Enterprise
from safeloop.standards.models import Feature

CLAUSE_FEATURE = {
    "dust_explosion": Feature.DUST,
    "ammonia_refrigeration": Feature.AMMONIA,
    "confined_space": Feature.CONFINED_SPACE,
    "hazardous_process": Feature.HAZARDOUS_PROCESS,
    "major_hazard_source": Feature.MAJOR_HAZARD_SOURCE,
}


def clause_features(enterprise: Enterprise) -> list[str]:
    """The clause features the enterprise's risk features call for."""
    return [str(CLAUSE_FEATURE[name]) for name in enterprise.risk_features()]
