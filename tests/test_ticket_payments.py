"""EN payments under both systems (20 CFR §411.500 ff.; rules.md §6 and worked examples W15, W16).

Paths are built directly as simulate-shaped tables (gross_earnings, twl, sga, ssdi_paid, ssi_paid) so
each test controls exactly which months qualify.
"""

import numpy as np
import pandas as pd
import pytest

from iwp_widgets import PlanError
from iwp_widgets.thresholds import Thresholds
from iwp_widgets.ticket import IWP, en_payments, en_summary_by_year


def path(start, gross, twl, sga, ssdi=0.0, ssi=0.0):
    months = pd.period_range(start, periods=len(gross), freq="M", name="month")
    return pd.DataFrame({"gross_earnings": np.asarray(gross, dtype=float), "twl": twl, "sga": sga,
                         "ssdi_paid": np.asarray(ssdi, dtype=float) if np.ndim(ssdi) else ssdi,
                         "ssi_paid": np.asarray(ssi, dtype=float) if np.ndim(ssi) else ssi},
                        index=months)


def paid(frame):
    return frame[frame["en_payment"] > 0]


def kinds(frame):
    return paid(frame)["en_payment_type"].str.rsplit(" ", n=1).str[0].value_counts().to_dict()


def facts(**ticket):
    return IWP.from_dict({"version": 2, "ticket": ticket})


# --- W16: the 2008 illustrative schedule (20 CFR §411.545(c) Chart I; §411.550 Charts II–III) ------
def test_w16_2008_amounts_come_from_the_2008_pcb_rows():
    """W16: PCB 2008 T-II $981.17 / T-XVI $563.35 → P1 $1,177; P2 and outcome $353 / $203;
    outcome-only $657 / $377 (rules.md §6.4)."""
    th = Thresholds.default()
    month = "2008-07"
    assert th.value("en_pcb_title2", month) == 981.17
    assert th.value("en_pcb_title16", month) == 563.35
    expected = {"en_phase1_milestone": 1177, "en_phase2_milestone_title2": 353,
                "en_phase2_milestone_title16": 203, "en_mo_outcome_title2": 353,
                "en_mo_outcome_title16": 203, "en_oo_outcome_title2": 657, "en_oo_outcome_title16": 377}
    for name, amount in expected.items():
        assert th.value(name, month) == amount, name


def w16_path(benefits, months=100):
    """Always above SGA from the month of assignment (July 2008, TWL $670, SGA $940); benefits stop
    once every milestone could have been paid, so outcome months follow the milestones."""
    gross = np.full(months, 1000.0)
    cash = np.where(np.arange(months) < (20 if benefits == "ssdi" else 27), 800.0, 0.0)
    return path("2008-07", gross, 670.0, 940.0, ssdi=cash if benefits == "ssdi" else 0.0,
                ssi=cash if benefits == "ssi" else 0.0)


def test_w16_milestone_outcome_title2_total_21299():
    """W16: P1 4 × $1,177 + P2 11 × $353 + outcome 36 × $353 = $21,299 (Title II)."""
    frame = en_payments(w16_path("ssdi", 60), "ssdi", "2008-07")
    assert kinds(frame) == {"Phase 1 milestone": 4, "Phase 2 milestone": 11, "Outcome payment": 36}
    assert frame["en_payment"].sum() == 21299
    # 2008 figures are official; later years repeat them as carried forward → projected.
    assert not frame.loc["2008", "en_payment_projected"].any()
    assert frame.loc[paid(frame).index[-1], "en_payment_projected"]


def test_w16_milestone_outcome_ssi_total_20542():
    """W16: P1 4 × $1,177 + P2 18 × $203 + outcome 60 × $203 = $20,542 (SSI only)."""
    frame = en_payments(w16_path("ssi", 100), "ssi", "2008-07")
    assert kinds(frame) == {"Phase 1 milestone": 4, "Phase 2 milestone": 18, "Outcome payment": 60}
    assert frame["en_payment"].sum() == 20542


@pytest.mark.parametrize("benefits, count, total", [("ssdi", 36, 23652), ("ssi", 60, 22620)])
def test_w16_outcome_only_totals(benefits, count, total):
    """W16 / §411.550: outcome-only $657 × 36 = $23,652 (T-II); $377 × 60 = $22,620 (SSI)."""
    frame = en_payments(w16_path(benefits, 100), benefits, "2008-07", system="outcome_only")
    assert kinds(frame) == {"Outcome payment": count}
    assert frame["en_payment"].sum() == total


