"""Every HTTP route against every role, through the real server on one shared world.

The table `ROUTES` classifies each route of the app: which roles reach it, and which of them
only for their own shop, creator account or order (DESIGN.md, "HTTP"). A route the table does not
list fails the test, so a new route must be classified before it ships. Each route is called as
each role on the role's own resource and on another shop's; a shop's key must never see another
shop's orders, decisions, violations, waybills or messages in any answer. Keys are stored hashed,
compared in constant time and revocable (the server caches no key here, so revocation is
immediate)."""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select, text

from shopguard.api import create_app
from shopguard.enforcement import subjects
from shopguard.enforcement.model import load_enforcement
from shopguard.platform import auth
from shopguard.platform.auth_store import api_keys
from shopguard.platform.clock import SystemClock
from shopguard.platform.config import Settings
from shopguard.platform.db import Database
from shopguard.platform.errors import Unauthenticated
from shopguard.privacy import monitor
from shopguard.privacy.model import load_privacy
from shopguard.runtime import Runtime
from shopguard.schema import metadata
from tests.conftest import PACK, PG_URL
from tests.support.processes import Server, cli_env, serving

ROLES = ("admin", "reviewer", "cs_agent", "merchant", "creator", "rights_holder", "consumer",
         "courier")  # fmt: skip
STAFF = "admin reviewer cs_agent"
YEAR = datetime.now(UTC).year


# The world: two shops (a, b) and a creator (c), each with distinctive markers that must never
# reach another subject's key.


@dataclass
class Side:
    """One subject's resources; `pools` hold single-use ones (an unshipped order, an open
    appeal), shared between sides that share a shop."""

    name: str
    subject: str
    shop: str
    order: int = 0
    waybill: str = ""
    number: str = ""
    decision: int = 0
    appeal: int = 0
    review_item: int = 0
    markers: set[str] = field(default_factory=set)
    pools: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class World:
    server: Server
    db: Database
    sides: dict[str, Side]
    keys: dict[str, str]  # role -> the clear key under test
    issued: list[str]  # every clear key made for this module (none may be stored)

    def own(self, role: str) -> Side:
        return self.sides["c" if role == "creator" else "a"]

    def other(self, role: str) -> Side:
        return self.sides["b"]


@dataclass
class Ctx:
    """What a request builder knows: the role, the side it targets and whether the table says
    the role reaches it (a pooled single-use resource is spent only by a call that reaches)."""

    role: str
    side: Side
    reaches: bool
    client: httpx.Client

    def take(self, pool: str) -> Any:
        items = self.side.pools[pool]
        return items.pop(0) if self.reaches and len(items) > 1 else items[0]


@dataclass(frozen=True)
class Call:
    path: str
    params: dict[str, Any] | None = None
    body: Any = None

    def sent(self) -> str:
        """What the caller sent, as the server may echo it back."""
        return self.path + json.dumps([self.params, self.body], ensure_ascii=False)


@dataclass(frozen=True)
class Access:
    """Who reaches a route: `anyone` on every subject's resources, `own` only on their own
    (another's answers 403 or 404), `filtered` answered with only their own whatever they ask."""

    anyone: frozenset[str] = frozenset()
    own: frozenset[str] = frozenset()
    filtered: frozenset[str] = frozenset()
    public: bool = False

    def reaches(self, role: str, mine: bool) -> bool:
        if self.public or role in self.anyone or role in self.filtered:
            return True
        return mine and role in self.own

    def roles(self) -> frozenset[str]:
        return self.anyone | self.own | self.filtered


def access(anyone: str = "", own: str = "", filtered: str = "") -> Access:
    return Access(frozenset(anyone.split()), frozenset(own.split()), frozenset(filtered.split()))


Builder = Callable[[Ctx], Call | None]


def order_body(side: Side) -> dict[str, Any]:
    """An order of the side's shop, to the shop's consumer."""
    shop = side.shop[-1]
    return {
        "merchant": side.shop, "product": f"{PRODUCTS[shop]} 茶叶", "amount_cents": 1999,
        "consignee": CONSIGNEES[shop], "promised_ship_at": "2030-01-01T12:00:00+08:00",
        "consumer": f"consumer-{shop}",
    }  # fmt: skip


