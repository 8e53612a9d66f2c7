"""How analysis results read: success rates as percentages, a rate axis that shows the differences."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from paycombat_tools.analysis import percent_table, plot_success_rate, rate_axis_floor  # noqa: E402

RATES = pd.DataFrame({"method": ["au_bank_acct", "sg_bank_fastpayment_sgd", "nz_bank_directcredit_nzd"],
                      "total": [160, 150, 10], "success": [149, 143, 0], "failed": [11, 7, 0], "open": [0, 0, 10],
                      "rate": [149 / 160, 143 / 150, math.nan]})


def test_success_rates_read_as_percentages() -> None:
    html = percent_table(RATES).to_html()
    assert "93.1%" in html and "95.3%" in html and "—" in html
    assert "0.93125" not in html
    assert RATES["rate"].iloc[0] == 149 / 160  # the frame keeps its floats


def test_the_rate_axis_starts_just_below_the_lowest_rate() -> None:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    plot_success_rate(RATES.iloc[:2], ax=ax)
    low, high = ax.get_ylim()
    assert low == 0.9 and high > 1.0  # 93% and 95% are far apart on this axis, not squeezed near the top
    assert "axis from 90%" in ax.get_title()
    labels = [text.get_text() for text in ax.texts]
    assert labels == ["93.1%\n149/160", "95.3%\n143/150"]
    assert ax.yaxis.get_major_formatter()(0.95, 0) == "95%"
    assert max(ax.get_yticks()) <= 1.0  # no tick above 100%
    plt.close("all")


def test_a_low_rate_keeps_the_axis_at_zero() -> None:
    assert rate_axis_floor([0.4, 0.9]) == 0.0
    assert rate_axis_floor([0.97, math.nan]) == 0.95
