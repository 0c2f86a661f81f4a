"""A merchant's screened listings accumulate violations until it is suspended (real HTTP)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from shopguard.platform import audit
from shopguard.platform.db import Database
from tests.e2e.conftest import key
from tests.support.processes import Server, cli_env, run_cli

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


def test_the_merchant_journey_from_screened_listings_to_restored_standing(
    server: Server, db: Database, db_url: str, tmp_path: Path
) -> None:
    """Screened listings alone suspend a shop; its next listing is blocked with the reason; it
    appeals the violation that crossed the step; a second reviewer upholds; standing and the
    listing come back; the audit chain verifies, and one edited row breaks it."""
    with server.client(key(db, "admin")) as admin:
        admin.post("/v1/subjects", json={"id": "shop-j", "type": "merchant", "name": "鱼油店"})
    merchant_key = key(db, "merchant", "shop-j")
    with server.client(merchant_key) as shop:
        for i in range(8):  # 6 points each: warning 12, restriction 24, downrank 36, suspension 48
            assert shop.post("/v1/screen", json={**BAD, "id": f"b{i}"}).json()["action"] == "block"
        standing = shop.get("/v1/subjects/shop-j/standing").json()
        assert standing["blocked"]
        assert standing["points"] == {"general": 48}
        blocked = shop.post("/v1/screen", json={**GOOD, "id": "next"}).json()
        assert blocked["action"] == "block"
        assert blocked["standing"]["reason"] == "shop-j is under suspension"
        last = shop.get("/v1/subjects/shop-j/violations").json()["violations"][-1]
        filed = shop.post(
            "/v1/appeals", json={"violation_id": last["id"], "reason": "新配方已去掉功效宣称"}
        )
        assert filed.status_code == 201
        assert shop.get("/v1/subjects/shop-j/standing").json()["blocked"]  # in force meanwhile
    with server.client(key(db, "reviewer")) as second:
        decided = second.post(
            f"/v1/appeals/{filed.json()['appeal_id']}/decision",
            json={"uphold": True, "reason": "the listing was already corrected"},
        )
        assert decided.json()["within_sla"]
    with server.client(merchant_key) as shop:
        standing = shop.get("/v1/subjects/shop-j/standing").json()
        assert standing["points"] == {"general": 42}
        assert not standing["blocked"]
        assert shop.get(f"/v1/decisions/{blocked['decision_id']}").json()["status"] == "restored"
        assert shop.post("/v1/screen", json={**GOOD, "id": "after"}).json()["action"] == "allow"
        assert shop.get("/v1/subjects/shop-j").json()["name"] == "鱼油店"
        listed = shop.get("/v1/subjects/shop-j/items").json()["items"]
        assert [(i["item_id"], i["status"]) for i in listed[:2]] == [
            ("after", "published"),
            ("next", "restored"),
        ]
    env = cli_env(db_url, tmp_path / "cli")
    assert run_cli(["audit", "verify"], env=env).returncode == 0
    with db.transaction() as conn:
        conn.execute(text("UPDATE audit_log SET reason = 'nothing happened' WHERE id = 5"))
    broken = run_cli(["audit", "verify"], env=env)
    assert broken.returncode == 1
    assert "entry 5" in broken.stdout


def test_bad_requests_get_problem_json_and_change_nothing(server: Server, db: Database) -> None:
    with server.client(key(db, "admin")) as admin:
        for sid in ("shop-x", "shop-y"):
            admin.post("/v1/subjects", json={"id": sid, "type": "merchant", "name": sid})
    reviewer_key = key(db, "reviewer")
    with server.client(reviewer_key) as reviewer:
        recorded = reviewer.post(
            "/v1/violations",
            json={"subject": "shop-x", "code": "claim.medical", "severity": "serious"},
        ).json()
    with server.client(key(db, "merchant", "shop-x")) as shop:
        appealed = shop.post(
            "/v1/appeals", json={"violation_id": recorded["violation_id"], "reason": "no"}
        ).json()

    def state() -> tuple[int, ...]:
        with db.engine.connect() as conn:
            return tuple(
                int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())  # noqa: S608
                for t in ("audit_log", "violations", "ledger", "appeals", "review_items")
            )

    other_key = key(db, "merchant", "shop-y")
    before = state()
    cases = [
        (reviewer_key, "/v1/violations", {"subject": "ghost", "code": "claim.medical",
                                          "severity": "serious"}, 404),
        (reviewer_key, "/v1/violations", {"subject": "shop-x", "code": "made.up",
                                          "severity": "serious"}, 422),
        (reviewer_key, "/v1/violations", {"subject": "shop-x", "code": "claim.medical",
                                          "severity": "awful"}, 422),
        (reviewer_key, f"/v1/appeals/{appealed['appeal_id']}/decision",
         {"uphold": True, "reason": "my own"}, 403),
        (reviewer_key, "/v1/review/999/decision", {"outcome": "confirm", "reason": "x"}, 404),
        (other_key, "/v1/appeals",
         {"violation_id": recorded["violation_id"], "reason": "not mine"}, 404),
        (other_key, "/v1/appeals", {"reason": "which one?"}, 422),
    ]  # fmt: skip
    for who, path, body, status in cases:
        with server.client(who) as client:
            r = client.post(path, json=body)
            assert r.status_code == status, (path, body, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert {"type", "title", "status", "detail"} <= set(r.json())
    with server.client(other_key) as other:
        r = other.get("/v1/subjects/shop-x/violations")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
    assert state() == before