def _claimed(c: Ctx) -> int:
    """An item leased to the caller when its role may claim one, else a queued item."""
    if c.reaches:
        got = c.client.post("/v1/review/claim", json={})
        if got.status_code == 200:
            return int(got.json()["id"])
    return c.side.review_item


def _purpose(role: str) -> str:
    return {"admin": "court_order", "cs_agent": "consumer_request"}.get(role, "print_waybill")


def _screen(c: Ctx) -> Call:
    item = {"id": f"item-{c.side.name}-{c.role}", "kind": "listing", "category": "food",
            "title": f"{PRODUCTS[c.side.name]} 红茶", "text": "高山茶园，手工采摘"}  # fmt: skip
    return Call("/v1/screen", body=item)


def _only_own(build: Builder) -> Builder:
    """A route with no "someone else's" variant (it acts for the caller or on no subject)."""
    return lambda c: build(c) if c.side.name != "b" else None


# The table: every route of the app, who reaches it, and how to call it on a side's resources.
ROUTES: dict[tuple[str, str], tuple[Access, Builder]] = {
    ("GET", "/v1/health"): (Access(public=True), _only_own(lambda c: Call("/v1/health"))),
    # Screening: staff, and shops and creators for their own items; decisions: staff or owner.
    ("POST", "/v1/screen"): (access(STAFF, "merchant creator"), _only_own(_screen)),
    ("GET", "/v1/decisions/{decision_id}"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/decisions/{c.side.decision}"),
    ),
    # Enforcement: subjects are staff's or their own; findings, queue and figures are staff's.
    ("POST", "/v1/subjects"): (
        access("admin"),
        _only_own(
            lambda c: Call(
                "/v1/subjects", body={"id": f"new-{c.role}", "type": "merchant", "name": "新店"}
            )
        ),  # fmt: skip
    ),
    ("POST", "/v1/violations"): (
        access("admin reviewer"),
        lambda c: Call(
            "/v1/violations",
            body={"subject": c.side.subject, "code": "claim.medical", "severity": "general"},
        ),  # fmt: skip
    ),
    ("GET", "/v1/subjects/{subject_id}/standing"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/subjects/{c.side.subject}/standing"),
    ),
    ("GET", "/v1/subjects/{subject_id}"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/subjects/{c.side.subject}"),
    ),
    ("GET", "/v1/subjects/{subject_id}/items"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/subjects/{c.side.subject}/items"),
    ),
    ("GET", "/v1/subjects/{subject_id}/violations"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/subjects/{c.side.subject}/violations"),
    ),
    ("POST", "/v1/appeals"): (
        access(own="merchant creator"),
        lambda c: Call(
            "/v1/appeals", body={"violation_id": c.take("appealable"), "reason": "样品并非本店所售"}
        ),  # fmt: skip
    ),
    ("GET", "/v1/appeals/{appeal_id}"): (
        access(STAFF, "merchant creator"),
        lambda c: Call(f"/v1/appeals/{c.side.appeal}"),
    ),
    ("POST", "/v1/appeals/{appeal_id}/decision"): (
        access("admin reviewer"),
        lambda c: Call(
            f"/v1/appeals/{c.take('open_appeals')}/decision",
            body={"uphold": False, "reason": "证据充分"},
        ),  # fmt: skip
    ),
    ("GET", "/v1/review"): (access("admin reviewer"), _only_own(lambda c: Call("/v1/review"))),
    ("POST", "/v1/review/claim"): (
        access("admin reviewer"),
        _only_own(lambda c: Call("/v1/review/claim", body={})),
    ),
    ("POST", "/v1/review/{item_id}/release"): (
        access("admin reviewer"),
        lambda c: Call(f"/v1/review/{_claimed(c)}/release"),
    ),
    ("POST", "/v1/review/{item_id}/decision"): (
        access("admin reviewer"),
        lambda c: Call(
            f"/v1/review/{_claimed(c)}/decision", body={"outcome": "overturn", "reason": "不成立"}
        ),  # fmt: skip
    ),
    ("POST", "/v1/review/sample"): (
        access("admin"),
        _only_own(
            lambda c: Call("/v1/review/sample", body={"day": datetime.now(UTC).date().isoformat()})
        ),  # fmt: skip
    ),
    ("GET", "/v1/metrics"): (
        access("admin reviewer"),
        _only_own(lambda c: Call("/v1/metrics", params={"year": YEAR})),
    ),
    # Orders and personal data: staff and the order's shop and consumer; reveals by purpose.
    ("POST", "/v1/orders"): (
        access("admin", "merchant"),
        lambda c: Call("/v1/orders", body=order_body(c.side)),
    ),
    ("POST", "/v1/orders/batch"): (
        access("admin", "merchant"),
        lambda c: Call("/v1/orders/batch", body={"orders": [order_body(c.side)] * 2}),
    ),
    ("GET", "/v1/orders"): (
        access(STAFF, "merchant", "consumer"),
        lambda c: Call(
            "/v1/orders", params={"merchant": c.side.shop} if c.side.name == "b" else {}
        ),
    ),
    ("GET", "/v1/orders/export"): (
        access("admin", "merchant"),
        lambda c: Call(
            "/v1/orders/export", params={"merchant": c.side.shop} if c.side.name == "b" else {}
        ),
    ),
    ("GET", "/v1/orders/{order_id}"): (
        access(STAFF, "merchant consumer"),
        lambda c: Call(f"/v1/orders/{c.side.order}"),
    ),
    ("POST", "/v1/orders/{order_id}/reveal"): (
        access("admin cs_agent", "merchant"),
        lambda c: Call(f"/v1/orders/{c.side.order}/reveal", body={"purpose": _purpose(c.role)}),
    ),
    ("POST", "/v1/orders/{order_id}/waybill"): (
        access("admin", "merchant"),
        lambda c: Call(f"/v1/orders/{c.take('unshipped')}/waybill"),
    ),
    ("GET", "/v1/waybills/{waybill_no}"): (
        access("admin cs_agent courier", "merchant"),
        lambda c: Call(f"/v1/waybills/{c.side.waybill}"),
    ),
    ("GET", "/v1/waybills/{waybill_no}/pdf"): (
        access("admin cs_agent courier", "merchant"),
        lambda c: Call(f"/v1/waybills/{c.side.waybill}/pdf"),
    ),
    ("POST", "/v1/waybills/{waybill_no}/delivered"): (
        access("admin courier"),
        lambda c: Call(f"/v1/waybills/{c.take('in_transit')}/delivered"),
    ),
    ("POST", "/v1/privacy-numbers/{number}/resolve"): (
        access("courier"),
        lambda c: Call(f"/v1/privacy-numbers/{c.side.number}/resolve"),
    ),
    ("POST", "/v1/orders/{order_id}/messages"): (
        access(own="merchant consumer"),
        lambda c: Call(f"/v1/orders/{c.side.order}/messages", body={"text": "请问何时发货"}),
    ),
    ("GET", "/v1/orders/{order_id}/messages"): (
        access(STAFF, "merchant consumer"),
        lambda c: Call(f"/v1/orders/{c.side.order}/messages"),
    ),
    ("GET", "/v1/privacy/locks"): (
        access("admin reviewer"),
        _only_own(lambda c: Call("/v1/privacy/locks")),
    ),
    ("POST", "/v1/privacy/locks/{lock_id}/release"): (
        access("admin"),
        lambda c: Call(f"/v1/privacy/locks/{c.take('locks')}/release", body={"reason": "结案"}),
    ),
}

