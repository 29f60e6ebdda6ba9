"""Speed of the Ticket layer: one plan (what an app re-runs on every edit) and a vectorised caseload.

    .venv/bin/python benchmarks/bench_ticket.py [beneficiaries] [months]

Prints figures; it asserts nothing (speed is not a unit test here).
"""

import sys
import time

import numpy as np
import pandas as pd

import iwp_widgets as iwp
from iwp_widgets.thresholds import Thresholds
from iwp_widgets.ticket import check_goals, en_payments, progress_reviews
from iwp_widgets.ticket.payments import schedule


def per_call_ms(function, repeat: int) -> float:
    function()  # warm the figure caches
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat * 1000


def main(beneficiaries: int = 10_000, months: int = 120) -> None:
    plan = iwp.Plan.example("ssdi_ramp_to_sga")
    table = iwp.simulate(plan)
    model, assigned = plan.iwp, plan.profile.ticket_assigned
    print(f"one plan, {plan.months} months:")
    calls = {"en_payments": lambda: en_payments(table, "ssdi", assigned, model),
             "progress_reviews": lambda: progress_reviews(table, model, assigned),
             "check_goals": lambda: check_goals(table, model),
             "simulate (all)": lambda: iwp.simulate(plan)}
    for name, call in calls.items():
        print(f"  {name:<17} {per_call_ms(call, 20):7.1f} ms")

    rng = np.random.default_rng(1)
    gross = rng.choice([0.0, 700.0, 1300.0, 1800.0], size=(beneficiaries, months))
    cash_zero = rng.random((beneficiaries, months)) < 0.3
    title16 = np.arange(beneficiaries) % 3 == 0
    index = pd.period_range("2026-01", periods=months, freq="M")
    twl = np.full((beneficiaries, months), 1210.0)
    sga = np.full((beneficiaries, months), 1690.0)
    outcome = np.where(title16[:, None], (gross > 0) & cash_zero, (gross > sga) & cash_zero)
    th = Thresholds.default()
    run = lambda: schedule(index, gross, twl, sga, outcome, title16,  # noqa: E731
                           rng.integers(0, 12, beneficiaries), thresholds=th)
    seconds = per_call_ms(run, 1) / 1000
    print(f"schedule, {beneficiaries:,} beneficiaries x {months} months: {seconds:.2f} s "
          f"({beneficiaries * months / seconds / 1e6:.1f} M beneficiary-months/s)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
