"""Counts agree: every workbench card links to the list it counts, and the list shows that count."""

import pytest
from django.urls import reverse

from tests.workbench.conftest import ROLES


def cards_of(client) -> list:
    figures = client.get(reverse("workbench:home")).context["figures"]
    return figures["hazard_cards"] + figures.get("enterprise_cards", [])


@pytest.mark.parametrize("role", ROLES)
def test_every_card_counts_what_its_list_shows(role, little_city, login):
    client = login(little_city[role])
    html = client.get(reverse("workbench:home")).content.decode()
    for card in cards_of(client):
        assert f'href="{card.url}"' in html.replace("&amp;", "&")
        listed = client.get(card.url).context["page"].paginator.count
        assert (card.label, card.count) == (card.label, listed)


def test_the_little_city_gives_the_cards_something_to_count(little_city, login):
    counts = {str(card.label): card.count for card in cards_of(login(little_city["county"]))}
    assert counts["逾期未整改"] == 1 and counts["在办重大隐患"] == 1 and counts["我的待办隐患"] >= 1
    assert counts["管辖企业"] == 2 and counts["重点监管企业"] == 1 and counts["红（重大风险）"] == 1


def test_the_todo_card_links_to_the_todo_list(little_city, login):
    client = login(little_city["enterprise"])
    todo = next(card for card in cards_of(client) if card.url == reverse("hazards:todo"))
    assert todo.count == client.get(reverse("hazards:todo")).context["page"].paginator.count > 0