# Which sides' markers each role must never see (staff see all; a courier sees every waybill).
FOREIGN = {"merchant": "bc", "creator": "ab", "consumer": "bc", "rights_holder": "abc",
           "courier": "c"}  # fmt: skip
PRODUCTS = {"a": "甲店专供", "b": "乙店专供", "c": "丙达人推荐"}
CONSIGNEES = {
    "a": {"name": "司徒雷", "phone": "13700001111",
          "address": {"province": "浙江省", "city": "杭州市", "district": "西湖区",
                      "detail": "文一路1号1幢1单元101室"}},
    "b": {"name": "欧阳修文", "phone": "13600002222",
          "address": {"province": "江苏省", "city": "南京市", "district": "玄武区",
                      "detail": "中山路2号2幢2单元202室"}},
}  # fmt: skip
SUBJECTS = {"a": ("shop-a", "merchant", "甲号小店"), "b": ("shop-b", "merchant", "乙号小店"),
            "c": ("creator-c", "creator", "丙号达人")}  # fmt: skip


# Fixtures: one server and one world for the module.


@pytest.fixture(scope="module")
def module_db_url(tmp_path_factory: pytest.TempPathFactory, _pg_engine: object) -> str:
    if PG_URL:
        tables = ", ".join(t.name for t in metadata.sorted_tables)
        with _pg_engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('isolation') / 'sg.db'}"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("isolation-data")