def test_concurrent_is_paid_as_title2():
    """§411.500(a): concurrent beneficiaries are treated as Title II (11 P2, 36 outcomes)."""
    table = w16_path("ssdi", 60)
    frame = en_payments(table, "concurrent", "2008-07")
    assert frame["en_payment"].sum() == 21299


# --- W15: sequence ------------------------------------------------------------------------------
def test_w15_first_month_above_sga_pays_p1m1_not_p2():
    """W15 (§411.525(a)(2)(iii)): first month after assignment > SGA pays Phase 1 milestone 1."""
    table = path("2026-01", [2000.0] * 12, 1210.0, 1690.0, ssdi=1400.0)
    frame = en_payments(table, "ssdi", "2026-01")
    assert frame.loc["2026-01", "en_payment_type"] == "Phase 1 milestone 1"
    assert frame.loc["2026-01", "en_payment"] == 1850  # 2025 published amount carried into 2026
    assert frame.loc["2026-01", "en_payment_projected"]
    # The second month above SGA pays nothing: milestone 2 needs 3 months, and P2 must wait.
    assert frame.loc["2026-02", "en_payment"] == 0
    assert list(paid(frame)["en_payment_type"][:4]) == [
        "Phase 1 milestone 1", "Phase 1 milestone 2", "Phase 1 milestone 3", "Phase 1 milestone 4"]
    assert frame.loc["2026-10", "en_payment_type"] == "Phase 2 milestone 1"


def test_phase1_windows_3_in_6():
    """§411.525(a)(2)(i): milestone 2 = 3 months ≥ TWL within 6; here months 1, 4 and 6."""
    gross = [1210, 0, 0, 1210, 0, 1210, 0, 0]
    frame = en_payments(path("2026-01", gross, 1210.0, 1690.0, ssdi=1400.0), "ssdi", "2026-01")
    assert frame.loc["2026-06", "en_payment_type"] == "Phase 1 milestone 2"


# --- boundaries (rules.md §8 item 2) --------------------------------------------------------------
def test_exactly_twl_counts_for_phase1():
    """§411.525(a)(2)(i): Phase 1 uses gross earnings equal to or more than the TWL."""
    frame = en_payments(path("2026-01", [1210.0], 1210.0, 1690.0, ssdi=1400.0), "ssdi", "2026-01")
    assert frame.loc["2026-01", "en_payment_type"] == "Phase 1 milestone 1"


def test_exactly_sga_is_not_phase2_under_the_regulation_but_is_under_en_guidance():
    """§411.525(a)(2)(ii) "more than" SGA vs the YTTW pages' "at or above" (rules.md §8.2)."""
    table = path("2026-01", [1690.0] * 12, 1210.0, 1690.0, ssdi=1400.0)
    regulation = en_payments(table, "ssdi", "2026-01")
    assert "Phase 2 milestone" not in kinds(regulation)
    guidance = en_payments(table, "ssdi", "2026-01", phase2_rule="en_guidance")
    assert guidance.loc["2026-10", "en_payment_type"] == "Phase 2 milestone 1"


def test_p1m1_rule_regulation_half_twl():
    """§411.525(a)(2)(i) (2008 text): P1M1 with earnings ≥ 50% of the TWL; EN guidance needs the TWL."""
    table = path("2026-01", [605.0, 0, 0], 1210.0, 1690.0, ssdi=1400.0)
    assert en_payments(table, "ssdi", "2026-01")["en_payment"].sum() == 0
    regulation = en_payments(table, "ssdi", "2026-01", p1m1_rule="regulation")
    assert regulation.loc["2026-01", "en_payment_type"] == "Phase 1 milestone 1"


def test_no_payment_before_assignment():
    """Milestones need earnings after first assignment (rules.md §6.3). (The months before it are
    $0: a month above the TWL there would be a look-back exclusion, test_ticket_cases.py.)"""
    table = path("2026-01", [0.0, 0.0, 1500.0, 1500.0], 1210.0, 1690.0, ssdi=1400.0)
    frame = en_payments(table, "ssdi", "2026-03")
    assert frame.loc[:"2026-02", "en_payment"].sum() == 0
    assert frame.loc["2026-03", "en_payment_type"] == "Phase 1 milestone 1"
    assert en_payments(table, "ssdi", None)["en_payment"].sum() == 0


# --- 18-month look-back (§411.535(a)(1)(ii), (a)(2); YTTW-EXCL) -----------------------------------
def test_lookback_month_before_assignment_above_twl_drops_p1m1():
    """More than the TWL (2025: $1,160) in the month before assignment → no milestone 1."""
    iwp = facts(earnings_before_assignment=[1200.0])
    table = path("2026-01", [1300.0] * 4, 1210.0, 1690.0, ssdi=1400.0)
    frame = en_payments(table, "ssdi", "2026-01", iwp)
    assert frame.loc["2026-01", "en_payment"] == 0
    assert frame.loc["2026-03", "en_payment_type"] == "Phase 1 milestone 2"


