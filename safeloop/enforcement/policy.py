"""Deadlines and thresholds of 打非治违, as data. Each names its source; the ones no text in
shared/domain/ fixes are marked ASSUMPTION (city policy, change here) and listed in the note."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    value: int | float
    source: str
    assumption: bool


# A transferred clue must be accepted by the receiving department within this many working days.
TRANSFER_ACCEPT_WORKDAYS = Figure(3, "ASSUMPTION: city policy; no rule in shared/domain fixes it", True)
# A case is decided within 90 days of filing (行政处罚法 2021 第六十条: 自立案之日起九十日内作出
# 行政处罚决定); the platform counts it as working days only where a rule says so, so calendar days.
CASE_DECISION_DAYS = Figure(90, "《中华人民共和国行政处罚法》（2021）第六十条", False)
# A case with no step for this many working days is stalled and escalated (督办) to the county.
STALL_WORKDAYS = Figure(10, "ASSUMPTION: city policy; no rule in shared/domain fixes it", True)
# Townships with at least this many clues in the period and fewer cases than this share are flagged.
FLAG_MIN_CLUES = Figure(5, "ASSUMPTION: city policy", True)
FLAG_MAX_CASE_SHARE = Figure(0.2, "ASSUMPTION: city policy", True)
# Name + address similarity (rapidfuzz token_set_ratio, 0-100) above which a registered
# enterprise is proposed as the same subject.
MATCH_MIN_SCORE = Figure(80, "ASSUMPTION: tuned on the demo data", True)

ALL = {
    "TRANSFER_ACCEPT_WORKDAYS": TRANSFER_ACCEPT_WORKDAYS,
    "CASE_DECISION_DAYS": CASE_DECISION_DAYS,
    "STALL_WORKDAYS": STALL_WORKDAYS,
    "FLAG_MIN_CLUES": FLAG_MIN_CLUES,
    "FLAG_MAX_CASE_SHARE": FLAG_MAX_CASE_SHARE,
    "MATCH_MIN_SCORE": MATCH_MIN_SCORE,
}