@pytest.fixture(scope="module")
def world(module_db_url: str, data_dir: Path) -> Iterator[World]:
    db = Database.open(module_db_url)
    env = {**cli_env(module_db_url, data_dir / "data"), "SHOPGUARD_KEY_CACHE_SECONDS": "0"}
    try:
        with serving(env, data_dir / "server.log") as server:
            yield _build(server, db)
    finally:
        db.close()


@pytest.fixture(scope="module")
def app_routes(world: World, module_db_url: str, data_dir: Path) -> set[tuple[str, str]]:
    """(method, path) of every APIRoute of the app as `shopguard serve` builds it."""
    settings = Settings(database_url=module_db_url, data_dir=data_dir / "data")
    rt = Runtime(settings=settings)
    interval = sys.getswitchinterval()
    try:
        app = create_app(rt)
    finally:  # create_app tunes the collector and the GIL for a server process, not this one
        gc.unfreeze()
        sys.setswitchinterval(interval)
        rt.db.close()
    found = {(m.upper(), path) for path, ops in app.openapi()["paths"].items() for m in ops}
    for route in app.routes:
        # Newer FastAPI keeps an included router's routes behind one entry of `app.routes`.
        nested = getattr(route, "effective_route_contexts", None)
        for r in nested() if nested else [route]:
            if isinstance(getattr(r, "original_route", r), APIRoute):
                found |= {(m, r.path) for m in r.methods or ()}
    return {(m, path) for m, path in found if path.startswith("/v1")}


