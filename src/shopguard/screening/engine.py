"""The screening core: compile a pack once, then `screen(items, policy) -> decisions`.

Pure: no database, clock or network. All lexicon terms of all rules go into one Aho-Corasick
automaton over the compact view, so each field is scanned once whatever the number of rules.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick_rs

from shopguard.platform.errors import PolicyError
from shopguard.privacy.pii import find_pii, mask
from shopguard.screening.conditions import compile_condition, holds
from shopguard.screening.model import Action, Category, Decision, Item, Kind, Violation
from shopguard.screening.normalize import Normalized, normalise, normalise_term
from shopguard.screening.policy import LoadedRule, Pack

_TERM, _ALLOW = "", "\0allow"


@dataclass
class CompiledRule:
    index: int
    id: str
    detector: str
    code: str
    action: Action
    combined_action: Action | None
    kinds: frozenset[Kind]
    include: frozenset[Category] | None
    exclude: frozenset[Category]
    when: Any  # a compiled CEL program or None
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    view: str = "compact"
    groups: dict[str, int] = field(default_factory=dict)  # group name -> min distinct hits
    anchor: str | None = None
    window: int | None = None
    pii_types: frozenset[str] = frozenset()

    def applies(self, kind: Kind, category: Category | None) -> bool:
        if kind not in self.kinds:
            return False
        if category is None:
            return self.include is None
        if self.include is not None and category not in self.include:
            return False
        return category not in self.exclude


@dataclass
class CompiledPolicy:
    """A pack ready to screen with: rules, one automaton and per-scope rule lists."""

    version: str
    rules: list[CompiledRule]
    automaton: Any
    payloads: list[list[tuple[int, str]]]  # pattern index -> [(rule index, group or _TERM/_ALLOW)]
    has_terms: bool
    _scopes: dict[tuple[Kind, Category | None], frozenset[int]] = field(default_factory=dict)

    def applicable(self, kind: Kind, category: Category | None) -> frozenset[int]:
        key = (kind, category)
        found = self._scopes.get(key)
        if found is None:
            found = frozenset(r.index for r in self.rules if r.applies(kind, category))
            self._scopes[key] = found
        return found


def _expand(term: str, variants: dict[str, tuple[str, ...]]) -> list[str]:
    """A term plus its variant spellings (薇信 for 微信 ...), all normalised."""
    out = [term]
    for canonical, alts in variants.items():
        if canonical in term:
            out.extend(term.replace(canonical, alt) for alt in alts)
    return [t for t in dict.fromkeys(normalise_term(x) for x in out) if t]


def compile_policy(pack: Pack) -> CompiledPolicy:
    """Compile a loaded pack: normalise and expand terms, build the automaton, compile CEL."""
    variants = {normalise_term(k): tuple(normalise_term(a) for a in v) for k, v in pack.variants.items()}
    entries: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rules: list[CompiledRule] = []
    for index, loaded in enumerate(pack.rules):
        spec = loaded.spec
        rule = CompiledRule(
            index=index,
            id=spec.id,
            detector=spec.detector,
            code=spec.code.value,
            action=spec.action,
            combined_action=spec.combined_action,
            kinds=frozenset(spec.kinds),
            include=frozenset(spec.categories.include) if spec.categories.include is not None else None,
            exclude=frozenset(spec.categories.exclude),
            when=compile_condition(spec.when, where=f"{loaded.source}: rule {spec.id}")
            if spec.when
            else None,
            patterns=[re.compile(p) for p in spec.patterns],
            view=spec.view,
            groups={name: g.min for name, g in spec.groups.items()},
            anchor=spec.anchor,
            window=spec.window,
            pii_types=frozenset(t.value for t in spec.pii_types),
        )
        rules.append(rule)
        _add_terms(entries, loaded, index, variants)
    patterns = list(entries)
    automaton = (
        ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
        if patterns
        else None
    )
    return CompiledPolicy(
        version=pack.version,
        rules=rules,
        automaton=automaton,
        payloads=[entries[p] for p in patterns],
        has_terms=bool(patterns),
    )


def _add_terms(
    entries: dict[str, list[tuple[int, str]]],
    loaded: LoadedRule,
    index: int,
    variants: dict[str, tuple[str, ...]],
) -> None:
    def put(terms: Iterable[str], tag: str) -> None:
        for raw in terms:
            expanded = _expand(raw, variants)
            if not expanded:
                raise PolicyError(
                    f"{loaded.source}: rule {loaded.spec.id}: term {raw!r} is empty once normalised"
                )
            for term in expanded:
                if (index, tag) not in entries[term]:
                    entries[term].append((index, tag))

    for raw in loaded.terms:
        if len(normalise_term(raw)) < 2:
            raise PolicyError(
                f"{loaded.source}: rule {loaded.spec.id}: term {raw!r} is shorter than 2 "
                "characters once normalised (it would match almost everything)"
            )
    put(loaded.terms, _TERM)
    put(loaded.allow, _ALLOW)
    for name, terms in loaded.groups.items():
        put(terms, name)


@dataclass(slots=True)
class _Hit:
    rule: int
    tag: str  # _TERM, _ALLOW or a group name
    field: str
    start: int  # original offsets
    end: int
    cstart: int  # compact offsets (for combination windows)
    pii: str = ""  # entity type, for pii hits


def _scan_field(
    policy: CompiledPolicy, rules: frozenset[int], name: str, value: str, hits: list[_Hit]
) -> None:
    norm: Normalized | None = None
    if policy.has_terms:
        norm = normalise(value)
        for pattern, cs, ce in policy.automaton.find_matches_as_indexes(norm.compact, overlapping=True):
            for rule_index, tag in policy.payloads[pattern]:
                if rule_index in rules:
                    s, e = norm.span(cs, ce)
                    hits.append(_Hit(rule_index, tag, name, s, e, cs))
    pii_entities = None
    for rule_index in rules:
        rule = policy.rules[rule_index]
        if rule.detector == "regex":
            if norm is None:
                norm = normalise(value)
            if rule.view == "folded":
                for pat in rule.patterns:
                    hits.extend(
                        _Hit(rule_index, _TERM, name, m.start(), m.end(), m.start())
                        for m in pat.finditer(norm.folded)
                        if m.end() > m.start()
                    )
            else:
                for pat in rule.patterns:
                    for m in pat.finditer(norm.compact):
                        if m.end() > m.start():
                            s, e = norm.span(m.start(), m.end())
                            hits.append(_Hit(rule_index, _TERM, name, s, e, m.start()))
        elif rule.detector == "pii":
            if pii_entities is None:
                pii_entities = find_pii(value)
            hits.extend(
                _Hit(rule_index, _TERM, name, ent.start, ent.end, ent.start, ent.type.value)
                for ent in pii_entities
                if ent.type.value in rule.pii_types
            )


def _combination(rule: CompiledRule, hits: list[_Hit]) -> list[_Hit]:
    """Anchor hits of a combination rule whose other groups are present (within the window)."""
    by_group: dict[str, list[_Hit]] = defaultdict(list)
    for h in hits:
        by_group[h.tag].append(h)
    for name, need in rule.groups.items():
        if len({(h.field, h.start) for h in by_group.get(name, [])}) < need:
            return []
    anchors = by_group[rule.anchor or ""]
    if rule.window is None:
        return anchors
    out = []
    for a in anchors:
        start, end = a.start, a.end
        for name in rule.groups:
            if name == rule.anchor:
                continue
            near = [h for h in by_group[name] if h.field == a.field and abs(h.cstart - a.cstart) <= rule.window]
            if not near:
                break
            closest = min(near, key=lambda h: abs(h.cstart - a.cstart))
            start, end = min(start, closest.start), max(end, closest.end)
        else:
            out.append(_Hit(a.rule, _TERM, a.field, start, end, a.cstart))
    return out


def screen_item(item: Item, policy: CompiledPolicy) -> Decision:
    """Screen one item: evidence from every applicable rule, action = the strongest rule action."""
    rules = policy.applicable(item.kind, item.category)
    hits: list[_Hit] = []
    for name, value in item.fields():
        _scan_field(policy, rules, name, value, hits)
    if not hits:
        return Decision(item.id, Action.ALLOW, (), policy.version)

    per_rule: dict[int, list[_Hit]] = defaultdict(list)
    for h in hits:
        per_rule[h.rule].append(h)
    found: list[tuple[CompiledRule, _Hit]] = []
    cel_item: dict[str, Any] | None = None
    for rule_index, rule_hits in per_rule.items():
        rule = policy.rules[rule_index]
        allows = [h for h in rule_hits if h.tag == _ALLOW]
        kept = [
            h
            for h in rule_hits
            if h.tag != _ALLOW
            and not any(a.field == h.field and a.start <= h.start and h.end <= a.end for a in allows)
        ]
        if rule.detector == "combination":
            kept = _combination(rule, kept)
        else:
            kept = [h for h in kept if h.tag == _TERM]
        if not kept:
            continue
        if rule.when is not None:
            if cel_item is None:
                cel_item = {"item": item.as_cel()}
            if not holds(rule.when, cel_item):
                continue
        found.extend((rule, h) for h in kept)
    return _decide(item, policy, found)


def _decide(item: Item, policy: CompiledPolicy, found: list[tuple[CompiledRule, _Hit]]) -> Decision:
    # Longest evidence first so a span inside an already reported span of the same code is dropped.
    found.sort(key=lambda rh: (rh[1].field != "title", rh[1].start, -(rh[1].end - rh[1].start), rh[0].index))
    violations: list[Violation] = []
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    actions: list[CompiledRule] = []
    for rule, h in found:
        key = (rule.code, h.field)
        if any(s <= h.start and h.end <= e for s, e in spans[key]):
            continue
        spans[key].append((h.start, h.end))
        value = item.title if h.field == "title" else item.text
        matched = (value or "")[h.start : h.end]
        if h.pii:
            matched = mask(h.pii, matched)
        violations.append(Violation(rule.code, h.field, h.start, h.end, matched, rule.id))
        actions.append(rule)
    codes = {v.code for v in violations}
    action = Action.ALLOW
    for rule in actions:
        act = rule.action
        if rule.combined_action is not None and len(codes - {rule.code}) > 0:
            act = rule.combined_action if rule.combined_action.rank > act.rank else act
        if act.rank > action.rank:
            action = act
    return Decision(item.id, action, tuple(violations), policy.version)


def screen(items: Iterable[Item], policy: CompiledPolicy) -> list[Decision]:
    """Screen many items in order; one decision per item."""
    return [screen_item(item, policy) for item in items]
