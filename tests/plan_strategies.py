"""Hypothesis strategies for plans, shared by the property tests."""

import pandas as pd
from hypothesis import strategies as st

from iwp_widgets import Plan
from iwp_widgets.thresholds import Thresholds

NINE = int(Thresholds.default().value("twp_service_months", "2026-01"))
WINDOW = int(Thresholds.default().value("twp_window_months", "2026-01"))
money = st.floats(min_value=0, max_value=4000, allow_nan=False).map(lambda x: round(x, 2))


@st.composite
def plans(draw, months=None, benefits=None, accounting=None):
    months = months or draw(st.integers(min_value=1, max_value=30))
    start = pd.Period("2024-01", "M") + draw(st.integers(min_value=0, max_value=40))
    benefits = benefits or draw(st.sampled_from(["ssdi", "ssi", "concurrent"]))
    blind = draw(st.booleans())
    student = benefits != "ssdi" and draw(st.booleans())
    profile = {
        "benefits": benefits, "blind": blind, "student": student,
        "ssdi_monthly": 0.0 if benefits == "ssi" else draw(st.floats(100, 2500)),
        "state": draw(st.sampled_from(["CA", "TX", "NY", "AL", "WA"])),
        "unearned_income": draw(st.sampled_from([0.0, 15.0, 250.0])),
        "ssi_unit": draw(st.sampled_from(["individual", "couple"])),
        "ssi_eligible_before": draw(st.booleans()),
        # The two months before the plan (20 CFR 416.420 reaches back to them).
        "earnings_before": draw(st.lists(money, min_size=2, max_size=2)),
        "unearned_before": draw(st.one_of(st.none(), st.lists(
            st.sampled_from([0.0, 15.0, 250.0, 1200.0]), min_size=2, max_size=2))),
    }
    if profile["ssi_eligible_before"] and benefits != "ssdi":
        since = draw(st.sampled_from([None, 1, 2, 7]))
        profile["ssi_since"] = None if since is None else str(start - since)
    if student:
        profile["birth_month"] = str(start - draw(st.integers(min_value=200, max_value=280)))
    if benefits != "ssi":
        # BPQY history: up to 9 service months in the 59 months before start.
        offsets = draw(st.lists(st.integers(min_value=1, max_value=WINDOW - 1), max_size=NINE,
                                unique=True))
        profile["twp_months_used"] = sorted(str(start - k) for k in offsets)
    expenses = {"irwe": 0.0 if blind and benefits == "ssi" else draw(st.sampled_from([0, 80.0]))}
    if blind:
        expenses["bwe"] = draw(st.sampled_from([0, 60.0]))
    if benefits != "ssi":
        expenses["subsidy"] = draw(st.sampled_from([0, 100.0]))
    if benefits != "ssdi":
        expenses["pass"] = draw(st.sampled_from([0, 50.0]))
    return Plan.from_dict({
        "schema_version": 4, "start": str(start),
        "earnings": draw(st.lists(money, min_size=months, max_size=months)),
        "work_expenses": expenses, "profile": profile,
        "options": {"ssi_accounting": accounting or draw(st.sampled_from(["retrospective",
                                                                         "same_month"]))},
    })
