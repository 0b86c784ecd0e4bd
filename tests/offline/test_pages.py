"""The shell's server side: manifest, worker, session, a hazard's state for conflicts (404 outside scope)."""

from safeloop.hazards.services import hazard_report


def test_manifest_and_worker_are_served_by_the_app(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["lang"] == "zh-CN"
    worker = client.get("/sw.js")
    body = worker.content.decode()
    assert (
        worker["Content-Type"].startswith("text/javascript") and "/static/vendor/workbox/workbox-core.prod.js" in body
    )
    assert "importScripts" in body and "googleapis" not in body and "cdn" not in body.lower()


def test_session_says_signed_out_with_401(client):
    assert client.get("/offline/session.json").status_code == 401


def test_session_names_the_field_pages_of_the_role(client, login, enterprise_user):
    login(enterprise_user)
    pages = client.get("/offline/session.json").json()["pages"]
    assert "/hazards/new/" in pages and "/offline/" in pages and "/hazards/todo/" in pages
    assert "/flood/patrols/new/" not in pages  # an enterprise records no patrols


def test_session_names_the_flood_patrol_form_for_a_township(client, login, township_user):
    login(township_user)
    assert "/flood/patrols/new/" in client.get("/offline/session.json").json()["pages"]


def test_hazard_state_is_404_outside_scope(client, login, enterprise_user, heshan_user):
    hazard = hazard_report(actor=enterprise_user, data={"source": "self_check", "description": "配电箱未接地"})
    login(enterprise_user)
    mine = client.get(f"/offline/hazards/{hazard.pk}/state.json?since=0").json()
    assert mine["version"] == hazard.version and mine["events"][0]["action"]
    login(heshan_user)
    assert client.get(f"/offline/hazards/{hazard.pk}/state.json").status_code == 404
