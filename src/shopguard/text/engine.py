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
from shopguard.text.conditions import compile_condition, holds
from shopguard.text.model import Action, Category, Decision, Item, Kind, Violation
from shopguard.text.normalize import Normalized, normalise, normalise_term
from shopguard.text.pii import find_pii, mask, mask_text
from shopguard.text.policy import LoadedRule, Pack

_TERM, _ALLOW, _REQUIRE = "", "\0allow", "\0require"
_NEG_BEFORE, _NEG_AFTER = "\0neg-before", "\0neg-after"
_CONTEXT = {_ALLOW, _NEG_BEFORE, _NEG_AFTER}


@dataclass
class CompiledRule:
    index: int
    id: str
    detector: str
    code: str
    action: Action
    combined_action: Action | None
    severity: str
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
    requires: tuple[str, ...] = ()  # prefilter literals (compact view: via the automaton)
    negation_window: int = 0
    after_window: int = 8

    def applies(self, kind: Kind, category: Category | None) -> bool:
        if kind not in self.kinds:
            return False
        if category is None:
            return self.include is None
        if self.include is not None and category not in self.include:
            return False
        return category not in self.exclude


@dataclass(frozen=True)
class _Scope:
    """The rules for one (kind, category), split by how they run."""

    rules: frozenset[int]
    compact: tuple[tuple[int, re.Pattern[str], bool], ...]  # (rule, pattern, has prefilter)
    # (rule, pattern, prefilter regex of the rule's literals or None)
    folded: tuple[tuple[int, re.Pattern[str], re.Pattern[str] | None], ...]
    pii: tuple[tuple[int, frozenset[str]], ...]


@dataclass
class CompiledPolicy:
    """A pack ready to screen with: rules, one automaton and per-scope rule lists."""

    version: str
    rules: list[CompiledRule]
    automaton: Any
    # pattern index -> [(rule index, tag, triggers)]: tag is _TERM, _ALLOW, _REQUIRE or a group
    # name; `triggers` marks hits that can make the rule fire (terms, combination anchors).
    payloads: list[list[tuple[int, str, bool]]]
    has_terms: bool
    terms: tuple[str, ...] = ()  # the automaton's patterns, in pattern-index order
    context_automaton: Any = None  # allow lists, negations, non-anchor groups
    context_payloads: list[list[tuple[int, str]]] = field(default_factory=list)
    _scopes: dict[tuple[Kind, Category | None], _Scope] = field(default_factory=dict)

    def severity_of(self, rule_id: str) -> str:
        """The severity a rule gives its violations (for the enforcement ledger)."""
        return next((r.severity for r in self.rules if r.id == rule_id), "general")

    def applicable(self, kind: Kind, category: Category | None) -> _Scope:
        """The rules in scope for this kind and category (computed once per pair)."""
        key = (kind, category)
        found = self._scopes.get(key)
        if found is None:
            rules = [r for r in self.rules if r.applies(kind, category)]
            regex = [(r, p) for r in rules if r.detector == "regex" for p in r.patterns]
            found = _Scope(
                rules=frozenset(r.index for r in rules),
                compact=tuple(
                    (r.index, p, bool(r.requires)) for r, p in regex if r.view == "compact"
                ),
                folded=tuple(
                    (r.index, p, _literals(r.requires)) for r, p in regex if r.view == "folded"
                ),
                pii=tuple((r.index, r.pii_types) for r in rules if r.detector == "pii"),
            )
            self._scopes[key] = found
        return found


def _literals(words: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(map(re.escape, words))) if words else None


def _expand(term: str, variants: dict[str, tuple[str, ...]]) -> list[str]:
    """A term plus its variant spellings (薇信 for 微信 ...), all normalised."""
    out = [term]
    for canonical, alts in variants.items():  # combined: 加微信 -> jia微信, 加weixin, jiaweixin
        out.extend([t.replace(canonical, alt) for t in out if canonical in t for alt in alts])
    return [t for t in dict.fromkeys(normalise_term(x) for x in out) if t]


