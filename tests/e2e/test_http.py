"""The HTTP API over real HTTP (`shopguard serve` in a subprocess): auth, contract, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shopguard.platform import auth
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.screening.store import decisions
from tests.e2e.conftest import key
from tests.support.processes import Server

ITEM = {
    "id": "api-1",
    "kind": "listing",
    "category": "cosmetics",
    "title": "全网最低价 祛痘精华",
    "text": "三天根治痘痘，无效退款，电话13812345678",
}


def stored(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(decisions)).scalar_one())


def test_health_and_openapi_need_no_key(server: Server) -> None:
    with server.client() as c:
        health = c.get("/v1/health").json()
        assert health["status"] == "ok"
        assert health["policy_version"].startswith("cn-default@")
        spec = c.get("/openapi.json").json()
    assert "/v1/screen" in spec["paths"] and "/v1/decisions/{decision_id}" in spec["paths"]


def test_screen_stores_the_decision_and_it_can_be_read_back(server: Server, db: Database) -> None:
    with server.client(key(db, "admin")) as c:
        r = c.post("/v1/screen", json=ITEM)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["action"] == "block"
        assert {
            "ad.absolute_term",
            "claim.medical",
            "claim.efficacy_guarantee",
            "pii.exposure",
        } <= {v["code"] for v in body["violations"]}
        got = c.get(f"/v1/decisions/{body['decision_id']}")
    assert got.status_code == 200
    read = got.json()
    assert read["violations"] == body["violations"]
    statement = read["statement"]  # blocked: a statement of reasons in the DSA layout
    assert statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert statement["category"] == "STATEMENT_CATEGORY_CONSUMER_INFORMATION"
    assert "Appeal" in statement["decision_facts"]
    assert read["policy_version"] == body["policy_version"]
    assert "13812345678" not in got.text and "13812345678" not in r.text


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "missing"),
        ({"Authorization": "Bearer sg_nope_nope"}, "unknown"),
        ({"Authorization": "Basic abc"}, "missing"),
    ],
)
def test_missing_or_bad_keys_get_401_problem(
    server: Server, db: Database, headers: dict[str, str], detail: str
) -> None:
    with server.client() as c:
        r = c.post("/v1/screen", json=ITEM, headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert detail in problem["detail"]
    assert stored(db) == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"id": "x", "kind": "listing"}, 422, "text"),
        ({"id": "x", "kind": "spaceship", "text": "hi"}, 422, "kind"),
        ({"id": "x", "kind": "listing", "text": "hi", "category": "rockets"}, 422, "category"),
        ({"id": "x", "kind": "listing", "text": "hi", "price": -1}, 422, "price"),
        (b"{not json", 400, None),
    ],
)
def test_bad_input_is_problem_json_and_stores_nothing(
    server: Server, db: Database, body: object, status: int, field: str | None
) -> None:
    with server.client(key(db, "admin")) as c:
        if isinstance(body, bytes):
            r = c.post("/v1/screen", content=body, headers={"Content-Type": "application/json"})
        else:
            r = c.post("/v1/screen", json=body)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == status
    if field:
        assert field in [e["field"] for e in problem["errors"]]
    assert "Traceback" not in r.text
    assert stored(db) == 0


def test_personal_data_in_bad_input_is_not_echoed(server: Server, db: Database) -> None:
    with server.client(key(db, "admin")) as c:
        r = c.post("/v1/screen", json={"id": "x", "kind": "listing", "text": 13812345678})
    assert r.status_code == 422
    assert "13812345678" not in r.text


def test_a_merchant_reads_only_its_own_decisions(server: Server, db: Database) -> None:
    with (
        server.client(key(db, "merchant", "shop-a")) as a,
        server.client(key(db, "merchant", "shop-b")) as b,
    ):
        decision_id = a.post("/v1/screen", json=ITEM).json()["decision_id"]
        assert a.get(f"/v1/decisions/{decision_id}").status_code == 200
        other = b.get(f"/v1/decisions/{decision_id}")
        assert other.status_code == 404
        assert other.headers["content-type"].startswith("application/problem+json")
        assert b.get("/v1/decisions/999999").status_code == 404


def test_revoked_key_stops_working(server: Server, db: Database) -> None:
    principal, k = auth.create_key(db, role="admin", subject=None, clock=SystemClock())
    auth.revoke_key(db, principal.key_id, clock=SystemClock())
    with server.client(k) as c:
        assert c.post("/v1/screen", json=ITEM).status_code == 401
