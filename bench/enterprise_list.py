"""Enterprise list page and API list at province scale.

    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py migrate
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python manage.py seed_demo --scale 40
    SAFELOOP_DATA_DIR=/tmp/bench-sqlite .venv/bin/python bench/enterprise_list.py --runs 15
(add DATABASE_URL=postgres://… for PostgreSQL). Prints JSON and writes bench/results/.
Each request runs the whole Django stack in-process (middleware, scope, query, template).
"""

import argparse
import json

from _django import ROOT, database_label, timed
from django.test import Client

from safeloop.accounts.models import User
from safeloop.registry.models import Enterprise

SCENARIOS = [
    ("health (baseline)", "sysadmin", "/healthz", {}),
    ("city list, no filter", "city_admin", "/enterprises/", {}),
    ("province list, no filter", "sysadmin", "/enterprises/", {}),
    (
        "province, three filters",
        "sysadmin",
        "/enterprises/",
        {"region": "430100", "category": "commerce", "risk_level": "red"},
    ),
    ("province, name search", "sysadmin", "/enterprises/", {"q": "安达"}),
    ("province, credit-code search", "sysadmin", "/enterprises/", {"q": "914309"}),
    ("province, pinyin search", "sysadmin", "/enterprises/", {"q": "yyad"}),
    ("province, page 2000", "sysadmin", "/enterprises/", {"page": "2000"}),
    ("county list", "county_ziyang", "/enterprises/", {}),
    ("department list", "dept_transport", "/enterprises/", {}),
    (
        "htmx partial, three filters",
        "city_admin",
        "/enterprises/",
        {"region": "430902", "category": "gongmao", "risk_level": "yellow"},
    ),
    ("API list, 100 per page", "city_admin", "/api/v1/enterprises", {"page_size": "100"}),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    runs = ap.parse_args().runs
    clients = {}
    results = {"database": database_label(), "enterprises": Enterprise.objects.count(), "scenarios": {}}
    for label, username, path, params in SCENARIOS:
        client = clients.setdefault(username, _client(username))
        headers = {"HTTP_HX_REQUEST": "true"} if label.startswith("htmx") else {}
        if path.startswith("/api/"):
            headers["HTTP_AUTHORIZATION"] = f"Bearer {_token(username)}"

        def request(client=client, path=path, params=params, headers=headers):
            response = client.get(path, params, **headers)
            assert response.status_code == 200, (path, response.status_code)

        results["scenarios"][label] = timed(request, runs)
        print(f"{label:32} {results['scenarios'][label]}", flush=True)
    out = ROOT / "bench" / "results" / f"enterprise_list-{results['database']}.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(json.dumps(results, ensure_ascii=False))


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _token(username: str) -> str:
    from safeloop.accounts.services import token_issue

    return token_issue(user=User.objects.get(username=username))[0]


if __name__ == "__main__":
    main()