def compile_policy(pack: Pack) -> CompiledPolicy:
    """Compile a loaded pack: normalise and expand terms, build the automaton, compile CEL."""
    variants = {
        normalise_term(k): tuple(normalise_term(a) for a in v) for k, v in pack.variants.items()
    }
    entries: dict[str, list[tuple[int, str]]] = defaultdict(list)
    context: dict[str, list[tuple[int, str]]] = defaultdict(list)
    rules: list[CompiledRule] = []
    for index, loaded in enumerate(pack.rules):
        spec = loaded.spec
        rule = CompiledRule(
            index=index,
            id=spec.id,
            detector=spec.detector,
            code=spec.code.value,
            action=spec.action,
            severity=spec.severity.value,
            combined_action=spec.combined_action,
            kinds=frozenset(spec.kinds),
            include=frozenset(spec.categories.include)
            if spec.categories.include is not None
            else None,
            exclude=frozenset(spec.categories.exclude),
            when=compile_condition(spec.when, where=f"{loaded.source}: rule {spec.id}")
            if spec.when
            else None,
            # A rule's patterns are alternatives: one combined regex, one pass per field.
            patterns=[re.compile("|".join(f"(?:{p})" for p in spec.patterns))]
            if spec.patterns
            else [],
            view=spec.view,
            groups={name: g.min for name, g in spec.groups.items()},
            anchor=spec.anchor,
            window=spec.window,
            pii_types=frozenset(t.value for t in spec.pii_types),
            requires=tuple(spec.requires),
            negation_window=spec.negation_window,
            after_window=spec.after_window,
        )
        rules.append(rule)
        _add_terms(entries, context, loaded, index, variants)
    patterns = list(entries)
    context_patterns = list(context)
    automaton = _automaton(patterns)
    anchors = {r.index: r.anchor for r in rules}
    return CompiledPolicy(
        version=pack.version,
        rules=rules,
        automaton=automaton,
        payloads=[
            [(ri, tag, tag == _TERM or tag == anchors[ri]) for ri, tag in entries[p]]
            for p in patterns
        ],
        has_terms=bool(patterns),
        terms=tuple(patterns),
        context_automaton=_automaton(context_patterns),
        context_payloads=[context[p] for p in context_patterns],
    )


def _automaton(patterns: list[str]) -> Any:
    if not patterns:
        return None
    return ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard)


def _add_terms(
    entries: dict[str, list[tuple[int, str]]],
    context: dict[str, list[tuple[int, str]]],
    loaded: LoadedRule,
    index: int,
    variants: dict[str, tuple[str, ...]],
) -> None:
    def put(
        terms: Iterable[str], tag: str, into: dict[str, list[tuple[int, str]]] = entries
    ) -> None:
        for raw in terms:
            expanded = _expand(raw, variants)
            if not expanded:
                raise PolicyError(
                    f"{loaded.source}: rule {loaded.spec.id}: term {raw!r} is empty once normalised"
                )
            for term in expanded:
                if (index, tag) not in into[term]:
                    into[term].append((index, tag))

    for raw in loaded.terms:
        if len(normalise_term(raw)) < 2:
            raise PolicyError(
                f"{loaded.source}: rule {loaded.spec.id}: term {raw!r} is shorter than 2 "
                "characters once normalised (it would match almost everything)"
            )
    put(loaded.terms, _TERM)
    if loaded.spec.view == "compact":
        put(loaded.spec.requires, _REQUIRE)
    # Context (allow lists, negations, a combination rule's other groups) is made of common
    # words and only matters once a rule has matched: a second automaton, run only then.
    put(loaded.allow, _ALLOW, context)
    put(loaded.negations, _NEG_BEFORE, context)
    put(loaded.negations_after, _NEG_AFTER, context)
    for name, terms in loaded.groups.items():
        put(terms, name, entries if name == loaded.spec.anchor else context)


class _Hit:
    """One match. Offsets are compact-view offsets when `norm` is set, else original offsets;
    the original span is computed only for hits that survive (most group hits never do)."""

    __slots__ = ("ce", "cs", "field", "norm", "pii", "rule", "tag")

    def __init__(
        self,
        rule: int,
        tag: str,
        field: str,
        cs: int,
        ce: int,
        norm: Normalized | None,
        pii: str = "",
    ) -> None:
        self.rule, self.tag, self.field, self.cs, self.ce, self.norm, self.pii = (
            rule, tag, field, cs, ce, norm, pii,
        )  # fmt: skip

    def original(self) -> tuple[int, int]:
        return self.norm.span(self.cs, self.ce) if self.norm is not None else (self.cs, self.ce)

    def inside(self, other: _Hit) -> bool:
        """True when this hit lies within `other` (same field)."""
        if self.field != other.field:
            return False
        if self.norm is other.norm:
            return other.cs <= self.cs and self.ce <= other.ce
        s, e = self.original()
        os_, oe = other.original()
        return os_ <= s and e <= oe


