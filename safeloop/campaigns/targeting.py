"""Who a campaign is about: the target filter over the registry, and the 举一反三 proposal.

The filter (`Campaign.target_filter`) is a saved set of conditions, all of which an enterprise
meets (named enterprises are added regardless):

    {"region": "430902", "categories": ["GM-JX"], "industry_codes": ["13", "3311"],
     "risk_levels": ["red"], "features": ["dust_explosion"], "key_sector": true,
     "enterprises": [12, 15]}

It always lies within the region the user governs (`core.scope`). The dragnet proposal ranks
similar enterprises to a seed hazard or accident: same clause or same standard section among
their hazards, a hazard citing a clause the seed's description resembles (the clause-suggestion
index), shared risk features, same category, same GB/T 4754 division; each with reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from safeloop.core.errors import ValidationFailed
from safeloop.core.inputs import Inputs
from safeloop.core.scope import ScopedUser, area_q, region_in_scope, user_area, visible
from safeloop.hazards.models import Hazard
from safeloop.registry.models import RISK_FEATURES, Category, Enterprise, Region, RiskLevel
from safeloop.standards.suggest import suggest

CRITERIA = ("categories", "industry_codes", "risk_levels", "features", "key_sector", "enterprises")
FILTER_FIELD = "target_filter"


def _strings(inp: Inputs, raw: dict[str, Any], name: str, label: str) -> list[str]:
    value = raw.get(name) or []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        inp.error(f"{FILTER_FIELD}.{name}", _("%(label)s格式不正确") % {"label": label})
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def read_filter(user: ScopedUser, raw: Any) -> dict[str, Any]:
    """The filter as stored, or a 400 naming the part that is wrong (nothing is saved)."""
    inp = Inputs({})
    if not isinstance(raw, dict):
        raw = {}
    region = str(raw.get("region") or user_area(user) or "").strip()
    clean: dict[str, Any] = {"region": region}
    if not region or not Region.objects.filter(code=region).exists() or not region_in_scope(user, region):
        inp.error(f"{FILTER_FIELD}.region", _("对象范围的区划不存在或不在您的管辖范围内"))
    clean["categories"] = _known(inp, raw, "categories", _("监管行业"), Category.objects.values_list("code", flat=True))
    clean["industry_codes"] = _industry(inp, raw)
    clean["risk_levels"] = _known(inp, raw, "risk_levels", _("风险等级"), RiskLevel.values)
    clean["features"] = _known(inp, raw, "features", _("风险特征"), RISK_FEATURES)
    clean["key_sector"] = _key_sector(inp, raw)
    clean["enterprises"] = _enterprises(inp, user, raw, region)
    if not any(clean[name] not in (None, [], "") for name in CRITERIA):
        inp.error(
            FILTER_FIELD,
            _("对象范围不能为空：请至少选择监管行业、行业代码、风险等级、风险特征、重点监管或具体企业之一"),
        )
    inp.check()
    return {name: value for name, value in clean.items() if value not in (None, [])}


def _known(inp: Inputs, raw: dict[str, Any], name: str, label: str, allowed: Any) -> list[str]:
    values = _strings(inp, raw, name, label)
    known = set(allowed)
    unknown = [v for v in values if v not in known]
    if unknown:
        inp.error(
            f"{FILTER_FIELD}.{name}", _("%(label)s中有无法识别的值：%(v)s") % {"label": label, "v": "、".join(unknown)}
        )
    return values


def _industry(inp: Inputs, raw: dict[str, Any]) -> list[str]:
    values = _strings(inp, raw, "industry_codes", _("国民经济行业代码"))
    bad = [v for v in values if not (v.isdigit() and 2 <= len(v) <= 4)]
    if bad:
        inp.error(
            f"{FILTER_FIELD}.industry_codes", _("行业代码应为 GB/T 4754 的 2～4 位数字：%(v)s") % {"v": "、".join(bad)}
        )
    return values


def _key_sector(inp: Inputs, raw: dict[str, Any]) -> bool | None:
    value = raw.get("key_sector")
    if value in (None, "", False, "false", "0"):
        return None  # "not key sector" is no criterion: the filter narrows, never excludes the key ones
    if value in (True, "true", "1", 1):
        return True
    inp.error(f"{FILTER_FIELD}.key_sector", _("重点监管应为是或否"))
    return None


def _enterprises(inp: Inputs, user: ScopedUser, raw: dict[str, Any], region: str) -> list[int]:
    values = _strings(inp, raw, "enterprises", _("企业"))
    ids = sorted({int(v) for v in values if v.isdigit()})
    if len(ids) != len(set(values)):
        inp.error(f"{FILTER_FIELD}.enterprises", _("企业编号格式不正确"))
    found = set(in_scope(user, region).filter(pk__in=ids).values_list("pk", flat=True)) if region else set()
    if set(ids) - found:
        inp.error(f"{FILTER_FIELD}.enterprises", _("所选企业不存在或不在您的管辖范围内"))
    return ids


def in_scope(user: ScopedUser, region: str) -> QuerySet[Enterprise]:
    return visible(user, Enterprise.objects.all()).filter(area_q("region", region))


def matching(user: ScopedUser, target_filter: dict[str, Any]) -> QuerySet[Enterprise]:
    """The enterprises the filter names, within the user's scope, ordered by id."""
    region = target_filter["region"]
    conditions = _conditions(target_filter)
    named = Q(pk__in=target_filter.get("enterprises") or [])
    where = (conditions | named) if conditions else named
    return in_scope(user, region).filter(where).order_by("pk")


