"""The CLI as a user runs it: JSONL in and out, bad input, keys, PII scan, policy checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from shopguard.platform.db import Database
from shopguard.screening.store import decisions
from tests.conftest import PACK
from tests.support.factories import id_number
from tests.support.processes import cli_env, run_cli

LINES = [
    {
        "id": "a",
        "kind": "listing",
        "category": "cosmetics",
        "title": "全网最低价 祛痘精华",
        "text": "三天根治痘痘，无效退款",
    },
    {"id": "b", "kind": "content", "text": "最近上新，第一次购买送小样"},
    {"id": 3, "kind": "message", "text": "加我薇信 shop_8899 便宜"},
]


@pytest.fixture
def env(db: Database, db_url: str, tmp_path: Path) -> dict[str, str]:
    """The CLI's environment, on a migrated empty database."""
    return cli_env(db_url, tmp_path / "data")


def jsonl(rows: list[object]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(decisions)).scalar_one())


def test_screen_streams_one_decision_per_line_in_order(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(LINES), "utf-8")
    result = run_cli(["screen", str(path)], env=env)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "3"]
    assert [o["action"] for o in out] == ["block", "allow", "block"]
    codes = {v["code"] for v in out[0]["violations"]}
    assert {"ad.absolute_term", "claim.medical", "claim.efficacy_guarantee"} <= codes
    assert set(out[0]) == {"id", "action", "violations", "policy_version"}
    v = out[2]["violations"][0]
    assert LINES[2]["text"][v["start"] : v["end"]] == v["match"]  # type: ignore[index]


@pytest.mark.parametrize(
    "bad, field",
    [
        ("{not json", "not valid JSON"),
        ('{"id": "x", "kind": "listing"}', "text"),
        ('{"id": "x", "kind": "spaceship", "text": "hi"}', "kind"),
        ('{"id": "x", "kind": "listing", "text": "hi", "category": "rockets"}', "category"),
        ('["not", "an", "object"]', "object"),
    ],
)
def test_bad_line_stops_with_exit_2_naming_line_and_field(
    env: dict[str, str], db: Database, bad: str, field: str
) -> None:
    stdin = jsonl(LINES[:1]) + bad + "\n" + jsonl(LINES[1:])
    result = run_cli(["screen", "-", "--store"], env=env, stdin=stdin)
    assert result.returncode == 2
    assert "line 2" in result.stderr and field in result.stderr
    assert len(result.stdout.splitlines()) == 1  # nothing for the bad line or after it
    assert count(db) == 0  # and nothing half-stored


def test_skip_invalid_reports_and_goes_on(env: dict[str, str], db: Database) -> None:
    stdin = jsonl(LINES[:1]) + '{"id": "x", "kind": "listing"}\n' + jsonl(LINES[1:])
    result = run_cli(["screen", "-", "--skip-invalid", "--store"], env=env, stdin=stdin)
    assert result.returncode == 0
    assert "line 2" in result.stderr
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == ["a", "b", "3"]
    assert count(db) == 3