def test_lookback_exactly_twl_is_not_more_than_twl():
    """The look-back uses "more than" the TWL: $1,160 in December 2025 (the 2025 TWL) keeps P1M1."""
    iwp = facts(earnings_before_assignment=[1160.0])
    table = path("2026-01", [1300.0], 1210.0, 1690.0, ssdi=1400.0)
    assert en_payments(table, "ssdi", "2026-01", iwp).loc["2026-01", "en_payment_type"] == \
        "Phase 1 milestone 1"


def test_lookback_3_of_6_drops_p1m2_but_not_p1m1():
    """3 of the 6 months before (not the last one) above the TWL → no milestone 2."""
    iwp = facts(earnings_before_assignment=[1200.0, 1200.0, 1200.0, 0, 0, 0])
    table = path("2026-01", [1300.0] * 10, 1210.0, 1690.0, ssdi=1400.0)
    types = list(paid(en_payments(table, "ssdi", "2026-01", iwp))["en_payment_type"])
    assert types[:3] == ["Phase 1 milestone 1", "Phase 1 milestone 3", "Phase 1 milestone 4"]


def test_lookback_9_of_18_drops_p1m4():
    """9 of the 18 months before assignment above the TWL (oldest nine) → no milestone 4 only."""
    iwp = facts(earnings_before_assignment=[1200.0] * 9 + [0.0] * 9)
    table = path("2026-01", [1800.0] * 12, 1210.0, 1690.0, ssdi=1400.0)
    types = list(paid(en_payments(table, "ssdi", "2026-01", iwp))["en_payment_type"])
    assert types[:4] == ["Phase 1 milestone 1", "Phase 1 milestone 2", "Phase 1 milestone 3",
                         "Phase 2 milestone 1"]


def test_state_vr_closure_within_18_months_removes_phase1():
    """YTTW-EXCL (from Feb 2020): no Phase 1 milestones after a State VR successful closure."""
    iwp = facts(state_vr_closure_within_18_months=True)
    table = path("2026-01", [1800.0] * 3, 1210.0, 1690.0, ssdi=1400.0)
    frame = en_payments(table, "ssdi", "2026-01", iwp)
    assert list(paid(frame)["en_payment_type"]) == [
        "Phase 2 milestone 1", "Phase 2 milestone 2", "Phase 2 milestone 3"]


def test_p1m4_waits_for_the_en_to_finish_services():
    """§411.525(a)(2)(i): milestone 4 also needs the EN to have substantially completed services."""
    iwp = facts(en_substantially_completed_services="2026-12")
    table = path("2026-01", [1300.0] * 14, 1210.0, 1690.0, ssdi=1400.0)
    frame = en_payments(table, "ssdi", "2026-01", iwp)
    assert frame.loc["2026-09", "en_payment"] == 0
    assert frame.loc["2026-12", "en_payment_type"] == "Phase 1 milestone 4"


# --- reconciliation (§411.536) --------------------------------------------------------------------
def test_reconciliation_after_the_12th_outcome_payment():
    """Outcome period starts in month 4 (SSDI stops) with P1M1–M2 paid: P1M3, P1M4 and 11 P2 are
    owed at that year's amounts and paid with the 12th outcome payment (2008 amounts)."""
    months = 40
    ssdi = np.where(np.arange(months) < 3, 800.0, 0.0)
    table = path("2008-07", np.full(months, 1000.0), 670.0, 940.0, ssdi=ssdi)
    frame = en_payments(table, "ssdi", "2008-07")
    assert list(paid(frame)["en_payment_type"][:3]) == [
        "Phase 1 milestone 1", "Phase 1 milestone 2", "Outcome payment 1"]
    twelfth = frame.index[3 + 11]
    assert frame.loc[twelfth, "en_payment_type"] == "Outcome payment 12; Reconciliation"
    owed = 2 * 1177 + 11 * 353
    assert frame.loc[twelfth, "en_reconciliation"] == owed
    assert frame.loc[twelfth, "en_payment"] == owed + 353

    summary = en_summary_by_year(frame)
    recon = summary[summary["payment"] == "Reconciliation"]
    assert recon["count"].tolist() == [1] and recon["dollars"].tolist() == [owed]
    outcomes = summary[summary["payment"] == "Outcome payment"]
    assert outcomes["count"].sum() == 36 and outcomes["dollars"].sum() == 36 * 353


