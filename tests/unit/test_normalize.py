"""Normalisation folds what evaders change and maps every match back to the original."""

from hypothesis import assume, given
from hypothesis import strategies as st

from shopguard.text.normalize import fold, normalise
from tests.strategies import noise_chars, texts


def test_full_width_case_and_traditional_are_folded() -> None:
    assert normalise("Ｎｏ．１ 國家級 最佳").compact == "no1国家级最佳"


def test_inserted_symbols_spaces_and_emoji_are_removed() -> None:
    assert normalise("最*好").compact == "最好"
    assert normalise("加 V 信").compact == "加v信"
    assert normalise("最🔥好\u200b的").compact == "最好的"
    assert normalise("最丨佳").compact == "最佳"


def test_percent_is_kept_because_claims_use_it() -> None:
    assert normalise("100 % 有效").compact == "100%有效"


def test_span_points_at_what_the_merchant_wrote() -> None:
    original = "家人们，最 * 好 的面霜"
    norm = normalise(original)
    start = norm.compact.index("最好")
    s, e = norm.span(start, start + 2)
    assert original[s:e] == "最 * 好"


@given(texts)
def test_folded_view_keeps_length(text: str) -> None:
    assert len(fold(text)) == len(text)


@given(texts)
def test_every_compact_character_maps_to_its_source(text: str) -> None:
    norm = normalise(text)
    for i, ch in enumerate(norm.compact):
        pos = norm.position(i)
        assert norm.folded[pos] == ch
        assert norm.span(i, i + 1) == (pos, pos + 1)
    if norm.compact:
        start, end = norm.span(0, len(norm.compact))
        assert normalise(text[start:end]).compact == norm.compact


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=6
    ),
    st.lists(noise_chars, min_size=1, max_size=4),
)
def test_word_with_inserted_noise_is_found_and_spans_exactly(word: str, noise: list[str]) -> None:
    assume(normalise(word).compact == fold(word))  # the word itself holds no noise characters
    evasive = word[0] + "".join(noise) + word[1:]
    text = "前缀" + evasive + "后缀"
    norm = normalise(text)
    target = fold(word)
    at = norm.compact.find(target)
    assert at >= 0
    s, e = norm.span(at, at + len(target))
    assert text[s:e] == evasive
