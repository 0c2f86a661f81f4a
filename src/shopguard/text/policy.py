"""Policy packs: YAML rules plus term files, validated on load and identified by a version.

A pack is a folder with ``pack.yaml`` (name, description, optional ``extends``, ``variants``,
``include`` globs of rule files, ``disable``, ``add_terms``) and rule files. Every error names
the file and the rule. The version is ``name@`` + a hash of every file the pack reads, so a
decision always says exactly which rules made it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from shopguard.platform.errors import PolicyError
from shopguard.text.conditions import compile_condition
from shopguard.text.model import Action, Category, Code, Kind, Severity
from shopguard.text.pii import PiiType

Detector = Literal["lexicon", "regex", "pii", "combination"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermSource(_Strict):
    """Terms inline and/or from files (one per line, '#' comments), relative to the rule file."""

    terms: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)


class GroupSpec(TermSource):
    """A named term group of a combination rule and how many distinct hits it needs."""

    min: int = Field(default=1, ge=1)


class CategoryScope(_Strict):
    include: list[Category] | None = None
    exclude: list[Category] = Field(default_factory=list)


class RuleSpec(_Strict):
    """One rule as written in YAML."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    detector: Detector
    code: Code
    severity: Severity = Severity.GENERAL
    action: Action
    combined_action: Action | None = None
    kinds: list[Kind] = Field(default_factory=lambda: list(Kind))
    categories: CategoryScope = Field(default_factory=CategoryScope)
    when: str | None = None
    terms: TermSource = Field(default_factory=TermSource)
    allow: TermSource = Field(default_factory=TermSource)
    # Context that cancels a match: `negations` ending at most `negation_window` characters
    # before it (不能加微信, 拒绝高仿), `negations_after` starting at most `after_window`
    # characters after it (让你加微信的都是骗子). Distances are in the compact view.
    negations: TermSource = Field(default_factory=TermSource)
    negations_after: TermSource = Field(default_factory=TermSource)
    negation_window: int = Field(default=0, ge=0, le=50)
    after_window: int = Field(default=8, ge=0, le=50)
    patterns: list[str] = Field(default_factory=list)
    # Literals of which at least one must occur before the patterns are tried (a cheap
    # prefilter through the automaton); leave empty to always run the patterns.
    requires: list[str] = Field(default_factory=list)
    view: Literal["compact", "folded"] = "compact"
    groups: dict[str, GroupSpec] = Field(default_factory=dict)
    anchor: str | None = None
    window: int | None = Field(default=None, ge=1)
    pii_types: list[PiiType] = Field(default_factory=lambda: list(PiiType))
    doc: str = ""

    @model_validator(mode="after")
    def _detector_fields(self) -> RuleSpec:
        has_terms = bool(self.terms.terms or self.terms.files)
        if self.detector == "lexicon" and not has_terms:
            raise ValueError("a lexicon rule needs terms (terms.terms or terms.files)")
        if self.detector == "regex" and not self.patterns:
            raise ValueError("a regex rule needs patterns")
        if self.detector == "combination":
            if len(self.groups) < 2:
                raise ValueError("a combination rule needs at least two groups")
            if self.anchor is None or self.anchor not in self.groups:
                raise ValueError("a combination rule needs an anchor naming one of its groups")
        return self


