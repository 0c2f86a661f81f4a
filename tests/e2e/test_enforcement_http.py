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
        assert r.json()["state"] == "pending"  # egregious: held until two reviewers agree
        assert r.json()["sanctions"] == []
    violation_id = r_violation.json()["violation_id"]
    first_key, second_key = key(db, "reviewer"), key(db, "reviewer")
    with server.client(first_key) as first:
        item = first.post("/v1/review/claim", json={"why": "egregious"}).json()
        assert item["violation_id"] == violation_id
        assert item["context"]["evidence"] == []
        done = first.post(
            f"/v1/review/{item['id']}/decision",
            json={"outcome": "confirm", "reason": "lab report no. 7 shows sibutramine"},
        )
        assert done.json()["state"] == "second"
        again = first.post("/v1/review/claim", json={"why": "egregious"})
        assert again.status_code == 204  # a second review must be someone else's
    with server.client(merchant_key) as shop:
        assert not shop.get("/v1/subjects/shop-9/standing").json()["blocked"]
    with server.client(second_key) as second:
        item = second.post("/v1/review/claim", json={"why": "egregious"}).json()
        done = second.post(
            f"/v1/review/{item['id']}/decision",
            json={"outcome": "confirm", "reason": "agree: report attached"},
        ).json()
        assert done["state"] == "decided"
        assert done["sanctions"] == ["suspension"]
    with server.client(merchant_key) as shop:
        r = shop.post("/v1/screen", json={**GOOD, "id": "good-1"})
        body = r.json()
        assert body["action"] == "block"
        assert body["violations"] == []
        assert body["standing"]["blocked_by"] == "suspension"
        held = shop.get(f"/v1/decisions/{body['decision_id']}").json()
        assert held["status"] == "blocked"
        assert held["statement"]["decision_visibility"]
        blocked_decision = body["decision_id"]
        mine = shop.get("/v1/subjects/shop-9/violations").json()["violations"]
        assert [v["state"] for v in mine] == ["in_force"] * 5
    # The merchant appeals the finding that suspended it; the reviewers who confirmed it may
    # not decide, a third reviewer upholds: standing returns to 24 points, the blocked listing
    # is restored and listing works again.
    with server.client(merchant_key) as shop:
        filed = shop.post(
            "/v1/appeals", json={"violation_id": violation_id, "reason": "lab sample was not ours"}
        )
        assert filed.status_code == 201
        appeal_id = filed.json()["appeal_id"]
        again = shop.post("/v1/appeals", json={"violation_id": violation_id, "reason": "again"})
        assert again.status_code == 409
    for involved in (reviewer_key, first_key, second_key):
        with server.client(involved) as same:
            own = same.post(
                f"/v1/appeals/{appeal_id}/decision", json={"uphold": True, "reason": "mine"}
            )
            assert own.status_code == 403
    with server.client(key(db, "reviewer")) as third:
        decided = third.post(
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
        restored = shop.get(f"/v1/decisions/{blocked_decision}").json()
        assert restored["status"] == "restored"
        assert shop.get(f"/v1/appeals/{appeal_id}").json()["state"] == "upheld"
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
        recorded = reviewer.post(
            "/v1/violations",
            json={"subject": "shop-b", "code": "claim.medical", "severity": "serious"},
        ).json()
    with server.client(key(db, "merchant", "shop-a")) as shop_a:
        assert shop_a.get("/v1/subjects/shop-b/violations").status_code == 404
        theirs = shop_a.post(
            "/v1/appeals", json={"violation_id": recorded["violation_id"], "reason": "x"}
        )
        assert theirs.status_code == 404
        assert shop_a.post("/v1/review/claim", json={}).status_code == 403
    with server.client(key(db, "merchant", "shop-b")) as shop_b:
        own = shop_b.get("/v1/subjects/shop-b/violations").json()["violations"]
        assert [(v["code"], v["state"]) for v in own] == [("claim.medical", "in_force")]
