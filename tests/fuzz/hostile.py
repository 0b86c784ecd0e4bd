"""Values that have broken parsers before: other scripts' digits, exponents, numbers beyond
64 bits, NaN, impossible and far dates, huge amounts, control characters; mixed with
arbitrary text so the fuzzer also finds what nobody listed."""

from __future__ import annotations

from hypothesis import strategies as st

KNOWN_BAD = (
    "፩፪፫፬",  # Ethiopic digits: isdigit() is true, int() fails
    "١٢٣",
    "²",
    "１２",
    "１e３",
    "1e18",
    "1e1000000",
    "1E3",
    "-1",
    "0",
    "-0",
    "+1",
    "0x10",
    "1.5",
    "1,000",
    "12万",
    "3.5亿",
    "0001",
    "9999",
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    "1" + "0" * 30,
    "1e30",
    "NaN",
    "Infinity",
    "-Infinity",
    "2026-02-30",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01 00:00",
    "9999-12-31T23:59:59-12:00",
    "2026-02-29",
    "true",
    "null",
    "",
    " ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\x00",
    "a\x00b",
    "9" * 5000,
)

hostile_text = st.one_of(
    st.sampled_from(KNOWN_BAD),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(str),
)
