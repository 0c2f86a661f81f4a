"""The simulator's text generator: deterministic, varied, valid numbers, one violation at a time."""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Callable, Iterator

import pytest

from shopguard.simulation import catalog, phrasebook, violation_templates
from shopguard.simulation.catalog import CATEGORIES, CODES
from shopguard.simulation.personal import bank_card, id_number, phone
from shopguard.simulation.texts import content, listing
from shopguard.text.pii import valid_bank_card, valid_id_card

KINDS = ("caption", "transcript")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RUN = re.compile(r"[0-9](?:[ \-]?[0-9Xx])+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _gb11643(value: str) -> bool:
    check = "10X98765432"[
        sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11
    ]
    return len(value) == 18 and value[:17].isdigit() and value[17].upper() == check


def _personal_numbers(text: str) -> list[str]:
    """Digit runs (single spaces or dashes allowed) that read as a mobile, ID or card number."""
    found = []
    for m in _RUN.finditer(text):
        run = re.sub(r"[ \-]", "", m.group())
        mobile = re.fullmatch(r"1[3-9]\d{9}", run) is not None
        card = run.isdigit() and 16 <= len(run) <= 19 and _luhn(run)
        if mobile or card or (len(run) == 18 and _gb11643(run)):
            found.append(run)
    return found


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - simulation, not cryptography


def _listings(seed: int, code: str | None, n: int, evasive: bool = False) -> Iterator[str]:
    rng = _rng(seed)
    for _ in range(n):
        title, text, _, _ = listing(rng, rng.choice(CATEGORIES), code, evasive=evasive)
        yield f"{title}\n{text}"


def _contents(
    seed: int, code: str | None, n: int, kind: str, evasive: bool = False
) -> Iterator[str]:
    rng = _rng(seed)
    for _ in range(n):
        yield content(rng, code, kind=kind, evasive=evasive)


def _everything(seed: int) -> list[object]:
    rng = _rng(seed)
    out: list[object] = []
    for evasive in (False, True):
        for category in CATEGORIES:
            for code in (None, *CODES):
                out.append(listing(rng, category, code, evasive=evasive))
        for code in (None, *CODES):
            out += [content(rng, code, kind=kind, evasive=evasive) for kind in KINDS]
    out += [phone(rng), id_number(rng), bank_card(rng)]
    return out


def test_same_seed_same_output_and_the_global_random_is_untouched() -> None:
    state = random.getstate()
    assert _everything(7) == _everything(7)
    assert _everything(7) != _everything(8)
    assert random.getstate() == state


@pytest.mark.parametrize("code", CODES)
def test_each_code_has_many_templates(code: str) -> None:
    templates = violation_templates.VIOLATIONS[code]
    assert len(templates["text"]) >= 12
    assert len(templates["spoken"]) >= 12
    assert len(set(templates["text"] + templates["spoken"] + templates["title"])) >= 24


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("evasive", [False, True])
def test_a_thousand_draws_are_varied(code: str, evasive: bool) -> None:
    assert len(set(_listings(1, code, 1000, evasive))) >= 200
    for kind in KINDS:
        assert len(set(_contents(2, code, 1000, kind, evasive))) >= 200


@pytest.mark.parametrize("category", CATEGORIES)
def test_clean_listings_are_varied_in_every_category(category: str) -> None:
    rng = _rng(3)
    drawn = {listing(rng, category, None)[:2] for _ in range(1000)}
    assert len(drawn) >= 200
    group = catalog.CATS[category].group
    common = phrasebook.NEUTRAL if group == "health" else phrasebook.CLEAN
    assert len(common + phrasebook.CLEAN_GROUP[group] + catalog.CATS[category].clean) >= 15


def test_personal_number_generators_are_valid() -> None:
    rng = _rng(5)
    for _ in range(2000):
        p = phone(rng)
        assert re.fullmatch(r"1[3-9]\d{9}", p)
        i = id_number(rng)
        assert _gb11643(i) and valid_id_card(i)
        c = bank_card(rng)
        assert 16 <= len(c) <= 19 and c[:4] in ("6222", "6217", "6228")
        assert _luhn(c) and valid_bank_card(c)


def test_every_category_and_code_works() -> None:
    rng = _rng(11)
    for category in CATEGORIES:
        for code in (None, *CODES):
            for evasive in (False, True):
                for _ in range(5):
                    title, text, brand, price = listing(rng, category, code, evasive=evasive)
                    assert title and text and title == title.strip()
                    assert brand is None or brand
                    assert price > 0
    for code in (None, *CODES):
        for kind in KINDS:
            assert content(rng, code, kind=kind)
    with pytest.raises(ValueError, match="category"):
        listing(rng, "weapons", None)
    with pytest.raises(ValueError, match="code"):
        content(rng, "spam")
    with pytest.raises(ValueError, match="kind"):
        content(rng, None, kind="comment")


def _all_clean_texts() -> Iterator[str]:
    yield from _listings(21, None, 3000)
    for kind in KINDS:
        yield from _contents(22, None, 1500, kind)


def test_clean_texts_never_hold_personal_numbers() -> None:
    for text in _all_clean_texts():
        assert _personal_numbers(text) == [], text


def test_about_one_clean_listing_in_four_is_a_near_miss() -> None:
    markers = re.compile(
        "最近|最后一天|第一次|第1件|微信支付|订单号|运单号|原装|原厂|一次性|国家标准|国家地理标志|"
        "热线|\\*\\*\\*\\*|100%纯棉|坏果包赔|过敏包退|私下转账"
    )
    near = sum(bool(markers.search(t.split("\n")[1])) for t in _listings(23, None, 2000))
    assert 0.18 < near / 2000 < 0.4


def test_pii_texts_hold_a_real_number_and_no_other_code_does() -> None:
    makers: list[Callable[[int, str | None], Iterator[str]]] = [
        lambda seed, code: _listings(seed, code, 400),
        lambda seed, code: _contents(seed, code, 300, "caption"),
        lambda seed, code: _contents(seed, code, 300, "transcript"),
    ]
    for make in makers:
        assert all(_personal_numbers(t) for t in make(31, "pii.exposure"))
        for code in CODES:
            if code != "pii.exposure":
                assert not any(_personal_numbers(t) for t in make(32, code)), code


def _plain_terms() -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    for code, keys in violation_templates.KEYS.items():
        terms[code] = {t for name, values in keys.items() if name != "verbs" for t in values}
    verbs = violation_templates.KEYS["claim.medical"]["verbs"]
    diseases = {d for cat in catalog.CATS.values() for item in cat.medical for d in item.extra}
    terms["claim.medical"] = {v + d for v in verbs for d in diseases}
    banned = {item.noun for cat in catalog.CATS.values() for item in cat.banned}
    terms["goods.prohibited"] = banned
    return terms


def test_a_violation_never_carries_another_codes_terms_and_clean_carries_none() -> None:
    terms = _plain_terms()
    for code in CODES:
        drawn = list(_listings(41, code, 600)) + list(_contents(42, code, 300, "transcript"))
        for other, words in terms.items():
            if other == code:
                continue
            for text in drawn:
                assert not [w for w in words if w in text], (code, other, text)
    every = set().union(*terms.values())
    warning = next(t for _, t in phrasebook.NEAR if "私下转账" in t)
    for text in _all_clean_texts():
        text = text.replace(warning, "")
        assert not [w for w in every if w in text], text


@pytest.mark.parametrize(
    "code",
    [
        "ad.absolute_term",
        "claim.efficacy_guarantee",
        "diversion.off_platform",
        "ip.counterfeit_signal",
        "marketing.sob_story",
    ],
)
def test_evasive_texts_disguise_the_violating_words(code: str) -> None:
    words = _plain_terms()[code]
    plain = [t for t in _listings(51, code, 500) if any(w in t for w in words)]
    disguised = [t for t in _listings(51, code, 500, True) if any(w in t for w in words)]
    assert len(plain) > 400
    assert len(disguised) < 100


def test_prices_fit_the_goods() -> None:
    rng = _rng(61)
    genuine = [listing(rng, "luxury", None)[3] for _ in range(300)]
    fake = [listing(rng, "luxury", "ip.counterfeit_signal")[3] for _ in range(300)]
    assert min(genuine) >= 2000
    assert statistics.median(fake) * 10 < statistics.median(genuine)
    snacks = [listing(rng, "food", None)[3] for _ in range(300)]
    assert max(snacks) < 1000 and min(snacks) >= 5