# A raw hit: (rule index, tag, field, start, end, norm). Offsets are compact-view offsets when
# norm is set, else original offsets. Cheap tuples; only hits of triggered rules become _Hits.
_Raw = tuple[int, str, str, int, int, Normalized | None, str]


def _scan_field(
    policy: CompiledPolicy,
    scope: _Scope,
    name: str,
    value: str,
    raw: list[_Raw],
    triggered: set[int],
) -> Normalized | None:
    norm: Normalized | None = None
    if policy.has_terms or scope.compact or scope.folded:
        norm = normalise(value)
        required: set[int] = set()  # regex rules whose prefilter literal occurred
        if policy.has_terms:
            rules = scope.rules
            payloads = policy.payloads
            for pattern, cs, ce in policy.automaton.find_matches_as_indexes(
                norm.compact, overlapping=True
            ):
                for rule_index, tag, triggers in payloads[pattern]:
                    if rule_index not in rules:
                        continue
                    if tag == _REQUIRE:
                        required.add(rule_index)
                        continue
                    raw.append((rule_index, tag, name, cs, ce, norm, ""))
                    if triggers:
                        triggered.add(rule_index)
        for rule_index, pat, prefiltered in scope.compact:
            if prefiltered and rule_index not in required:
                continue
            for m in pat.finditer(norm.compact):
                if m.end() > m.start():
                    raw.append((rule_index, _TERM, name, m.start(), m.end(), norm, ""))
                    triggered.add(rule_index)
        for rule_index, pat, literals in scope.folded:
            if literals is not None and literals.search(norm.folded) is None:
                continue
            for m in pat.finditer(norm.folded):
                if m.end() > m.start():
                    raw.append((rule_index, _TERM, name, m.start(), m.end(), None, ""))
                    triggered.add(rule_index)
    if scope.pii:
        entities = find_pii(value)
        for rule_index, types in scope.pii:
            for e in entities:
                if e.type.value in types:
                    raw.append((rule_index, _TERM, name, e.start, e.end, None, e.type.value))
                    triggered.add(rule_index)
    return norm


def _scan_context(
    policy: CompiledPolicy, norms: list[tuple[str, Normalized]], wanted: set[int], raw: list[_Raw]
) -> None:
    """Context for the rules that matched: allow lists, negations, other groups."""
    for name, norm in norms:
        for pattern, cs, ce in policy.context_automaton.find_matches_as_indexes(
            norm.compact, overlapping=True
        ):
            for rule_index, tag in policy.context_payloads[pattern]:
                if rule_index in wanted:
                    raw.append((rule_index, tag, name, cs, ce, norm, ""))


def _cancelled(hit: _Hit, context: list[_Hit], rule: CompiledRule) -> bool:
    """Inside an allow-listed phrase, or just after a negation / just before a disclaimer."""
    for c in context:
        if c.tag == _ALLOW:
            if hit.inside(c):
                return True
        elif c.field == hit.field and c.norm is hit.norm:
            if c.tag == _NEG_BEFORE:
                gap, window = hit.cs - c.ce, rule.negation_window
            else:
                gap, window = c.cs - hit.ce, rule.after_window
            if 0 <= gap <= window:
                return True
    return False


def _combination(rule: CompiledRule, hits: list[_Hit]) -> list[_Hit]:
    """Anchor hits of a combination rule whose other groups are present (within the window)."""
    by_group: dict[str, list[_Hit]] = defaultdict(list)
    for h in hits:
        by_group[h.tag].append(h)
    for name, need in rule.groups.items():
        if len({(h.field, h.cs) for h in by_group.get(name, [])}) < need:
            return []
    anchors = by_group[rule.anchor or ""]
    if rule.window is None:
        return anchors
    out = []
    for a in anchors:
        cs, ce = a.cs, a.ce
        for name in rule.groups:
            if name == rule.anchor:
                continue
            near = [
                h for h in by_group[name] if h.field == a.field and abs(h.cs - a.cs) <= rule.window
            ]
            if not near:
                break
            closest = min(near, key=lambda h: abs(h.cs - a.cs))
            cs, ce = min(cs, closest.cs), max(ce, closest.ce)
        else:
            out.append(_Hit(a.rule, _TERM, a.field, cs, ce, a.norm))
    return out


