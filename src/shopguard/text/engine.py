"""The screening core: `screen(items, policy) -> decisions` over a compiled policy (`compiler`).

Pure: no database, clock or network. Each field is scanned once by the policy's automaton; the
hits of each rule are then checked against its context, negations and combinations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from shopguard.text.compiler import (
    ALLOW,
    CONTEXT,
    NEG_BEFORE,
    REQUIRE,
    TERM,
    CompiledPolicy,
    CompiledRule,
    Scope,
)
from shopguard.text.conditions import holds
from shopguard.text.model import Action, Decision, Item, Violation
from shopguard.text.normalize import Normalized, normalise
from shopguard.text.pii import find_pii, mask, mask_text


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
    scope: Scope,
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
                    if tag == REQUIRE:
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
                    raw.append((rule_index, TERM, name, m.start(), m.end(), norm, ""))
                    triggered.add(rule_index)
        for rule_index, pat, literals in scope.folded:
            if literals is not None and literals.search(norm.folded) is None:
                continue
            for m in pat.finditer(norm.folded):
                if m.end() > m.start():
                    raw.append((rule_index, TERM, name, m.start(), m.end(), None, ""))
                    triggered.add(rule_index)
    if scope.pii:
        entities = find_pii(value)
        for rule_index, types in scope.pii:
            for e in entities:
                if e.type.value in types:
                    raw.append((rule_index, TERM, name, e.start, e.end, None, e.type.value))
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
        if c.tag == ALLOW:
            if hit.inside(c):
                return True
        elif c.field == hit.field and c.norm is hit.norm:
            if c.tag == NEG_BEFORE:
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
            out.append(_Hit(a.rule, TERM, a.field, cs, ce, a.norm))
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
        if not combination and not any(h.tag == TERM for h in rule_hits):
            continue
        context = [h for h in rule_hits if h.tag in CONTEXT]
        kept = [h for h in rule_hits if h.tag not in CONTEXT]
        if context:
            kept = [h for h in kept if not _cancelled(h, context, rule)]
        kept = _combination(rule, kept) if combination else [h for h in kept if h.tag == TERM]
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
