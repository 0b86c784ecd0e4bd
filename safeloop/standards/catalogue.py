"""The catalogue data files (`standards/data/*.toml`, each naming its sources) and their loader.

`catalogue_load()` upserts every standard and clause; it is idempotent, so running it again after a
data-file update (`manage.py load_standards`, or the data migration on a fresh database) brings the
database up to date. A clause an administrator amended (`amended_at` set) is left as amended unless
`force`. Nothing is deleted: a clause that leaves the files stays citable.
The loader takes the model classes so that a migration can pass its historical models; it only sets
the fields the given model has.
"""

from __future__ import annotations

import csv
import datetime
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"
CATEGORIES = Path(__file__).resolve().parents[1] / "registry" / "data" / "categories.csv"
DATE_FIELDS = ("issued_on", "in_force_on", "superseded_from")


class CatalogueError(ValueError):
    pass


@dataclass
class Catalogue:
    standards: list[dict[str, Any]] = field(default_factory=list)
    clauses: list[dict[str, Any]] = field(default_factory=list)
    versions: set[str] = field(default_factory=set)


def category_codes() -> set[str]:
    with CATEGORIES.open(encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(line for line in fh if not line.startswith("#"))}


def read_catalogue(data: Path = DATA) -> Catalogue:
    cat = Catalogue()
    for path in sorted(data.glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        cat.versions.add(str(doc.get("data_version", "")))
        heads = doc.get("standard", [])
        for std in [heads] if isinstance(heads, dict) else heads:
            cat.standards.append({**std, "data_version": doc.get("data_version", "")})
        for clause in doc.get("clause", []):
            cat.clauses.append({**clause, "standard": heads["id"]})
    _check(cat)
    return cat


def _check(cat: Catalogue) -> None:
    known = category_codes()
    std_ids = [s["id"] for s in cat.standards]
    clause_ids = [c["id"] for c in cat.clauses]
    for ids, what in ((std_ids, "standard"), (clause_ids, "clause")):
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise CatalogueError(f"duplicate {what} ids: {sorted(dupes)}")
    for row in cat.standards + cat.clauses:
        bad = set(row.get("category_codes", [])) - known
        if bad:
            raise CatalogueError(f"{row['id']}: unknown category codes {sorted(bad)}")
        target = row.get("superseded_by")
        if target and target not in (std_ids if "title" in row else clause_ids):
            raise CatalogueError(f"{row['id']}: superseded_by {target} is not in the catalogue")


def _values(model: Any, row: dict[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    names = {f.name for f in model._meta.concrete_fields}
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in skip or key not in names:
            continue
        if key in DATE_FIELDS and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        out[key] = value
    return out


@transaction.atomic
def catalogue_load(standard_model: Any = None, clause_model: Any = None, *, force: bool = False) -> dict[str, int]:
    if standard_model is None or clause_model is None:
        from safeloop.standards.models import Clause, Standard

        standard_model, clause_model = Standard, Clause
    cat = read_catalogue()
    counts = {"standards": 0, "clauses": 0, "kept_amended": 0}
    for row in cat.standards:
        standard_model.objects.update_or_create(
            id=row["id"], defaults=_values(standard_model, row, ("id", "superseded_by"))
        )
        counts["standards"] += 1
    for row in cat.standards:
        standard_model.objects.filter(id=row["id"]).update(superseded_by_id=row.get("superseded_by") or None)
    amended = set(clause_model.objects.filter(amended_at__isnull=False).values_list("id", flat=True))
    for row in cat.clauses:
        if row["id"] in amended and not force:
            counts["kept_amended"] += 1
            continue
        values = _values(clause_model, row, ("id", "standard", "superseded_by"))
        clause_model.objects.update_or_create(id=row["id"], defaults={**values, "standard_id": row["standard"]})
        counts["clauses"] += 1
    for row in cat.clauses:
        if row["id"] not in amended or force:
            clause_model.objects.filter(id=row["id"]).update(superseded_by_id=row.get("superseded_by") or None)
    return counts
