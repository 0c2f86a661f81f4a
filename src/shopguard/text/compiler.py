"""Policy compilation: a loaded pack becomes rules, scopes and one Aho-Corasick automaton over
the compact view of every lexicon term, so `engine` scans each field once whatever the number
of rules. Pure: no database, clock or network."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ahocorasick_rs

from shopguard.platform.errors import PolicyError
from shopguard.text.conditions import compile_condition
from shopguard.text.model import Action, Category, Kind
from shopguard.text.normalize import normalise_term
from shopguard.text.policy import LoadedRule, Pack

TERM, ALLOW, REQUIRE = "", "\0allow", "\0require"
NEG_BEFORE, NEG_AFTER = "\0neg-before", "\0neg-after"
CONTEXT = {ALLOW, NEG_BEFORE, NEG_AFTER}


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
class Scope:
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
    # pattern index -> [(rule index, tag, triggers)]: tag is TERM, ALLOW, REQUIRE or a group
    # name; `triggers` marks hits that can make the rule fire (terms, combination anchors).
    payloads: list[list[tuple[int, str, bool]]]
    has_terms: bool
    terms: tuple[str, ...] = ()  # the automaton's patterns, in pattern-index order
    context_automaton: Any = None  # allow lists, negations, non-anchor groups
    context_payloads: list[list[tuple[int, str]]] = field(default_factory=list)
    _scopes: dict[tuple[Kind, Category | None], Scope] = field(default_factory=dict)

    def severity_of(self, rule_id: str) -> str:
        """The severity a rule gives its violations (for the enforcement ledger)."""
        return next((r.severity for r in self.rules if r.id == rule_id), "general")

    def applicable(self, kind: Kind, category: Category | None) -> Scope:
        """The rules in scope for this kind and category (computed once per pair)."""
        key = (kind, category)
        found = self._scopes.get(key)
        if found is None:
            rules = [r for r in self.rules if r.applies(kind, category)]
            regex = [(r, p) for r in rules if r.detector == "regex" for p in r.patterns]
            found = Scope(
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
            [(ri, tag, tag == TERM or tag == anchors[ri]) for ri, tag in entries[p]]
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
    put(loaded.terms, TERM)
    if loaded.spec.view == "compact":
        put(loaded.spec.requires, REQUIRE)
    # Context (allow lists, negations, a combination rule's other groups) is made of common
    # words and only matters once a rule has matched: a second automaton, run only then.
    put(loaded.allow, ALLOW, context)
    put(loaded.negations, NEG_BEFORE, context)
    put(loaded.negations_after, NEG_AFTER, context)
    for name, terms in loaded.groups.items():
        put(terms, name, entries if name == loaded.spec.anchor else context)
