"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters evaders insert between the characters of a banned word.
noise_chars = st.sampled_from(list(" *·.-_|/~!！，。🔥❤️✨丨\u200b\t"))
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
text_chars = st.one_of(
    cjk,
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    noise_chars,
)
texts = st.text(alphabet=text_chars, max_size=80)