def test_summary_by_year_counts_and_dollars():
    """en_summary_by_year adds each calendar year's payments by type (W16 Title II path)."""
    summary = en_summary_by_year(en_payments(w16_path("ssdi", 60), "ssdi", "2008-07"))
    assert summary.groupby("payment")["count"].sum().to_dict() == {
        "Phase 1 milestone": 4, "Phase 2 milestone": 11, "Outcome payment": 36}
    assert summary["dollars"].sum() == 21299
    first = summary[summary["year"] == 2008].set_index("payment")
    assert first.loc["Phase 1 milestone", "count"] == 3   # Jul, Sep, Dec 2008
    assert not first.loc["Phase 1 milestone", "projected"]


def test_bad_option_names_the_field():
    table = path("2026-01", [0.0], 1210.0, 1690.0)
    with pytest.raises(PlanError, match=r"^options.en_payment_system:"):
        en_payments(table, "ssdi", "2026-01", system="hourly")
    with pytest.raises(PlanError, match=r"^profile.benefits:"):
        en_payments(table, "none", "2026-01")


def test_vectorised_schedule_matches_one_at_a_time():
    """payments.schedule over N beneficiaries gives each the same payments as en_payments alone
    (same rules as above; random paths mixing Title II and SSI, assignment months and look-backs)."""
    from iwp_widgets.ticket.payments import payment_labels, schedule

    rng = np.random.default_rng(7)
    n, months = 12, 60
    gross = rng.choice([0.0, 700.0, 1300.0, 1800.0], size=(n, months), p=[0.2, 0.2, 0.3, 0.3])
    cash = np.where(rng.random((n, months)) < 0.3, 0.0, 900.0)
    title16 = np.arange(n) % 3 == 0
    assigned = rng.integers(-3, 10, size=n)
    before = rng.choice([0.0, 2000.0], size=(n, 18), p=[0.6, 0.4])
    start = pd.Period("2025-01", freq="M")
    batch = schedule(pd.period_range(start, periods=months, freq="M"), gross, np.full((n, months), 1160.0),
                     np.full((n, months), 1620.0),
                     np.where(title16[:, None], (gross > 0) & (cash == 0), (gross > 1620.0) & (cash == 0)),
                     title16, assigned, _available(before, gross, start, assigned), np.full(n, -10**9))
    labels = payment_labels(batch["kind"], batch["number"], batch["reconciliation"])
    assert set(np.unique(batch["kind"])) == {0, 1, 2, 3}  # every kind of payment occurs
    for i in range(n):
        table = path(str(start), gross[i], 1160.0, 1620.0,
                     ssdi=0.0 if title16[i] else cash[i], ssi=cash[i] if title16[i] else 0.0)
        one = en_payments(table, "ssi" if title16[i] else "ssdi", start + int(assigned[i]),
                          facts(earnings_before_assignment=before[i].tolist()))
        assert one["en_payment"].tolist() == batch["amount"][i].tolist(), i
        assert one["en_payment_type"].tolist() == labels[i].tolist(), i


def _available(before, gross, start, assigned):
    """Phase 1 milestones left by the look-back, worked out month by month: each of the 18 months
    before assignment is the path's own month when the path has it, else the listed earlier
    earnings (the last one the month before assignment)."""
    from iwp_widgets.ticket.payments import phase1_available

    th = Thresholds.default()
    above = np.zeros((len(before), 18), dtype=bool)
    for i, offset in enumerate(assigned):
        for j, month in enumerate(pd.period_range(end=start + int(offset) - 1, periods=18, freq="M")):
            inside = 0 <= (month - start).n < gross.shape[1]
            earned = gross[i, (month - start).n] if inside else before[i, j]
            above[i, j] = earned > th.value("twl", month)
    # Months needed and windows of Phase 1 milestones 1-4 (§411.525(a)(2)(i); rules.md §6.3).
    return phase1_available(above, np.zeros(len(before), dtype=bool), [1, 3, 6, 9], [1, 6, 12, 18])


def test_months_before_july_2008_get_no_payment():
    """The payment rules modelled start July 2008 (FR-2008, rules.md §6); a path that starts
    earlier is paid from then on."""
    early = en_payments(path("2008-01", [1000.0] * 24, 670.0, 940.0, ssdi=800.0), "ssdi", "2008-01")
    assert early.loc[:"2008-06", "en_payment"].sum() == 0
    assert early.loc["2008-07", "en_payment_type"] == "Phase 1 milestone 1"
    late = en_payments(path("2008-07", [1000.0] * 24, 670.0, 940.0, ssdi=800.0), "ssdi", "2008-07")
    assert late.loc["2008-07", "en_payment"] == 1177 and late["en_payment"].sum() > 0