def screen_item(item: Item, policy: CompiledPolicy) -> Decision:
    """Screen one item: evidence from every applicable rule, action = the strongest rule action."""
    scope = policy.applicable(item.kind, item.category)
    raw: list[_Raw] = []
    triggered: set[int] = set()
    norms: list[tuple[str, Normalized]] = []
    for name, value in item.fields():
        norm = _scan_field(policy, scope, name, value, raw, triggered)
        if norm is not None:
            norms.append((name, norm))
    if not triggered:
        return Decision(item.id, Action.ALLOW, (), policy.version)
    if policy.context_automaton is not None:
        _scan_context(policy, norms, triggered, raw)
    hits = [_Hit(*r) for r in raw if r[0] in triggered]

    per_rule: dict[int, list[_Hit]] = defaultdict(list)
    for h in hits:
        per_rule[h.rule].append(h)
    found: list[tuple[CompiledRule, _Hit]] = []
    cel_item: dict[str, Any] | None = None
    for rule_index, rule_hits in per_rule.items():
        rule = policy.rules[rule_index]
        combination = rule.detector == "combination"
        if not combination and not any(h.tag == _TERM for h in rule_hits):
            continue
        context = [h for h in rule_hits if h.tag in _CONTEXT]
        kept = [h for h in rule_hits if h.tag not in _CONTEXT]
        if context:
            kept = [h for h in kept if not _cancelled(h, context, rule)]
        kept = _combination(rule, kept) if combination else [h for h in kept if h.tag == _TERM]
        if not kept:
            continue
        if rule.when is not None:
            if cel_item is None:
                cel_item = {"item": item.as_cel()}
            if not holds(rule.when, cel_item):
                continue
        found.extend((rule, h) for h in kept)
    return (
        _decide(item, policy, found)
        if found
        else Decision(item.id, Action.ALLOW, (), policy.version)
    )


_OPEN_QUOTES = "‘“「『\"'《〈【"
_CLOSE_QUOTES = "’”」』\"'》〉】"


_QUOTE_REACH = 12  # a quoted phrase longer than this is speech, not a word being talked about


def _quoted(value: str, start: int, end: int) -> bool:
    """The match sits inside a short quoted phrase (‘根治’, 「7天瘦10斤」): it is talked
    about (a warning, a rule, a news item) rather than claimed."""
    before = value[max(0, start - _QUOTE_REACH) : start]
    after = value[end : end + _QUOTE_REACH]
    opened = max(before.rfind(q) for q in _OPEN_QUOTES)
    if opened < 0 or any(q in before[opened + 1 :] for q in _CLOSE_QUOTES):
        return False
    closes = [i for i in (after.find(q) for q in _CLOSE_QUOTES) if i >= 0]
    return bool(closes) and not any(q in after[: min(closes)] for q in _OPEN_QUOTES)


def _decide(item: Item, policy: CompiledPolicy, found: list[tuple[CompiledRule, _Hit]]) -> Decision:
    located = [(rule, h, *h.original()) for rule, h in found]
    # Longest evidence first so a span inside an already reported span of the same code is dropped.
    located.sort(key=lambda x: (x[1].field != "title", x[2], x[2] - x[3], x[0].index))
    violations: list[Violation] = []
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    actions: list[CompiledRule] = []
    for rule, h, start, end in located:
        key = (rule.code, h.field)
        if any(s <= start and end <= e for s, e in spans[key]):
            continue
        spans[key].append((start, end))
        value = (item.title if h.field == "title" else item.text) or ""
        if not h.pii and _quoted(value, start, end):
            continue  # a mention, not a use: ‘最好’‘第一’这类词不能写
        matched = value[start:end]
        # Evidence never carries personal data in clear, whichever rule matched it
        # ("打我电话 138..." is diversion evidence and a phone number at once).
        matched = mask(h.pii, matched) if h.pii else mask_text(matched)
        violations.append(Violation(rule.code, h.field, start, end, matched, rule.id))
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
