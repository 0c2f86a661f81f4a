"""A merchant's screened listings accumulate violations until it is suspended (real HTTP)."""

from __future__ import annotations

from shopguard.platform import audit
from shopguard.platform.db import Database
from tests.e2e.conftest import key
from tests.support.processes import Server

BAD = {
    "kind": "listing",
    "category": "supplements",
    "title": "深海鱼油",
    "text": "有效降血压，根治失眠",
}
GOOD = {"kind": "listing", "category": "food", "title": "云南红茶", "text": "高山茶园，手工采摘"}


def test_merchant_is_suspended_and_its_next_listing_is_blocked_with_the_reason(
    server: Server, db: Database
) -> None:
    with server.client(key(db, "admin")) as admin:
        assert (
            admin.post(
                "/v1/subjects", json={"id": "shop-9", "type": "merchant", "name": "保健小店"}
            ).status_code
            == 201
        )
    merchant_key = key(db, "merchant", "shop-9")
    reviewer_key = key(db, "reviewer")
    with server.client(merchant_key) as shop:
        for i in range(4):  # each block: medical claim (serious, 6 points) -> 24 points
            r = shop.post("/v1/screen", json={**BAD, "id": f"bad-{i}"})
            assert r.json()["action"] == "block"
        standing = shop.get("/v1/subjects/shop-9/standing").json()
        assert standing["points"] == {"general": 24}
        assert not standing["blocked"]
    with server.client(reviewer_key) as reviewer:
        r_violation = r = reviewer.post(
            "/v1/violations",
            json={
                "subject": "shop-9",
                "code": "claim.medical",
                "severity": "egregious",
                "source": "lab",
            },
        )
        assert r.status_code == 201
        assert r.json()["sanctions"] == ["suspension"]
    with server.client(merchant_key) as shop:
        r = shop.post("/v1/screen", json={**GOOD, "id": "good-1"})
        body = r.json()
        assert body["action"] == "block"
        assert body["violations"] == []
        assert body["standing"]["blocked_by"] == "suspension"
    # The merchant appeals the finding that suspended it; the reviewer who made it may not
    # decide, a second reviewer upholds: standing returns to 24 points and listing works again.
    violation_id = r_violation.json()["violation_id"]
    with server.client(merchant_key) as shop:
        filed = shop.post(
            "/v1/appeals", json={"violation_id": violation_id, "reason": "lab sample was not ours"}
        )
        assert filed.status_code == 201
        appeal_id = filed.json()["appeal_id"]
        again = shop.post("/v1/appeals", json={"violation_id": violation_id, "reason": "again"})
        assert again.status_code == 409
    with server.client(reviewer_key) as same:
        own = same.post(
            f"/v1/appeals/{appeal_id}/decision", json={"uphold": True, "reason": "mine"}
        )
        assert own.status_code == 403
    with server.client(key(db, "reviewer")) as second:
        decided = second.post(
            f"/v1/appeals/{appeal_id}/decision",
            json={"uphold": True, "reason": "sample mix-up confirmed"},
        )
        assert decided.status_code == 200
        assert decided.json()["state"] == "upheld"
    with server.client(merchant_key) as shop:
        standing = shop.get("/v1/subjects/shop-9/standing").json()
        assert standing == {
            "subject": "shop-9",
            "points": {"general": 24},
            "blocked": False,
            "sanctions": standing["sanctions"],
        }
        assert "suspension" not in [s["sanction"] for s in standing["sanctions"]]
        assert shop.post("/v1/screen", json={**GOOD, "id": "good-2"}).json()["action"] == "allow"
    with db.engine.connect() as conn:
        assert audit.verify(conn).ok


def test_roles_and_scopes_are_enforced(server: Server, db: Database) -> None:
    with server.client(key(db, "admin")) as admin:
        admin.post("/v1/subjects", json={"id": "shop-a", "type": "merchant", "name": "A"})
        admin.post("/v1/subjects", json={"id": "shop-b", "type": "merchant", "name": "B"})
        dup = admin.post("/v1/subjects", json={"id": "shop-a", "type": "merchant", "name": "A"})
        assert dup.status_code == 409
        bad = admin.post("/v1/subjects", json={"id": "x", "type": "alien", "name": "X"})
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
    with server.client(key(db, "merchant", "shop-a")) as shop_a:
        assert shop_a.get("/v1/subjects/shop-b/standing").status_code == 404
        forbidden = shop_a.post(
            "/v1/violations",
            json={"subject": "shop-b", "code": "claim.medical", "severity": "serious"},
        )
        assert forbidden.status_code == 403
    with server.client(key(db, "reviewer")) as reviewer:
        missing = reviewer.post(
            "/v1/violations",
            json={"subject": "nobody", "code": "claim.medical", "severity": "serious"},
        )
        assert missing.status_code == 404
        assert reviewer.get("/v1/subjects/shop-b/standing").json()["points"] == {}