def _conditions(f: dict[str, Any]) -> Q | None:
    terms: list[Q] = []
    if f.get("categories"):
        terms.append(Q(category_id__in=f["categories"]))
    if f.get("industry_codes"):
        terms.append(_any(Q(industry_code__startswith=code) for code in f["industry_codes"]))
    if f.get("risk_levels"):
        terms.append(Q(risk_level__in=f["risk_levels"]))
    if f.get("features"):
        terms.append(_any(Q(**{name: True}) for name in f["features"]))
    if f.get("key_sector"):
        terms.append(Q(key_sector=True))
    if not terms:
        return None
    result = terms[0]
    for term in terms[1:]:
        result &= term
    return result


def _any(qs: Any) -> Q:
    result = Q(pk__in=[])
    for q in qs:
        result |= q
    return result


# ---------------------------------------------------------------- 举一反三: the ranked proposal

FEATURE_LABELS = {f.name: str(f.verbose_name) for f in Enterprise._meta.fields if f.name in RISK_FEATURES}
WEIGHTS = {"clause": 5.0, "section": 3.0, "text": 2.5, "feature": 2.0, "category": 1.5, "division": 1.0}


@dataclass
class Seed:
    enterprise: Enterprise | None
    category_id: str | None
    features: list[str]
    clause_id: str | None = None
    section: tuple[str, str] | None = None  # (standard id, section)
    label: str = ""
    similar: list[str] = field(default_factory=list)  # clauses the seed's text resembles (standards.suggest)


@dataclass
class Proposal:
    enterprise: Enterprise
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def seed_of_hazard(hazard: Hazard) -> Seed:
    e = hazard.enterprise
    clause = hazard.clause
    # A special section (粉尘爆炸, 液氨制冷…) marks a kind of site; a general one (第三条 工贸企业) is everyone.
    special = clause is not None and bool(clause.section) and bool(clause.feature)
    section = (clause.standard_id, clause.section) if special and clause is not None else None
    similar = similar_clauses(hazard.description, e.category_id, but=hazard.clause_id)
    return Seed(e, e.category_id, e.risk_features(), hazard.clause_id, section, hazard.code, similar)


def seed_of_accident(accident: Any) -> Seed:
    e = accident.enterprise
    features = e.risk_features() if e is not None else []
    text = f"{accident.title} {accident.description}"
    return Seed(
        e, accident.category_id, features, None, None, accident.title, similar_clauses(text, accident.category_id)
    )


def similar_clauses(text: str, category: str | None, *, but: str | None = None, limit: int = 3) -> list[str]:
    """The clauses the clause-suggestion index finds closest to the seed's text (its own left out)."""
    found = suggest(text, category=category, limit=limit + 1) if text.strip() else []
    return [s.clause for s in found if s.clause != but][:limit]


