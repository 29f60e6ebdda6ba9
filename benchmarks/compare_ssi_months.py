"""Compare SSI month by month between two checkouts of IWP Planner on the same random plans.

Made for issue 12 (SSI as 20 CFR 416.420 has it): how many months the new month logic changes
against the plain two-month lag, by how much, and why. Run from the repository root:

    git worktree add /tmp/iwp-old d6ef460          # the commit before the change
    .venv/bin/python benchmarks/compare_ssi_months.py --old /tmp/iwp-old --plans 2000

Each plan is SSI-only or concurrent, 24 months from a random month of 2024–2026, with earnings
shaped like real paths (a job that starts, one that stops, a ramp, a one-month spike, steady
part-time work). Both checkouts simulate the same plan files (schema 3, which both read); the
new engine takes its defaults for the months before the plan (getting SSI now, no earnings).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["ssi_paid", "ssi_countable_income", "medicaid_1619b"]
RUNNER = """
import json, sys
from iwp_widgets import Plan, simulate
out = []
for line in open(sys.argv[1]):
    table = simulate(Plan.from_dict(json.loads(line)))
    out.append({c: [float(v) for v in table[c]] for c in %r})
json.dump(out, open(sys.argv[2], "w"))
""" % COLUMNS


def random_plans(count: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    plans = []
    for _ in range(count):
        months = 24
        start = pd.Period("2024-01", "M") + int(rng.integers(0, 30))
        shape = rng.choice(["starts", "stops", "ramp", "spike", "steady"])
        wage = float(rng.choice([600, 900, 1200, 1500, 1900, 2600]))
        k = int(rng.integers(0, months))
        earnings = np.zeros(months)
        if shape == "starts":
            earnings[k:] = wage
        elif shape == "stops":
            earnings[:k] = wage
        elif shape == "ramp":
            earnings = np.round(np.linspace(0, wage * 1.5, months), 2)
        elif shape == "spike":
            earnings[k] = wage * 2
        else:
            earnings[:] = wage
        benefits = str(rng.choice(["ssi", "concurrent"]))
        profile = {"benefits": benefits, "state": str(rng.choice(["CA", "TX", "NY", "OH"])),
                   "unearned_income": float(rng.choice([0, 0, 50, 300])),
                   "ssi_eligible_before": bool(rng.random() < 0.85)}
        if benefits == "concurrent":
            profile["ssdi_monthly"] = float(rng.choice([200, 400, 700]))
        plans.append({"schema_version": 3, "start": str(start),
                      "earnings": [float(e) for e in earnings], "profile": profile,
                      "options": {"ssi_accounting": "retrospective"}})
    return plans


def simulate_in(tree: Path, plans_file: Path) -> list[dict]:
    out = plans_file.with_suffix(f".{tree.name}.json")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", RUNNER, str(plans_file), str(out)], env=env,
                   check=True, cwd=tree)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="checkout of the old engine")
    parser.add_argument("--new", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    plans = random_plans(args.plans, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        plans_file = Path(folder) / "plans.jsonl"
        plans_file.write_text("".join(json.dumps(p) + "\n" for p in plans))
        old, new = simulate_in(args.old, plans_file), simulate_in(args.new, plans_file)
    rows = []
    for number, (plan, a, b) in enumerate(zip(plans, old, new)):
        paid_old, paid_new = np.array(a["ssi_paid"]), np.array(b["ssi_paid"])
        countable = np.array(b["ssi_countable_income"])
        for t in np.flatnonzero(~np.isclose(paid_old, paid_new)):
            own_over = paid_new[t] == 0 and countable[t] > 0 and paid_old[t] > 0
            if t < 2:
                why = "first two months: paid on the months before the plan, not on month one"
            elif own_over:
                why = "month's own income at or over the limit: not eligible, no SSI"
            else:
                why = "after a month without SSI: paid on its own (or last month's) income"
            rows.append({"plan": number, "benefits": plan["profile"]["benefits"], "month": t,
                         "why": why,
                         "old": paid_old[t], "new": paid_new[t],
                         "change": paid_new[t] - paid_old[t]})
        for t in np.flatnonzero(np.array(a["medicaid_1619b"]) != np.array(b["medicaid_1619b"])):
            rows.append({"plan": number, "benefits": plan["profile"]["benefits"], "month": t,
                         "why": "1619(b) month moved with the eligibility test", "old": 0.0,
                         "new": 0.0, "change": 0.0})
    frame = pd.DataFrame(rows, columns=["plan", "benefits", "month", "why", "old", "new",
                                         "change"])
    total = sum(len(p["earnings"]) for p in plans)
    medicaid = frame["why"].str.startswith("1619(b)")
    paid = frame[~medicaid]
    print(f"{len(plans)} plans, {total} months: SSI paid differs in {len(paid)} months "
          f"({len(paid) / total:.1%}), in {paid['plan'].nunique()} plans")
    if len(paid):
        print(f"higher in {(paid.change > 0).sum()} months, lower in {(paid.change < 0).sum()}; "
              f"mean size of a change ${paid.change.abs().mean():,.2f}, "
              f"largest ${paid.change.abs().max():,.2f}")
        print(paid.groupby("why")["change"].agg(
            months="size", mean_change="mean", mean_size=lambda c: c.abs().mean()
        ).round(2).to_string())
    print(f"1619(b) Medicaid flag differs in {int(medicaid.sum())} months")


if __name__ == "__main__":
    main()