class PackSpec(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    description: str = ""
    extends: str | None = None
    include: list[str] = Field(default_factory=lambda: ["rules/*.yaml"])
    variants: dict[str, list[str]] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    add_terms: dict[str, TermSource] = Field(default_factory=dict)


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule with its term lists read from disk (not yet normalised)."""

    spec: RuleSpec
    source: str  # file the rule came from, for error messages
    terms: tuple[str, ...]
    allow: tuple[str, ...]
    groups: dict[str, tuple[str, ...]]
    negations: tuple[str, ...] = ()
    negations_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """A loaded pack: its rules in order, variant groups and its version string."""

    name: str
    version: str
    rules: tuple[LoadedRule, ...]
    variants: dict[str, tuple[str, ...]]


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(rule)'}: {e['msg']}"
        for e in exc.errors(include_url=False, include_input=False)
    )


def _read_yaml(path: Path, hasher: Any) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read ({exc.strerror})") from None
    hasher.update(path.name.encode() + b"\0" + raw)
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path}: not valid YAML ({exc})") from None


def _read_terms(src: TermSource, base: Path, where: str, hasher: Any) -> list[str]:
    terms = [t for t in src.terms if t.strip()]
    for name in src.files:
        path = (base / name).resolve()
        try:
            raw = path.read_bytes()
        except OSError:
            raise PolicyError(f"{where}: term file {name} not found (looked in {base})") from None
        hasher.update(name.encode() + b"\0" + raw)
        for lineno, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            term = line.split("#", 1)[0].strip()
            if term:
                if len(term) > 100:
                    raise PolicyError(f"{path}:{lineno}: term longer than 100 characters")
                terms.append(term)
    return terms


def load_pack(folder: Path | str, *, _seen: tuple[Path, ...] = ()) -> Pack:
    """Load and validate the pack in `folder` (and the pack it extends)."""
    root = Path(folder).resolve()
    if root in _seen:
        raise PolicyError(f"{root}: pack extends itself through {' -> '.join(map(str, _seen))}")
    manifest = root / "pack.yaml"
    if not manifest.is_file():
        raise PolicyError(f"{root}: not a policy pack (no pack.yaml)")
    hasher = hashlib.sha256()
    try:
        spec = PackSpec.model_validate(_read_yaml(manifest, hasher) or {})
    except ValidationError as exc:
        raise PolicyError(f"{manifest}: {_describe(exc)}") from None

    rules: dict[str, LoadedRule] = {}
    variants: dict[str, tuple[str, ...]] = {}
    if spec.extends:
        parent = load_pack((root / spec.extends), _seen=(*_seen, root))
        hasher.update(parent.version.encode())
        rules = {r.spec.id: r for r in parent.rules}
        variants = dict(parent.variants)
    for key, alts in spec.variants.items():
        variants[key] = tuple(dict.fromkeys([*variants.get(key, ()), *alts]))

    files = sorted({p for pattern in spec.include for p in root.glob(pattern)})
    if not files and not rules:
        raise PolicyError(f"{manifest}: no rule files match {spec.include}")
    own: set[str] = set()
    for path in files:
        doc = _read_yaml(path, hasher) or {}
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            raise PolicyError(f"{path}: expected a mapping with a 'rules' list")
        for index, raw in enumerate(doc["rules"]):
            rule_id = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
            where = f"{path}: rule {rule_id}"
            try:
                rule = RuleSpec.model_validate(raw)
            except ValidationError as exc:
                raise PolicyError(f"{where}: {_describe(exc)}") from None
            if rule.id in own:
                raise PolicyError(f"{where}: duplicate rule id")
            own.add(rule.id)
            _check_rule(rule, where)
            rules[rule.id] = LoadedRule(
                spec=rule,
                source=str(path),
                terms=tuple(_read_terms(rule.terms, path.parent, where, hasher)),
                allow=tuple(_read_terms(rule.allow, path.parent, where, hasher)),
                groups={
                    name: tuple(_read_terms(g, path.parent, f"{where} group {name}", hasher))
                    for name, g in rule.groups.items()
                },
                negations=tuple(_read_terms(rule.negations, path.parent, where, hasher)),
                negations_after=tuple(
                    _read_terms(rule.negations_after, path.parent, where, hasher)
                ),
            )
    for rule_id, extra in spec.add_terms.items():
        if rule_id not in rules:
            raise PolicyError(f"{manifest}: add_terms names unknown rule {rule_id}")
        base = rules[rule_id]
        more = _read_terms(extra, root, f"{manifest}: add_terms {rule_id}", hasher)
        rules[rule_id] = replace(base, terms=(*base.terms, *more))
    for rule_id in spec.disable:
        if rules.pop(rule_id, None) is None:
            raise PolicyError(f"{manifest}: disable names unknown rule {rule_id}")
    for loaded in rules.values():
        if loaded.spec.detector == "lexicon" and not loaded.terms:
            raise PolicyError(f"{loaded.source}: rule {loaded.spec.id}: term files are empty")
    version = f"{spec.name}@{hasher.hexdigest()[:12]}"
    return Pack(spec.name, version, tuple(rules.values()), variants)


def _check_rule(rule: RuleSpec, where: str) -> None:
    """Checks that need more than field types: regexes compile, CEL compiles."""
    for pattern in rule.patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise PolicyError(f"{where}: pattern {pattern!r} does not compile ({exc})") from None
    if rule.when is not None:
        compile_condition(rule.when, where=where)
