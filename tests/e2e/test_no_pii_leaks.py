"""No personal data in clear outside the vault: the main flows are driven with known consignees
(names, phones, addresses, ID numbers) through the real server and the real CLI, and everything
they leave behind is scanned: the server's log, every CLI output, every answer and error body,
every file the run wrote (the SQLite database among them) and every cell of every table. The
only answers that may hold clear data are a granted reveal and a courier's privacy-number call;
they are set aside, and the scanner is shown to find the data in them."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from shopguard.enforcement import subjects
from shopguard.platform.clock import SystemClock
from shopguard.platform.db import Database
from shopguard.text.pii import id_check_char
from tests.e2e.conftest import key
from tests.support.processes import Server, cli_env, run_cli
from tests.support.scan import stored_text


@dataclass(frozen=True)
class Person:
    name: str
    given: str  # the name without its surname: no mask keeps it
    phone: str
    detail: str
    private: tuple[str, ...]  # building, unit and room: no mask keeps them (the road may stay)
    id_number: str


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


ALICE = Person("司马青云", "青云", "13987654321", "翠微路88号7栋3单元1102室",
               ("7栋3单元", "1102室"), _id("11010519491231002"))  # fmt: skip
BOB = Person("欧阳春晓", "春晓", "15823456789", "深南大道1001号华润大厦B座2305室",
             ("B座2305", "2305室"), _id("44030419850715301"))  # fmt: skip
PEOPLE = (ALICE, BOB)
YEAR = datetime.now(UTC).year


def _consignee(p: Person, phone: str | None = None) -> dict[str, Any]:
    return {"name": p.name, "phone": phone or p.phone,
            "address": {"province": "北京市", "city": "北京市", "district": "海淀区",
                        "detail": p.detail}}  # fmt: skip


def _order(p: Person, shop: str = "shop-p", **over: Any) -> dict[str, Any]:
    body = {"merchant": shop, "product": "云南普洱", "amount_cents": 12800,
            "consignee": _consignee(p), "promised_ship_at": "2030-01-01T12:00:00+08:00",
            "consumer": "consumer-p"}  # fmt: skip
    return {**body, **over}


def _spaced(value: str) -> str:
    """`value` with a space or dash allowed between any two characters (139-8765-4321)."""
    return r"[\s\-]?".join(re.escape(ch) for ch in value)


def _words(*values: str) -> str:
    """Each value as written and as JSON escapes it (\\u53f8...), for stores that escape."""
    forms = {v for value in values for v in (value, json.dumps(value)[1:-1])}
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


PATTERNS = {
    f"{p.name}/{kind}": re.compile(pattern, re.IGNORECASE)
    for p in PEOPLE
    for kind, pattern in (
        ("name", _words(p.name, p.given)),
        ("phone", _spaced(p.phone)),
        ("address", _words(p.detail, *p.private)),
        ("id_number", _spaced(p.id_number)),
    )
}


def found(text: str) -> set[str]:
    """Which clear values `text` holds."""
    return {what for what, pattern in PATTERNS.items() if pattern.search(text)}


class Collector:
    """Everything the run shows anyone, by where it came from."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def response(self, r: httpx.Response) -> httpx.Response:
        where = f"{r.request.method} {r.request.url.path} -> {r.status_code}"
        self.add(where, _text(r))
        self.add(f"{where} (headers)", str(dict(r.headers)))
        return r

    def cli(self, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        done = run_cli(args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        self.add(f"shopguard {' '.join(args)} (stdout)", done.stdout)
        self.add(f"shopguard {' '.join(args)} (stderr)", done.stderr)
        return done

    def leaks(self) -> list[str]:
        return [f"{where}: {sorted(what)}" for where, text in self.texts if (what := found(text))]


def _text(r: httpx.Response) -> str:
    if r.headers.get("content-type", "").startswith("application/pdf"):
        out = subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True,
                             check=True)  # fmt: skip
        return out.stdout.decode()
    return r.text


def _files(root: Path) -> list[tuple[str, str]]:
    """Every file under `root` (the SQLite database and its journal, the data folder, the
    server's log, written reports) as text, decoded leniently."""
    return [
        (str(p.relative_to(root)), p.read_bytes().decode("utf-8", "ignore"))
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]


def test_no_personal_data_in_logs_errors_exports_or_the_store(
    server: Server, db: Database, db_url: str, tmp_path: Path
) -> None:
    clock = SystemClock()
    for shop in ("shop-p", "shop-q"):
        subjects.register_subject(db, shop, type="merchant", name=shop, clock=clock, actor="t")
    seen = Collector()
    shop = server.client(key(db, "merchant", "shop-p"))
    buyer = server.client(key(db, "consumer", "consumer-p"))
    courier = server.client(key(db, "courier"))
    cs = server.client(key(db, "cs_agent"))
    admin = server.client(key(db, "admin"))
    reviewer = server.client(key(db, "reviewer"))
    call = seen.response

    # Orders: one, a batch, with the phone in its other written forms.
    one = call(shop.post("/v1/orders", json=_order(ALICE, consignee=_consignee(
        ALICE, "+86 139-8765-4321"))))  # fmt: skip
    assert one.status_code == 201, one.text
    oid = one.json()["id"]
    batch = call(shop.post("/v1/orders/batch", json={"orders": [
        _order(BOB, consignee=_consignee(BOB, "158 2345 6789")), _order(ALICE)]}))  # fmt: skip
    assert batch.status_code == 201, batch.text
    bob_oid = batch.json()["orders"][0]["id"]
    for client in (shop, admin, cs):
        assert call(client.get("/v1/orders")).status_code == 200
        call(client.get(f"/v1/orders/{oid}"))
    assert call(shop.get("/v1/orders/export")).status_code == 200
    assert call(admin.get("/v1/orders/export", params={"merchant": "shop-p"})).status_code == 200

    # Waybills: with a privacy number, and with the phone masked on the label.
    made = call(shop.post(f"/v1/orders/{oid}/waybill"))
    assert made.status_code == 201, made.text
    plain = call(shop.post(f"/v1/orders/{bob_oid}/waybill", json={"privacy_number": False}))
    assert plain.status_code == 201, plain.text
    for doc in (made.json(), plain.json()):
        for client in (shop, courier, cs):
            assert call(client.get(f"/v1/waybills/{doc['waybill_no']}")).status_code == 200
            pdf = call(client.get(f"/v1/waybills/{doc['waybill_no']}/pdf"))
            assert pdf.headers["content-type"] == "application/pdf"
    number = made.json()["privacy_number"]["number"]

    # Reveals: refused ones are answered and logged without the data; a granted one is the one
    # answer that holds it (set aside, but the scanner must find the data there).
    assert call(shop.post(f"/v1/orders/{oid}/reveal", json={"purpose": "fun"})).status_code == 422
    refused = call(shop.post(f"/v1/orders/{oid}/reveal", json={"purpose": "court_order"}))
    assert refused.status_code == 403
    granted = shop.post(f"/v1/orders/{oid}/reveal", json={"purpose": "print_waybill"})
    assert granted.status_code == 200
    assert {"司马青云/name", "司马青云/phone", "司马青云/address"} <= found(granted.text)
    resolved = courier.post(f"/v1/privacy-numbers/{number}/resolve")
    assert resolved.status_code == 200 and found(resolved.text) == {"司马青云/phone"}
    call(shop.post(f"/v1/privacy-numbers/{number}/resolve"))
    assert call(courier.post(f"/v1/waybills/{made.json()['waybill_no']}/delivered")).is_success

    # Messages: a shop writes the consumer's phone and ID number, the consumer their own.
    leak = f"您的电话{ALICE.phone}，身份证{ALICE.id_number}，请核对"
    sent = call(shop.post(f"/v1/orders/{oid}/messages", json={"text": leak}))
    assert sent.status_code == 201 and sent.json()["violation_id"]
    mine = f"我的手机 139 8765 4321，身份证 {ALICE.id_number.lower()}"
    assert call(buyer.post(f"/v1/orders/{oid}/messages", json={"text": mine})).status_code == 201
    for client in (shop, buyer, cs):
        assert call(client.get(f"/v1/orders/{oid}/messages")).status_code == 200

    # Screening a listing that publishes personal data stores it masked.
    listing = {"id": "pii-1", "kind": "listing", "category": "food", "title": "普洱茶",
               "text": f"联系{ALICE.phone}，身份证{ALICE.id_number}"}  # fmt: skip
    screened = call(shop.post("/v1/screen", json=listing))
    assert screened.status_code == 200 and screened.json()["action"] == "block"
    call(shop.get(f"/v1/decisions/{screened.json()['decision_id']}"))
    call(shop.get("/v1/subjects/shop-p/violations"))
    call(shop.get("/v1/subjects/shop-p/items"))
    call(reviewer.get("/v1/review"))
    call(reviewer.post("/v1/review/claim", json={}))

    # Bad input that carries personal data: refused without quoting it, nothing stored.
    bad_phone = _order(ALICE, consignee=_consignee(ALICE, ALICE.phone + "abc"))
    assert call(shop.post("/v1/orders", json=bad_phone)).status_code == 422
    bad_id = _order(ALICE, consignee={**_consignee(ALICE), "name": ALICE.id_number * 20})
    assert call(shop.post("/v1/orders", json=bad_id)).status_code == 422
    no_district = _order(
        ALICE, consignee={**_consignee(ALICE), "address": {"detail": ALICE.detail}}
    )
    assert call(shop.post("/v1/orders", json=no_district)).status_code == 422
    broken = (
        f'{{"merchant": "shop-p", "consignee": {{"name": "{ALICE.name}", "phone": "{ALICE.phone}"'
    )
    assert call(shop.post("/v1/orders", content=broken.encode())).status_code == 400
    assert call(shop.post("/v1/screen", content=broken.encode())).status_code == 400
    odd = {**listing, "kind": ALICE.phone, "category": ALICE.name}
    assert call(shop.post("/v1/screen", json=odd)).status_code == 422
    when = _order(ALICE, promised_ship_at=f"{ALICE.phone} {ALICE.detail}")
    assert call(shop.post("/v1/orders", json=when)).status_code == 422
    assert call(shop.post("/v1/orders", json=_order(ALICE, "shop-q"))).status_code == 403
    assert call(shop.post("/v1/orders", json=_order(ALICE, ALICE.name))).status_code == 403
    assert call(admin.post("/v1/orders", json=_order(ALICE, ALICE.phone))).status_code == 422
    lines = {"orders": [_order(BOB), _order(ALICE, consignee=_consignee(ALICE, ALICE.id_number))]}
    assert call(shop.post("/v1/orders/batch", json=lines)).status_code == 422
    assert call(courier.get(f"/v1/orders/{oid}")).status_code == 403
    assert call(shop.get(f"/v1/waybills/{ALICE.phone}")).status_code == 404
    assert call(courier.post(f"/v1/privacy-numbers/{ALICE.phone}/resolve")).status_code == 404
    assert call(shop.post(f"/v1/orders/{oid}/messages", json={"text": " "})).status_code == 422
    with server.client(f"sg_{ALICE.phone}_{ALICE.id_number}") as stranger:
        assert call(stranger.get("/v1/orders")).status_code == 401
    assert call(admin.get(f"/v1/subjects/{ALICE.phone}")).status_code == 404
    unknown = {"subject": ALICE.id_number, "code": "claim.medical", "severity": "general"}
    assert call(admin.post("/v1/violations", json=unknown)).status_code == 404
    odd_code = {"subject": "shop-p", "code": ALICE.phone, "severity": ALICE.id_number}
    assert call(admin.post("/v1/violations", json=odd_code)).status_code == 422
    assert call(reviewer.post("/v1/review/claim", json={"why": ALICE.phone})).status_code == 422

    # Free text people write about a case: a reviewer's evidence, a shop's appeal.
    quoted = {"subject": "shop-p", "code": "pii.exposure", "severity": "general",
              "evidence": [{"field": "text", "match": f"加我{ALICE.phone}"}]}  # fmt: skip
    finding = call(reviewer.post("/v1/violations", json=quoted))
    assert finding.status_code == 201, finding.text
    appeal = {"violation_id": finding.json()["violation_id"],
              "reason": f"买家本人{ALICE.phone}同意公开，身份证{ALICE.id_number}"}  # fmt: skip
    filed = call(shop.post("/v1/appeals", json=appeal))
    assert filed.status_code == 201, filed.text
    answer = {"uphold": False, "reason": f"身份证{ALICE.id_number}与订单不符，电话{ALICE.phone}"}
    answered = call(admin.post(f"/v1/appeals/{filed.json()['appeal_id']}/decision", json=answer))
    assert answered.status_code == 200, answered.text
    call(shop.get(f"/v1/appeals/{filed.json()['appeal_id']}"))
    held = {"subject": "shop-p", "code": "goods.prohibited", "severity": "egregious"}
    assert call(admin.post("/v1/violations", json=held)).status_code == 201
    item = call(reviewer.post("/v1/review/claim", json={"why": "egregious"}))
    assert item.status_code == 200, item.text
    review = {"outcome": "confirm", "reason": f"买家{ALICE.phone}投诉属实"}
    assert call(reviewer.post(f"/v1/review/{item.json()['id']}/decision", json=review)).is_success
    call(shop.get("/v1/subjects/shop-p/violations"))
    for c in (shop, buyer, courier, cs, admin, reviewer):
        c.close()

    # The CLI: statements, the audit chain, the figures and the report.
    env = cli_env(db_url, tmp_path / "data")
    seen.cli(["statements", "export"], env)
    seen.cli(["statements", "export", "--year", str(YEAR)], env)
    seen.cli(["audit", "verify"], env)
    seen.cli(["metrics", "--year", str(YEAR)], env)
    seen.cli(["metrics", "--year", str(YEAR), "--json"], env)
    for fmt in ("json", "md"):
        seen.cli(["report", "--year", str(YEAR), "--format", fmt, "--lang", "en",
                  "--output", str(tmp_path / f"report.{fmt}")], env)  # fmt: skip
    assert (tmp_path / "report.json").stat().st_size and (tmp_path / "report.md").stat().st_size

    # Everything at rest: every file the run wrote (the server's log, the SQLite database and
    # its journal, the reports) and every cell of every table.
    assert server.log.is_file()
    for where, content in _files(tmp_path):
        seen.add(where, content)
    seen.add("database cells", stored_text(db))
    assert any(where.endswith("server.log") for where, _ in seen.texts)
    if db_url.startswith("sqlite"):
        assert any(where.endswith("sg.db") for where, _ in seen.texts)
    assert not seen.leaks(), "\n".join(seen.leaks())
