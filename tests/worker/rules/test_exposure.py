"""The planning calculator, with the worked example of guide_antidumping_calculation_us."""

from __future__ import annotations

from decimal import Decimal

import pytest

from worker.rules.exposure import annual_exposure, compute_dumping

D = Decimal


def test_worked_example_nv_140_ep_112() -> None:
    estimate = compute_dumping(
        normal_value=D(140), export_price=D(112), entered_value=D(112000), other_duties=D(3000)
    )
    assert estimate.dumping_amount == D(28)
    assert estimate.margin_percent == D("25.00")
    assert estimate.estimated_duty == D("28000.00")
    assert estimate.total_exposure == D("31000.00")
    assert estimate.notes == ()


@pytest.mark.parametrize(
    ("nv", "ep", "margin", "duty", "note"),
    [
        pytest.param("125", "100", "25.00", "25000.00", None, id="guide-example-25"),
        pytest.param("105", "100", "5.00", "5000.00", None, id="low-5"),
        pytest.param("101", "100", "1.00", "1000.00", "de minimis", id="below-2-de-minimis"),
        pytest.param("100", "100", "0.00", "0.00", "no dumping margin", id="zero"),
        pytest.param("90", "100", "-10.00", "0.00", "no dumping margin", id="negative"),
    ],
)
def test_margins(nv: str, ep: str, margin: str, duty: str, note: str | None) -> None:
    estimate = compute_dumping(
        normal_value=D(nv), export_price=D(ep), entered_value=D(100000), other_duties=None
    )
    assert estimate.margin_percent == D(margin)
    assert estimate.estimated_duty == D(duty)
    assert estimate.total_exposure == D(duty)
    if note:
        assert any(note in n for n in estimate.notes)
        if note == "de minimis":
            assert any("in investigations" in n for n in estimate.notes)


def test_bad_inputs_and_annual_exposure() -> None:
    with pytest.raises(ValueError, match="export price"):
        compute_dumping(normal_value=D(1), export_price=D(0), entered_value=None, other_duties=None)
    only_margin = compute_dumping(
        normal_value=D(140), export_price=D(112), entered_value=None, other_duties=None
    )
    assert only_margin.estimated_duty is None
    assert annual_exposure(D(850000), D("169.34")) == D("1439390.00")
    assert annual_exposure(None, D(10)) is None
    assert annual_exposure(D(10), None) is None
