"""Numbers that are issued once and never reused: hazard codes and document numbers."""

from __future__ import annotations

from safeloop.hazards.issuers import issuing_body_of
from safeloop.hazards.models import Hazard, NumberSequence


def next_number(key: str, year: int) -> int:
    """Atomically take the next number for (key, year); call inside a transaction."""
    seq, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def hazard_code(county_code: str, year: int) -> str:
    """YH-<county code>-<year>-<sequence>, e.g. YH-430903-2026-000123."""
    return f"YH-{county_code}-{year}-{next_number(f'YH-{county_code}', year):06d}"


def order_number(hazard: Hazard, year: int) -> str:
    """责令限期整改指令书 number, e.g. 赫山应急责改〔2026〕12号 (per issuing body and year)."""
    body = issuing_body_of(hazard.enterprise.region_id)
    return f"{body.abbreviation}应急责改〔{year}〕{next_number(f'ZG-{body.region_code}', year)}号"


def review_number(hazard: Hazard, year: int) -> str:
    """整改复查意见书 number, e.g. 赫山应急复查〔2026〕7号."""
    body = issuing_body_of(hazard.enterprise.region_id)
    return f"{body.abbreviation}应急复查〔{year}〕{next_number(f'FC-{body.region_code}', year)}号"


def reserve_numbers(key: str, year: int, count: int) -> int:
    """Take `count` consecutive numbers at once (bulk imports); returns the first."""
    seq, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first
