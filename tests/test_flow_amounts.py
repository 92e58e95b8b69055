"""A flow score writes its amount as ``format(amount, "f")`` would, by a faster road."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from silkcore._flow_tally import _plain


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_an_amount_is_written_in_plain_notation(amount: Decimal) -> None:
    assert _plain(amount) == format(amount, "f")


def test_amounts_the_schema_allows_and_others() -> None:
    for text in ("0", "-0", "0.5", "184250.00", "-12.345678", "0.000001", "999999999999999999.999999", "1E+3", "1E-7"):
        assert _plain(Decimal(text)) == format(Decimal(text), "f")
