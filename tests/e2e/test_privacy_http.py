"""Orders, reveals, waybills and privacy numbers through the real server: masked by role, clear
only for the consumer and a purposeful reveal, bad input answered with problem+json that quotes
no personal data and stores nothing; and a production server that will not start keyless."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shopguard.enforcement import subjects
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.privacy import store
from shopguard.privacy.vault import vault_records
from tests.e2e.conftest import key
from tests.support.processes import Server, cli_env, serving

PHONE = "13698761234"
NAME = "诸葛晓明"
DETAIL = "科技园南路18号软件产业基地4栋B座1203室"


def order(shop: str = "shop-1", **over: Any) -> dict[str, Any]:
    body = {
        "merchant": shop, "product": "蓝牙耳机", "amount_cents": 19900,
        "consignee": {"name": NAME, "phone": f"+86 {PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
                      "address": {"province": "广东省", "city": "深圳市", "district": "南山区",
                                  "detail": DETAIL}},
        "promised_ship_at": "2026-12-06T12:00:00+08:00", "consumer": "consumer-9",
    }  # fmt: skip
    body.update(over)
    return body


@pytest.fixture
def shop(db: Database, server: Server) -> Iterator[dict[str, httpx.Client]]:
    for s in ("shop-1", "shop-2"):
        subjects.register_subject(db, s, type="merchant", name=s, clock=SystemClock(), actor="t")
    clients = {
        "shop": server.client(key(db, "merchant", "shop-1")),
        "other": server.client(key(db, "merchant", "shop-2")),
        "buyer": server.client(key(db, "consumer", "consumer-9")),
        "courier": server.client(key(db, "courier")),
        "cs": server.client(key(db, "cs_agent")),
        "admin": server.client(key(db, "admin")),
    }
    yield clients
    for c in clients.values():
        c.close()


def _count(db: Database, table: Any) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert PHONE not in r.text and NAME not in r.text and DETAIL not in r.text
    body: dict[str, Any] = r.json()
    return body


def test_an_order_is_masked_for_the_shop_clear_for_its_consumer_and_revealed_with_purpose(
    db: Database, shop: dict[str, httpx.Client]
) -> None:
    created = shop["shop"].post("/v1/orders", json=order())
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["consignee"] == {
        "name": "诸葛*", "phone": "136****1234", "address": "广东省深圳市南山区****", "masked": True
    }  # fmt: skip
    oid = view["id"]
    assert shop["shop"].get(f"/v1/orders/{oid}").json()["consignee"]["masked"] is True
    mine = shop["buyer"].get(f"/v1/orders/{oid}").json()["consignee"]
    assert (mine["name"], mine["phone"], mine["address"]["detail"]) == (NAME, PHONE, DETAIL)
    _problem(shop["other"].get(f"/v1/orders/{oid}"), 404)
    _problem(shop["courier"].get(f"/v1/orders/{oid}"), 403)
    listing = shop["shop"].get("/v1/orders", params={"limit": 10}).json()
    assert [o["id"] for o in listing["orders"]] == [oid] and PHONE not in str(listing)
    assert shop["other"].get("/v1/orders").json()["orders"] == []
    export = shop["shop"].get("/v1/orders/export")
    assert export.status_code == 200 and PHONE not in export.text and "136****1234" in export.text

    refused = _problem(shop["shop"].post(f"/v1/orders/{oid}/reveal", json={"purpose": "fun"}), 422)
    assert refused["errors"][0]["field"] == "purpose"
    _problem(shop["shop"].post(f"/v1/orders/{oid}/reveal", json={"purpose": "court_order"}), 403)
    revealed = shop["shop"].post(f"/v1/orders/{oid}/reveal", json={"purpose": "print_waybill"})
    assert revealed.status_code == 200 and revealed.json()["consignee"]["phone"] == PHONE
    with db.engine.connect() as conn:
        outcomes = list(conn.execute(select(store.pii_access.c.outcome)).scalars())
    assert outcomes == ["granted", "refused", "refused", "granted"]  # the export counts too


def test_bad_orders_are_refused_with_the_field_named_and_nothing_stored(
    db: Database, shop: dict[str, httpx.Client]
) -> None:
    bad_phone = order()
    bad_phone["consignee"] = {**bad_phone["consignee"], "phone": PHONE + "x"}
    body = _problem(shop["shop"].post("/v1/orders", json=bad_phone), 422)
    assert body["errors"][0]["field"] == "consignee.phone"
    bad_address = order()
    bad_address["consignee"] = {**bad_address["consignee"], "address": {"detail": DETAIL}}
    body = _problem(shop["shop"].post("/v1/orders", json=bad_address), 422)
    assert any(e["field"].startswith("consignee.address") for e in body["errors"])
    broken = f'{{"merchant": "shop-1", "consignee": {{"phone": "{PHONE}"'
    _problem(shop["shop"].post("/v1/orders", content=broken.encode()), 400)
    _problem(shop["shop"].post("/v1/orders", json=order(amount_cents=-5)), 422)
    _problem(shop["shop"].post("/v1/orders", json=order(promised_ship_at="tomorrow")), 422)
    _problem(shop["shop"].post("/v1/orders", json=order("shop-2")), 403)
    batch = {"orders": [order(), order(), bad_phone]}
    body = _problem(shop["shop"].post("/v1/orders/batch", json=batch), 422)
    assert body["detail"].startswith("line 3: consignee.phone")
    assert _count(db, store.orders) == 0 and _count(db, vault_records) == 0
    typed = shop["shop"].post("/v1/orders", json=order(product=f"耳机 售后 {PHONE}"))
    assert typed.status_code == 201 and typed.json()["product"] == "耳机 售后 136****1234"
    assert _count(db, store.orders) == 1
    ok = shop["shop"].post("/v1/orders/batch", json={"orders": [order(), order()]})
    assert ok.status_code == 201 and len(ok.json()["orders"]) == 2
    assert _count(db, store.orders) == 3 and _count(db, vault_records) == 3


def test_reveals_beyond_the_rate_limit_get_429(shop: dict[str, httpx.Client]) -> None:
    oid = shop["shop"].post("/v1/orders", json=order()).json()["id"]
    answers = [
        shop["cs"].post(f"/v1/orders/{oid}/reveal", json={"purpose": "consumer_request"})
        for _ in range(21)
    ]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    _problem(answers[20], 429)


def test_a_waybill_is_masked_printable_and_its_privacy_number_reaches_only_couriers(
    shop: dict[str, httpx.Client],
) -> None:
    oid = shop["shop"].post("/v1/orders", json=order()).json()["id"]
    _problem(shop["courier"].post(f"/v1/orders/{oid}/waybill"), 403)
    made = shop["shop"].post(f"/v1/orders/{oid}/waybill")
    assert made.status_code == 201, made.text
    doc = made.json()
    assert PHONE not in made.text and NAME not in made.text and "1203" not in made.text
    number = doc["privacy_number"]["number"]
    assert doc["receiver"]["phone"] == number
    _problem(shop["shop"].post(f"/v1/orders/{oid}/waybill"), 409)
    no = doc["waybill_no"]
    assert shop["courier"].get(f"/v1/waybills/{no}").json()["waybill_no"] == no
    _problem(shop["other"].get(f"/v1/waybills/{no}"), 404)
    pdf = shop["courier"].get(f"/v1/waybills/{no}/pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    _problem(shop["shop"].post(f"/v1/privacy-numbers/{number}/resolve"), 403)
    call = shop["courier"].post(f"/v1/privacy-numbers/{number}/resolve")
    assert call.status_code == 200 and call.json()["phone"] == PHONE
    _problem(shop["courier"].post("/v1/privacy-numbers/95013000000-0000/resolve"), 404)
    done = shop["courier"].post(f"/v1/waybills/{no}/delivered")
    assert done.status_code == 200 and done.json()["privacy_number_expires_at"]
    assert shop["shop"].get(f"/v1/orders/{oid}").json()["status"] == "delivered"
    assert shop["courier"].get(f"/v1/waybills/{no}").json()["privacy_number"]["expires_at"]


def test_a_shops_message_with_a_phone_is_redacted_and_recorded(
    shop: dict[str, httpx.Client],
) -> None:
    oid = shop["shop"].post("/v1/orders", json=order()).json()["id"]
    sent = shop["shop"].post(f"/v1/orders/{oid}/messages", json={"text": f"有事打我 {PHONE}"})
    assert sent.status_code == 201 and PHONE not in sent.text and sent.json()["violation_id"]
    got = shop["buyer"].get(f"/v1/orders/{oid}/messages").json()["messages"]
    assert [m["text"] for m in got] == ["有事[已屏蔽]"]  # the whole ask to call off-platform
    _problem(shop["other"].post(f"/v1/orders/{oid}/messages", json={"text": "hi"}), 404)
    _problem(shop["shop"].post(f"/v1/orders/{oid}/messages", json={"text": " "}), 422)


def test_production_refuses_to_start_without_a_master_key(db_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**cli_env(db_url, data), "SHOPGUARD_ENV": "production"}
    done = subprocess.run(
        [sys.executable, "-m", "shopguard", "serve", "--port", "1"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "production mode needs a master key" in done.stderr
    assert not (data / "vault.key").exists()
    env["SHOPGUARD_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    with serving(env, tmp_path / "server.log") as srv:
        assert httpx.get(srv.base + "/v1/health").status_code == 200
    assert env["SHOPGUARD_MASTER_KEY"] not in (tmp_path / "server.log").read_text()