def test_broken_policy_pack_fails_at_load(env: dict[str, str], tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    (pack / "rules").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: broken\n")
    (pack / "rules" / "x.yaml").write_text(
        "rules:\n  - id: bad-rule\n    detector: lexicon\n    code: nope\n    action: block\n    terms: {terms: [违禁]}\n"
    )
    result = run_cli(["screen", "-", "--policy", str(pack)], env=env, stdin=jsonl(LINES))
    assert result.returncode == 2
    assert "x.yaml" in result.stderr and "bad-rule" in result.stderr
    assert result.stdout == ""


def test_policy_check_prints_the_version(env: dict[str, str]) -> None:
    result = run_cli(["policy", "check", str(PACK)], env=env)
    assert result.returncode == 0 and "cn-default@" in result.stdout


def test_pii_scan_masks_and_never_prints_clear_numbers(env: dict[str, str]) -> None:
    idn = id_number()
    stdin = jsonl(
        [
            {"id": 1, "text": f"电话 138-1234-5678 身份证{idn}"},
            {"id": 2, "text": "订单号13812345678"},
        ]
    )
    result = run_cli(["pii", "scan"], env=env, stdin=stdin)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert [e["type"] for e in first["entities"]] == ["phone", "id_card"]
    assert first["masked"] == f"电话 138****5678 身份证110***********{idn[-4:]}"
    assert (
        "13812345678" not in result.stdout.replace("订单号13812345678", "")
        and idn not in result.stdout
    )
    assert second["entities"] == []


def test_pii_scan_bad_line(env: dict[str, str]) -> None:
    result = run_cli(["pii", "scan"], env=env, stdin='{"id": 1}\n')
    assert result.returncode == 2 and "line 1" in result.stderr and "text" in result.stderr


def test_keys_create_prints_the_key_once_and_checks_role(env: dict[str, str]) -> None:
    ok = run_cli(["keys", "create", "--role", "reviewer"], env=env)
    assert ok.returncode == 0 and ok.stdout.strip().startswith("sg_")
    bad = run_cli(["keys", "create", "--role", "overlord"], env=env)
    assert bad.returncode == 2 and "unknown role" in bad.stderr
    scoped = run_cli(["keys", "create", "--role", "merchant"], env=env)
    assert scoped.returncode == 2 and "--subject" in scoped.stderr


def test_parallel_screening_keeps_order_and_stops_at_the_bad_line(env: dict[str, str]) -> None:
    rows = [
        {"id": f"r{i}", "kind": "content", "text": f"第{i}条 全网最低价" if i % 3 else "你好"}
        for i in range(1, 4501)
    ]
    lines = jsonl(rows).splitlines(keepends=True)
    lines[4099] = '{"id": "bad", "kind": "listing"}\n'  # line 4100, in the third chunk
    stdin = "".join(lines)
    stopped = run_cli(["screen", "-", "--jobs", "2"], env=env, stdin=stdin)
    assert stopped.returncode == 2
    assert "line 4100" in stopped.stderr
    assert len(stopped.stdout.splitlines()) == 4099
    skipped = run_cli(["screen", "-", "--jobs", "2", "--skip-invalid"], env=env, stdin=stdin)
    assert skipped.returncode == 0
    ids = [json.loads(x)["id"] for x in skipped.stdout.splitlines()]
    assert ids == [f"r{i}" for i in range(1, 4501) if i != 4100]
    sequential = run_cli(["screen", "-", "--jobs", "1", "--skip-invalid"], env=env, stdin=stdin)
    assert sequential.stdout == skipped.stdout


def test_audit_verify_passes_then_names_an_edited_entry(env: dict[str, str], db: Database) -> None:
    for role in ("admin", "reviewer", "cs_agent"):
        assert run_cli(["keys", "create", "--role", role], env=env).returncode == 0
    ok = run_cli(["audit", "verify"], env=env)
    assert ok.returncode == 0
    assert "3 entries" in ok.stdout
    with db.transaction() as conn:
        conn.execute(text("UPDATE audit_log SET reason = reason || 'x' WHERE id = 2"))
    broken = run_cli(["audit", "verify"], env=env)
    assert broken.returncode == 1
    assert "entry 2" in broken.stdout


def test_subjects_violations_and_standing_from_the_cli(env: dict[str, str]) -> None:
    assert (
        run_cli(
            ["subjects", "add", "shop-1", "--type", "merchant", "--name", "老王"], env=env
        ).returncode
        == 0
    )
    for _ in range(4):
        r = run_cli(
            ["subjects", "violation", "shop-1", "--code", "claim.medical", "--severity", "serious"],
            env=env,
        )
        assert r.returncode == 0
    standing = run_cli(["subjects", "standing", "shop-1"], env=env)
    assert "general: 24" in standing.stdout
    assert "listing_restriction" in standing.stdout
    bad = run_cli(
        ["subjects", "violation", "nobody", "--code", "claim.medical", "--severity", "serious"],
        env=env,
    )
    assert bad.returncode == 2
    assert "nobody" in bad.stderr
    assert run_cli(["audit", "verify"], env=env).returncode == 0


def _dsa_rules() -> object:
    """The DSA Transparency Database's submission rules, as transcribed in the shared checks
    (`shared/` sits beside the project in development and in CI)."""
    import importlib.util

    from tests.conftest import ROOT

    candidates = [ROOT.parent / "shared", Path("/work/shared")]
    path = next(
        (c / "checks" / "lib" / "dsa_validate.py" for c in candidates if (c / "checks").is_dir()),
        None,
    )
    assert path is not None, f"shared/checks not found beside the project ({candidates})"
    spec = importlib.util.spec_from_file_location("dsa_validate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_statements_export_passes_the_dsa_database_rules(env: dict[str, str]) -> None:
    run_cli(["subjects", "add", "shop-1", "--type", "merchant", "--name", "X"], env=env)
    for severity in ["serious"] * 8:  # 12 points each: 96 clears the shop out
        run_cli(
            [
                "subjects",
                "violation",
                "shop-1",
                "--code",
                "goods.prohibited",
                "--severity",
                severity,
            ],
            env=env,
        )
    stdin = jsonl(
        [LINES[0], {"id": "p1", "kind": "content", "text": "联系 13812345678 拿货，顶级复刻"}]
    )
    assert run_cli(["screen", "-", "--store"], env=env, stdin=stdin).returncode == 0
    year = str(datetime.now(UTC).year)
    result = run_cli(["statements", "export", "--year", year], env=env)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    kinds = {r["puid"].split("-")[1] for r in rows}
    assert kinds == {"decision", "sanction"}
    assert any(
        r.get("decision_account") == "DECISION_ACCOUNT_TERMINATED" for r in rows
    )  # clear-out
    rules = _dsa_rules()
    for row in rows:
        assert rules.problems(row) == [], row  # type: ignore[attr-defined]
    assert len({r["puid"] for r in rows}) == len(rows)
    assert "13812345678" not in result.stdout
