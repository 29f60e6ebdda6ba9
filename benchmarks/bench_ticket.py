"""Speed of one plan's simulation (what an app re-runs on every edit) and of the EN payment schedule.

    .venv/bin/python benchmarks/bench_ticket.py [beneficiaries] [months]

For one 36-month plan: the median time of ``simulate`` (target ≤ 3 ms, issue 16) next to the engine
core's share of it measured in the same run (``simulate._run_plan``: the plan's inputs and
``rules.run``), and the Ticket layer's steps. Then the EN schedule over a caseload next to the core's
throughput on as many beneficiary-months. Prints figures; it asserts nothing (speed is not a unit
test here).
"""

import sys

import numpy as np
import pandas as pd

import iwp_widgets as iwp
from iwp_widgets.thresholds import Thresholds
from iwp_widgets.ticket import check_goals, en_payments, progress_reviews
from iwp_widgets.ticket.payments import schedule


def per_call_ms(function, repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``repeat`` calls, after one to warm the figure caches."""
    from bench_engine import median_times

    function()
    return tuple(seconds * 1000 for seconds in median_times(function, repeat))


def main(beneficiaries: int = 10_000, months: int = 120) -> None:
    from bench_engine import core_throughput

    from iwp_widgets.simulate import _run_plan

    plan = iwp.Plan.example("ssdi_ramp_to_sga")
    table = iwp.simulate(plan)
    model, assigned = plan.iwp, plan.profile.ticket_assigned
    th = Thresholds.default()
    wall, cpu = per_call_ms(lambda: iwp.simulate(plan), 200)
    print(f"one plan, {plan.months} months (medians of 200 calls; wall, CPU):")
    print(f"  {'simulate (all)':<26} {wall:7.2f} ms {cpu:7.2f} ms  "
          f"[target ≤ 3 ms: {'met' if wall <= 3 else 'not met'} on wall time, "
          f"{'met' if cpu <= 3 else 'not met'} on CPU time]")
    calls = {"core: inputs + rules.run": lambda: _run_plan(plan, th),
             "en_payments": lambda: en_payments(table, "ssdi", assigned, model),
             "progress_reviews": lambda: progress_reviews(table, model, assigned),
             "check_goals": lambda: check_goals(table, model)}
    for name, call in calls.items():
        print(f"  {name:<26} {'{:7.2f} ms {:7.2f} ms'.format(*per_call_ms(call, 200))}")

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
    seconds = per_call_ms(run, 3)[0] / 1000
    core, _ = core_throughput(beneficiaries, months, 3)
    print(f"schedule, {beneficiaries:,} beneficiaries x {months} months: {seconds:.2f} s "
          f"({beneficiaries * months / seconds / 1e6:.1f} M beneficiary-months/s; "
          f"the core: {core / 1e6:.1f} M/s)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
