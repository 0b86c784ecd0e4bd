"""Which 应急管理局 issues a hazard's enforcement documents, by name and by 代字 (abbreviation).

The rule is data (`ISSUER_BY_KIND`), keyed by the kind of county-level unit the enterprise is
in, read from the structure of its code:

- GB/T 2260 county-level codes (digits 5–6): 01–20 市辖区, 21–70 县 (自治县), 81–99 县级市.
  Each is a 县级人民政府 with its own 应急管理局, which 安全生产法 (2021) 第十条 makes the
  comprehensive supervisor of its area: it issues the documents itself.
- NBS 统计用区划代码 71–79 are 管理区 / 开发区 / 高新区 (e.g. 430971 大通湖管理区, 430972 益阳高新区):
  not in GB/T 2260 and not a level of government. 安全生产法 第九条 only asks such zones to
  "明确负责安全生产监督管理的有关工作机构"; administrative enforcement power stays with the
  county-level-or-above department (行政处罚法 第二十二条、第二十条 on delegation). The body
  that supervises them and in whose name documents go out is the city's 应急管理局.

A 市辖区's bureau writes the city before its own name (益阳市赫山区应急管理局): district names
repeat across the country, and its seal reads so. A city matter is never issued in the
province's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safeloop.core.regions import county_of
from safeloop.registry.models import Region

# kind of county-level unit → (whose bureau issues, how the bureau's name is written)
ISSUER_BY_KIND: dict[str, tuple[str, str]] = {
    "district": ("own", "{city}{own}应急管理局"),  # 01–20 市辖区
    "county": ("own", "{own}应急管理局"),  # 21–70 县, 自治县; 81–99 县级市
    "zone": ("city", "{city}应急管理局"),  # 71–79 管理区, 开发区 (statistical codes only)
    "city": ("city", "{city}应急管理局"),  # an enterprise registered at the city itself
}
# The 代字 is the place name without its type (赫山区 → 赫山, 桃江县 → 桃江, 益阳市 → 益阳); an
# autonomous unit drops its peoples too (城步苗族自治县 → 城步, 湘西土家族苗族自治州 → 湘西). A
# one-character stem keeps its type (南县 stays 南县: 南 alone names nothing).
_AUTONOMOUS = re.compile(r"(土家族|苗族|侗族|瑶族|白族|回族|壮族|彝族|藏族|蒙古族)+自治[州县旗]$")
_TYPE = re.compile(r"(市辖区|区|县|市|旗|州|盟)$")


@dataclass(frozen=True)
class IssuingBody:
    region_code: str  # the county-level unit or city whose bureau this is; numbers count per body
    name: str  # 益阳市赫山区应急管理局
    abbreviation: str  # 赫山, as in 赫山应急责改〔2026〕12号


def unit_kind(code: str) -> str:
    """The kind of the county-level unit (or city) with this 6-digit code."""
    segment = int(code[4:6])
    if segment == 0:
        return "city"
    if segment <= 20:
        return "district"
    return "zone" if 71 <= segment <= 79 else "county"


def abbreviation(name: str) -> str:
    stem = _AUTONOMOUS.sub("", name)
    if stem == name:
        stem = _TYPE.sub("", name)
    return stem if len(stem) >= 2 else name


def issuing_body(county: Region, city: Region) -> IssuingBody:
    """The body for an enterprise in `county` (a county-level unit of `city`, or the city)."""
    whose, template = ISSUER_BY_KIND[unit_kind(county.code)]
    issuer = county if whose == "own" else city
    return IssuingBody(issuer.code, template.format(city=city.name, own=county.name), abbreviation(issuer.name))


def issuing_body_of(region_code: str) -> IssuingBody:
    """The body for an enterprise whose region (township or county) has this code."""
    county_code = county_of(region_code)
    city_code = county_code[:4] + "00"
    regions = Region.objects.in_bulk([county_code, city_code])
    return issuing_body(regions[county_code], regions[city_code])