def propose(user: ScopedUser, seed: Seed, region: str, limit: int = 500) -> list[Proposal]:
    """Similar enterprises within `region` (inside the user's scope), best first."""
    candidates = in_scope(user, region).filter(_similar_q(seed)).select_related("category")
    if seed.enterprise is not None:
        candidates = candidates.exclude(pk=seed.enterprise.pk)
    clause_hits, section_hits = _hazard_hits(seed, candidates)
    text_hits = _text_hits(seed, candidates)
    ranked = [_rank(seed, e, clause_hits, section_hits, text_hits) for e in candidates.order_by("pk")[:20000]]
    ranked = [p for p in ranked if p.score > 0]
    ranked.sort(key=lambda p: (-p.score, p.enterprise.pk))
    return ranked[:limit]


def _similar_q(seed: Seed) -> Q:
    q = _any(Q(**{name: True}) for name in seed.features)
    if seed.category_id:
        q |= Q(category_id=seed.category_id)
    division = _division(seed.enterprise)
    if division:
        q |= Q(industry_code__startswith=division)
    if seed.clause_id:
        q |= Q(pk__in=Hazard.objects.filter(clause_id=seed.clause_id).values("enterprise_id"))
    if seed.similar:
        q |= Q(pk__in=Hazard.objects.filter(clause_id__in=seed.similar).values("enterprise_id"))
    if seed.section:
        standard, section = seed.section
        q |= Q(
            pk__in=Hazard.objects.filter(clause__standard_id=standard, clause__section=section).values("enterprise_id")
        )
    return q


def _division(e: Enterprise | None) -> str:
    return e.industry_code[:2] if e is not None and len(e.industry_code or "") >= 2 else ""


def _text_hits(seed: Seed, candidates: QuerySet[Enterprise]) -> dict[int, str]:
    """Enterprises with a hazard citing a clause the seed's text resembles: enterprise → clause."""
    if not seed.similar:
        return {}
    rows = Hazard.objects.filter(clause_id__in=seed.similar, enterprise_id__in=candidates.values("pk"))
    return dict(rows.values_list("enterprise_id", "clause_id"))


def _hazard_hits(seed: Seed, candidates: QuerySet[Enterprise]) -> tuple[set[int], set[int]]:
    ids = candidates.values("pk")
    clause = set()
    section = set()
    if seed.clause_id:
        clause = set(
            Hazard.objects.filter(clause_id=seed.clause_id, enterprise_id__in=ids).values_list(
                "enterprise_id", flat=True
            )
        )
    if seed.section:
        standard, name = seed.section
        rows = Hazard.objects.filter(clause__standard_id=standard, clause__section=name, enterprise_id__in=ids)
        section = set(rows.values_list("enterprise_id", flat=True))
    return clause, section


def _rank(
    seed: Seed, e: Enterprise, clause_hits: set[int], section_hits: set[int], text_hits: dict[int, str]
) -> Proposal:
    p = Proposal(e)
    if e.pk in clause_hits:
        p.score += WEIGHTS["clause"]
        p.reasons.append(_("曾有同一条款的隐患（%(clause)s）") % {"clause": seed.clause_id})
    elif e.pk in section_hits and seed.section:
        p.score += WEIGHTS["section"]
        p.reasons.append(_("曾有同一标准章节的隐患（%(section)s）") % {"section": seed.section[1]})
    if e.pk in text_hits and e.pk not in clause_hits:
        p.score += WEIGHTS["text"]
        p.reasons.append(_("曾有与源头描述相近的隐患（%(clause)s）") % {"clause": text_hits[e.pk]})
    shared = [name for name in seed.features if getattr(e, name)]
    for name in shared:
        p.score += WEIGHTS["feature"]
        p.reasons.append(_("同有风险特征：%(f)s") % {"f": FEATURE_LABELS.get(name, name)})
    if seed.category_id and e.category_id == seed.category_id:
        p.score += WEIGHTS["category"]
        p.reasons.append(_("同一监管行业：%(c)s") % {"c": e.category.name})
    division = _division(seed.enterprise)
    if division and (e.industry_code or "").startswith(division):
        p.score += WEIGHTS["division"]
        p.reasons.append(_("同一国民经济行业大类（%(d)s）") % {"d": division})
    return p


def seed_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"seed": message})
