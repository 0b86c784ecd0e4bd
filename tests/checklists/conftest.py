"""Checklist fixtures: the catalogue (reloaded when a transactional test flushed it), an enterprise
user's checklist, a phone photo."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safeloop.checklists.services import checklist_start, item_answer
from safeloop.standards.catalogue import catalogue_load
from safeloop.standards.models import Clause


@pytest.fixture
def catalogue(reference):
    if not Clause.objects.exists():
        catalogue_load(force=True)


@pytest.fixture
def checklist(catalogue, enterprise_user):
    return checklist_start(actor=enterprise_user)


def photo(name: str = "现场.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def answer_all(checklist, user, result: str = "ok", **overrides: str) -> None:
    """Answer every item `result`, except the clauses named in `overrides` (clause id → result)."""
    for item in checklist.items.all():
        chosen = overrides.get(item.clause_id, result)
        item_answer(actor=user, checklist_id=checklist.pk, clause_id=item.clause_id, data={"result": chosen})
