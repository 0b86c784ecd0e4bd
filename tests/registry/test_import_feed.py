"""An enterprise workbook import in the change feed (core.changes): the new enterprises come as
created, the known ones as updated with their new data (an import is a write path too)."""

from __future__ import annotations

from safeloop.registry.io import enterprise_import
from safeloop.registry.models import Enterprise
from tests.conftest import credit_code
from tests.feed.consistency import feed_problems
from tests.feed.helpers import drain
from tests.registry.test_import_export import row, workbook_bytes


def test_an_import_is_in_the_feed(client, ziyang_user, ziyang_enterprise, heshan_user):
    _, cursor = drain(client, ziyang_user)
    code = credit_code()
    rows = [row("资阳安达化工有限公司", ziyang_enterprise.credit_code, 从业人数=77), row("资阳新材料有限公司", code)]
    enterprise_import(actor=ziyang_user, data=workbook_bytes(rows))
    changes, _ = drain(client, ziyang_user, cursor)
    new = Enterprise.objects.get(credit_code=code)
    assert sorted((c["id"], c["op"]) for c in changes) == sorted(
        [(ziyang_enterprise.pk, "updated"), (new.pk, "created")]
    )
    assert next(c["data"]["employees"] for c in changes if c["id"] == ziyang_enterprise.pk) == 77
    assert not feed_problems(["enterprise"], missing=False)
    assert drain(client, heshan_user, cursor)[0] == []