def _build(server: Server, db: Database) -> World:
    clock = SystemClock()
    issued: list[str] = []

    def new_key(role: str, subject: str | None = None) -> str:
        secret = auth.create_key(db, role=role, subject=subject, clock=clock)[1]
        issued.append(secret)
        return secret

    def ok(r: httpx.Response, status: int = 200) -> Any:
        assert r.status_code == status, r.text
        return r.json()

    sides = {}
    for name, (subject, kind, title) in SUBJECTS.items():
        subjects.register_subject(db, subject, type=kind, name=title, clock=clock, actor="t")
        shop = subject if kind == "merchant" else "shop-a"
        sides[name] = Side(name, subject, shop, markers={subject, title, PRODUCTS[name]})
    admin = server.client(new_key("admin"))
    for name in "ab":
        side = sides[name]
        owner = server.client(new_key("merchant", side.subject))
        made = ok(owner.post("/v1/orders/batch", json={"orders": [order_body(side)] * 9}), 201)
        ids = [o["id"] for o in made["orders"]]
        side.order, side.pools["unshipped"] = ids[0], ids[6:]
        bills = [ok(owner.post(f"/v1/orders/{i}/waybill"), 201) for i in ids[:6]]
        side.waybill, side.number = bills[0]["waybill_no"], bills[0]["privacy_number"]["number"]
        side.pools["in_transit"] = [b["waybill_no"] for b in bills[1:]]
        masked = ok(owner.get(f"/v1/orders/{side.order}"))["consignee"]
        side.markers |= {f"consumer-{name}", masked["name"], masked["phone"], f"{name}店留言"}
        side.markers |= {b["waybill_no"] for b in bills} | {b["privacy_number"]["number"]
                                                             for b in bills}  # fmt: skip
        ok(owner.post(f"/v1/orders/{side.order}/messages", json={"text": f"{name}店留言：已发货"}),
           201)  # fmt: skip
        buyer = server.client(new_key("consumer", f"consumer-{name}"))
        ok(buyer.post(f"/v1/orders/{side.order}/messages", json={"text": "收到，谢谢"}), 201)
        owner.close()
        buyer.close()
    for name in "abc":
        side = sides[name]
        owner = server.client(new_key("creator" if name == "c" else "merchant", side.subject))
        item = {"id": f"item-{name}-1", "kind": "content" if name == "c" else "listing",
                "category": "supplements", "title": f"{PRODUCTS[name]} 鱼油",
                "text": "有效降血压，根治失眠"}  # fmt: skip
        side.decision = ok(owner.post("/v1/screen", json=item))["decision_id"]
        side.markers.add(f"item-{name}-")
        violations = [
            ok(admin.post("/v1/violations", json={"subject": side.subject, "code": "claim.medical",
                                                   "severity": "general"}), 201)["violation_id"]
            for _ in range(4)
        ]  # fmt: skip
        appeals = [
            ok(owner.post("/v1/appeals", json={"violation_id": v, "reason": f"{name}方申诉理由"}),
               201)["appeal_id"]
            for v in violations[:3]
        ]  # fmt: skip
        side.appeal, side.markers = appeals[0], side.markers | {f"{name}方申诉理由"}
        side.pools["open_appeals"], side.pools["appealable"] = appeals[1:], violations[3:]
        for _ in range(3):  # held for two reviewers: the queue the review routes work on
            ok(admin.post("/v1/violations", json={"subject": side.subject, "code": "goods.prohibited",
                                                   "severity": "egregious"}), 201)  # fmt: skip
        owner.close()
    queue = ok(admin.get("/v1/review"))["items"]
    privacy, enforcement_policy = load_privacy(PACK), load_enforcement(PACK)
    with db.transaction() as conn:
        locks = [
            monitor.lock(conn, auth.Principal(f"spare-{i}", auth.Role.COURIER), why="test",
                         now=clock.now(), policy=privacy, enforcement_policy=enforcement_policy)
            for i in range(4)
        ]  # fmt: skip
    for name, side in sides.items():
        side.review_item = next(i["id"] for i in queue if i["subject"] == side.subject)
        side.pools["locks"] = [lk["id"] for lk in locks[:2]] if name != "b" else [
            lk["id"] for lk in locks[2:]]  # fmt: skip
    admin.close()
    # The creator works through shop-a's orders and waybills (it may reach none of them).
    a, c = sides["a"], sides["c"]
    sides["c"] = replace(
        a, name="c", subject=c.subject, decision=c.decision, appeal=c.appeal,
        review_item=c.review_item, markers=c.markers,
        pools={**a.pools, "appealable": c.pools["appealable"]},
    )  # fmt: skip
    keys = {
        "admin": new_key("admin"), "reviewer": new_key("reviewer"),
        "cs_agent": new_key("cs_agent"), "merchant": new_key("merchant", "shop-a"),
        "creator": new_key("creator", "creator-c"), "rights_holder": new_key("rights_holder", "rh-1"),
        "consumer": new_key("consumer", "consumer-a"), "courier": new_key("courier"),
    }  # fmt: skip
    return World(server, db, sides, keys, issued)


# Checks.


