"""What the feed tests of each module share: read a user's feed to the end, and check that a
county's copy of each type holds exactly the database's objects, in the order of their events (one change each),
while another county's copy holds none of them."""

from __future__ import annotations

from typing import Any

from django.apps import apps

from safeloop.accounts.services import token_issue
from safeloop.core.changes import feed_named
from safeloop.core.models import ChainedEvent
from tests.feed.consistency import feed_problems


def feed(client, user, since: int = 0, **params) -> dict[str, Any]:
    token, _ = token_issue(user=user)
    response = client.get("/api/v1/changes", {"since": since, **params}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    return response.json()


def drain(client, user, since: int = 0, **params) -> tuple[list[dict], int]:
    """Every change after `since`, page by page, and the last cursor."""
    seen: list[dict] = []
    while True:
        page = feed(client, user, since, **params)
        seen += page["results"]
        since = page["cursor"]
        if not page["more"]:
            return seen, since


def copy_of(changes: list[dict]) -> dict[tuple[str, int], dict]:
    """A client's copy after applying the changes in order."""
    copy: dict[tuple[str, int], dict] = {}
    for c in changes:
        if c["op"] == "deleted":
            copy.pop((c["type"], c["id"]), None)
        else:
            copy[(c["type"], c["id"])] = c["data"]
    return copy


def events_of(model: type) -> type[ChainedEvent] | None:
    for candidate in apps.get_models():
        fields = {f.name: f for f in candidate._meta.get_fields()}
        owner = fields.get(getattr(candidate, "chain_owner", ""))
        if issubclass(candidate, ChainedEvent) and owner is not None and owner.related_model is model:
            return candidate
    return None


def assert_county_copy(client, county_user, outsider, types: list[str], expected: dict | None = None) -> list[dict]:
    """Each type: the county's copy holds every object of the database (all made in the county;
    `expected` {type: ids} when some were made elsewhere),
    as it is now; a chained object's changes follow its events one for one, in their order;
    the outsider's copy holds none of them. Returns the county's changes."""
    assert not feed_problems(types), feed_problems(types)
    mine, _ = drain(client, county_user)
    positions = [c["position"] for c in mine]
    assert positions == sorted(set(positions))
    copy = copy_of(mine)
    for name in types:
        model = feed_named(name).model
        ids = (expected or {}).get(name) or set(model._default_manager.values_list("pk", flat=True))
        assert ids, f"no {name} made"
        assert {pk for t, pk in copy if t == name} == ids, name
        events = events_of(model)
        for pk in ids if events is not None else ():
            statuses = [c["data"]["status"] for c in mine if c["type"] == name and c["id"] == pk]
            chain = list(events._default_manager.filter(**{events.chain_owner: pk}).order_by("seq"))
            made_in_bulk = len(statuses) == len(chain) + 1  # a row inserted without an event (a launch's tasks)
            assert (statuses[1:] if made_in_bulk else statuses) == [e.to_status for e in chain], (name, pk)
            ops = [c["op"] for c in mine if c["type"] == name and c["id"] == pk]
            assert ops == ["created"] + ["updated"] * (len(ops) - 1), (name, pk)
    theirs, _ = drain(client, outsider)
    assert not [c for c in theirs if c["type"] in types and (c["type"], c["id"]) in copy]
    return mine
