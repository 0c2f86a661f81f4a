"""Policy packs load, validate with errors naming file and rule, extend and version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shopguard.platform.errors import PolicyError
from shopguard.screening.schemas import parse_item
from shopguard.text.compiler import compile_policy
from shopguard.text.engine import screen_item
from shopguard.text.policy import load_pack
from tests.conftest import PACK
from tests.support.factories import item


def make_pack(folder: Path, rules: str, manifest: str = "name: test\n") -> Path:
    (folder / "rules").mkdir(parents=True)
    (folder / "pack.yaml").write_text(manifest, "utf-8")
    (folder / "rules" / "main.yaml").write_text(rules, "utf-8")
    return folder


GOOD = """
rules:
  - id: r1
    detector: lexicon
    code: goods.prohibited
    action: block
    terms: {terms: [违禁品]}
"""


def test_default_pack_loads_with_every_code() -> None:
    pack = load_pack(PACK)
    codes = {r.spec.code.value for r in pack.rules}
    assert len(codes) == 8
    assert all(r.spec.doc for r in pack.rules), "every default rule documents its reason"


@pytest.mark.parametrize(
    "rules, fragment",
    [
        (GOOD.replace("goods.prohibited", "goods.unknown"), "rule r1: code"),
        (GOOD.replace("action: block", "action: destroy"), "rule r1: action"),
        (
            GOOD.replace("terms: {terms: [违禁品]}", "terms: {files: [missing.txt]}"),
            "missing.txt not found",
        ),
        (GOOD.replace("detector: lexicon", "detector: regex"), "needs patterns"),
        (GOOD + "    patterns: ['(unclosed']\n", "does not compile"),
        (GOOD + "    when: 'item.price >'\n", "not valid CEL"),
        (GOOD + GOOD.replace("rules:\n", ""), "duplicate rule id"),
        (GOOD.replace("违禁品", "'**'"), "once normalised"),
        (GOOD.replace("违禁品", "药"), "shorter than 2"),
        ("rules: [unclosed", "not valid YAML"),
    ],
)
def test_broken_pack_names_file_and_rule(tmp_path: Path, rules: str, fragment: str) -> None:
    pack = make_pack(tmp_path / "p", rules)
    with pytest.raises(PolicyError) as err:
        compile_policy(load_pack(pack))
    assert fragment in str(err.value)
    assert "main.yaml" in str(err.value) or "missing.txt" in str(err.value)


def test_version_changes_with_any_term(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "p", GOOD)
    before = load_pack(pack).version
    assert load_pack(pack).version == before
    (pack / "rules" / "main.yaml").write_text(GOOD.replace("违禁品", "违禁物品"), "utf-8")
    assert load_pack(pack).version != before


def test_second_pack_extends_the_default(tmp_path: Path) -> None:
    base = tmp_path / "cn-default"
    shutil.copytree(PACK, base)
    child = tmp_path / "acme"
    make_pack(
        child,
        GOOD.replace("违禁品", "本店黑话"),
        "name: acme\nextends: ../cn-default\ndisable: [ip-luxury-price-anomaly]\n"
        "add_terms:\n  diversion-terms: {terms: [来我的小店]}\n",
    )
    loaded = load_pack(child)
    assert loaded.version.startswith("acme@")
    ids = {r.spec.id for r in loaded.rules}
    assert "r1" in ids and "ad-absolute-terms" in ids and "ip-luxury-price-anomaly" not in ids
    policy = compile_policy(loaded)
    decision = screen_item(parse_item(item("本店黑话，来我的小店，全网最低价")), policy)
    assert {"goods.prohibited", "diversion.off_platform", "ad.absolute_term"} <= decision.codes


def test_variants_expand_terms(tmp_path: Path) -> None:
    rules = GOOD.replace("goods.prohibited", "diversion.off_platform").replace("违禁品", "加微信")
    pack = make_pack(tmp_path / "p", rules, "name: v\nvariants:\n  微信: [薇信, v信]\n")
    policy = compile_policy(load_pack(pack))
    for text in ("加薇信", "加 V 信", "加微信"):
        assert screen_item(parse_item(item(text)), policy).codes == {"diversion.off_platform"}