def _text(r: httpx.Response) -> str:
    """The answer as text; a PDF through pdftotext."""
    if r.headers.get("content-type", "").startswith("application/pdf"):
        done = subprocess.run(
            ["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True
        )
        return done.stdout.decode()
    return r.text


def _call(client: httpx.Client, method: str, call: Call) -> httpx.Response:
    return client.request(method, call.path, params=call.params, json=call.body)


def _foreign(world: World, role: str, call: Call, r: httpx.Response) -> set[str]:
    """Markers of subjects the role may not see that the answer holds (and the caller did not
    send: an error may name the id it was asked for)."""
    sent = call.sent()
    body = _text(r)
    seen = set()
    for name in FOREIGN.get(role, ""):
        seen |= {m for m in world.sides[name].markers if m in body and m not in sent}
    return seen


def test_the_table_lists_every_route_of_the_app(app_routes: set[tuple[str, str]]) -> None:
    unlisted = app_routes - set(ROUTES)
    assert not unlisted, f"classify these routes in ROUTES: {sorted(unlisted)}"
    stale = set(ROUTES) - app_routes
    assert not stale, f"ROUTES lists routes the app no longer has: {sorted(stale)}"


def test_a_courier_reaches_waybills_and_privacy_numbers_only() -> None:
    for (_, path), (rule, _) in ROUTES.items():
        if "courier" in rule.roles():
            assert path.startswith("/v1/waybills/") or (
                path.startswith("/v1/privacy-numbers/") and path.endswith("/resolve")
            ), path


def test_each_role_reaches_only_what_it_may(world: World) -> None:
    failures: list[str] = []
    reached: dict[tuple[str, str], int] = {}
    for role in ROLES:
        with world.server.client(world.keys[role]) as client:
            for (method, path), (rule, build) in ROUTES.items():
                for side, mine in ((world.own(role), True), (world.other(role), False)):
                    reaches = rule.reaches(role, mine)
                    call = build(Ctx(role, side, reaches, client))
                    if call is None:
                        continue
                    r = _call(client, method, call)
                    where = f"{role} {method} {call.path} {call.params or ''} -> {r.status_code}"
                    if reaches and not 200 <= r.status_code < 300:
                        failures.append(f"{where}: expected 2xx: {r.text[:200]}")
                    if not reaches:
                        if r.status_code not in (403, 404):
                            failures.append(f"{where}: expected 403 or 404: {r.text[:200]}")
                        elif not r.headers["content-type"].startswith("application/problem+json"):
                            failures.append(f"{where}: not problem+json")
                    if leaked := _foreign(world, role, call, r):
                        failures.append(f"{where}: answer holds {sorted(leaked)}")
                    reached[(method, path)] = reached.get((method, path), 0) + (
                        200 <= r.status_code < 300
                    )
    assert not failures, "\n".join(failures)
    assert all(reached.values()), [k for k, v in reached.items() if not v]


def test_a_shops_key_lists_only_its_own_records(world: World) -> None:
    """The positive side of isolation: a shop's lists hold its records, and nobody else's."""
    a = world.sides["a"]
    with world.server.client(world.keys["merchant"]) as shop:
        orders = shop.get("/v1/orders", params={"limit": 500}).json()["orders"]
        assert orders and {o["merchant"] for o in orders} == {"shop-a"}
        export = shop.get("/v1/orders/export").text.splitlines()
        assert export and {json.loads(line)["merchant"] for line in export} == {"shop-a"}
        items = shop.get("/v1/subjects/shop-a/items").json()["items"]
        assert items and all(i["item_id"].startswith("item-a-") for i in items)
        violations = shop.get("/v1/subjects/shop-a/violations").json()["violations"]
        assert violations and {v["subject"] for v in violations} == {"shop-a"}
        messages = shop.get(f"/v1/orders/{a.order}/messages").json()["messages"]
        assert "a店留言：已发货" in [m["text"] for m in messages]
    with world.server.client(world.keys["consumer"]) as buyer:
        mine = buyer.get("/v1/orders", params={"merchant": "shop-b"}).json()["orders"]
        assert mine and {o["consumer"] for o in mine} == {"consumer-a"}
    # The scan that guards every answer above finds shop-b's records where they are.
    b = world.sides["b"]
    with world.server.client(world.keys["admin"]) as admin:
        for call in (
            Call("/v1/orders"),
            Call(f"/v1/waybills/{b.waybill}/pdf"),
            Call(f"/v1/orders/{b.order}/messages"),
            Call("/v1/subjects/shop-b/items"),
        ):
            seen = _foreign(world, "merchant", call, _call(admin, "GET", call))
            assert seen - {"shop-b"}, call  # fmt: skip


@pytest.mark.parametrize("role", ["consumer", "rights_holder"])
def test_a_key_that_carries_a_shops_id_does_not_act_for_the_shop(world: World, role: str) -> None:
    """Only merchant and creator keys act for a subject: a consumer's or rights holder's key
    whose subject happens to be a shop's id reaches none of the shop's records."""
    a = world.sides["a"]
    subject_key = auth.create_key(world.db, role=role, subject="shop-a", clock=SystemClock())[1]
    world.issued.append(subject_key)
    with world.server.client(subject_key) as client:
        for path in (f"/v1/subjects/shop-a{tail}" for tail in ("", "/standing", "/items",
                                                               "/violations")):  # fmt: skip
            assert client.get(path).status_code == 404, path
        assert client.get(f"/v1/decisions/{a.decision}").status_code == 404
        assert client.get(f"/v1/appeals/{a.appeal}").status_code == 404
        assert client.get(f"/v1/orders/{a.order}").status_code in (403, 404)
        assert client.get(f"/v1/waybills/{a.waybill}").status_code in (403, 404)
        assert client.post("/v1/screen", json={"id": "x", "kind": "listing", "text": "茶"}
                           ).status_code == 403  # fmt: skip
        assert client.post("/v1/appeals", json={"violation_id": 1, "reason": "x"}
                           ).status_code == 403  # fmt: skip


def test_missing_garbage_and_revoked_keys_get_401_everywhere(world: World) -> None:
    clock = SystemClock()
    principal, revoked = auth.create_key(world.db, role="admin", subject=None, clock=clock)
    world.issued.append(revoked)
    with world.server.client(revoked) as before:
        assert before.get("/v1/review").status_code == 200
    auth.revoke_key(world.db, principal.key_id, clock=clock)
    wrong = f"sg_{world.keys['admin'].split('_')[1]}_{'x' * 43}"  # a real key id, a bad secret
    headers: list[dict[str, str]] = [
        {}, {"Authorization": "Bearer"}, {"Authorization": "Bearer garbage"},
        {"Authorization": f"Basic {world.keys['admin']}"}, {"Authorization": f"Bearer {wrong}"},
        {"Authorization": f"Bearer {revoked}"},
    ]  # fmt: skip
    failures = []
    with world.server.client() as anon:
        for (method, path), (rule, build) in ROUTES.items():
            if rule.public:
                continue
            call = build(Ctx("admin", world.own("admin"), False, anon))
            assert call is not None
            for h in headers:
                r = anon.request(method, call.path, params=call.params, json=call.body, headers=h)
                if r.status_code != 401 or not r.headers["content-type"].startswith(
                    "application/problem+json"
                ):
                    failures.append(f"{method} {path} {h}: {r.status_code} {r.text[:120]}")
    assert not failures, "\n".join(failures)


def test_keys_are_stored_hashed_and_compared_in_constant_time(world: World) -> None:
    with world.db.engine.connect() as conn:
        rows = {r["key_id"]: dict(r) for r in conn.execute(select(api_keys)).mappings()}
        everything = "\n".join(
            str(v) for table in metadata.sorted_tables for row in conn.execute(select(table))
            for v in row
        )  # fmt: skip
    assert len(world.issued) >= len(ROLES)
    for issued in world.issued:
        _, key_id, secret = issued.split("_", 2)
        assert rows[key_id]["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in everything and issued not in everything
    # The secret's digest is compared with hmac.compare_digest, for good keys and bad ones.
    authenticator = auth.Authenticator(world.db, cache_seconds=0)
    good = world.keys["reviewer"]
    bad = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    with mock.patch.object(hmac, "compare_digest", wraps=hmac.compare_digest) as spy:
        assert authenticator.authenticate(good).role is auth.Role.REVIEWER
        with pytest.raises(Unauthenticated):
            authenticator.authenticate(bad)
    assert spy.call_count == 2
