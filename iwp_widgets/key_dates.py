"""What happens when: the key dates of a plan, read from its monthly table.

``key_dates(table)`` turns the table from :func:`iwp_widgets.simulate` into one row per event,
in plain words, for the app, the print, the lessons and analysts alike. It reads the table only:
every event is a month (or the first month of a run of months) the table shows, so the dates
can never disagree with the table. ``income_by_year(plan)`` compares the monthly income with
the plan's work and without it, averaged per calendar year.

No widgets and no I/O here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import PlanError
from .plan import Plan
from .words import _, money, month_words, ngettext
from .thresholds import Thresholds

COLUMNS = ("month", "program", "event", "text")
PROGRAMS = ("SSDI", "Medicare", "SSI", "Medicaid")
# Events of the same month are listed in this order (the order things happen).
EVENTS = ("twp_first", "twp_ninth", "epe_start", "cessation", "grace_last", "last_ssdi_check",
          "suspended", "epe_end", "terminated", "exr_window_end", "medicare_end",
          "ssi_reduced", "ssi_zero", "ssi_1619a", "seie_used_up", "ssi_1619b", "medicaid_end")
NEEDED = ("ssdi_status", "twp_month", "twp_months_used", "epe_month", "epe_month_number",
          "ssdi_paid", "exr_window", "medicare", "medicaid", "ssi_eligible", "ssi_limit",
          "ssi_paid", "ssi_1619a", "medicaid_1619b", "seie_excluded", "seie_left",
          "gross_earnings", "countable_earnings", "twl", "sga")
CENT = 0.005


def _span(first: pd.Period, last: pd.Period) -> str:
    """'March 2027' or 'March 2027 through May 2027 (3 months)'."""
    if first == last:
        return month_words(first)
    count = (last - first).n + 1
    return ngettext("{first} through {last} ({count} month)", "{first} through {last} ({count} months)",
                    count).format(first=month_words(first), last=month_words(last), count=count)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True."""
    padded = np.concatenate([[False], np.asarray(flags, bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2])]


def key_dates(table: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """One row per event of the plan, ordered by month: columns ``month`` (pandas Period),
    ``program`` (SSDI, Medicare, SSI, Medicaid), ``event`` (a short stable code, see
    ``EVENTS``) and ``text`` (a plain sentence for the beneficiary).

    ``table`` is ``simulate(plan)``; ``thresholds`` are the figures it was simulated with (only
    the lengths of the program periods and the student exclusion's yearly limit are read).
    Runs of months (check suspended, SSI reduced or zero, 1619(a), 1619(b)) are one row each,
    at their first month.
    """
    missing = [c for c in NEEDED if c not in table.columns]
    if missing or not isinstance(table.index, pd.PeriodIndex):
        raise PlanError("table: must be the monthly table from simulate() (missing "
                        f"{', '.join(missing) or 'the month index'})")
    thresholds = thresholds or Thresholds.default()
    rows: list[tuple] = []
    if len(table):
        if (table["ssdi_status"] != "none").any():
            rows += _ssdi_events(table, thresholds)
        if (table["ssi_limit"] > 0).any():
            rows += _ssi_events(table, thresholds)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M") if len(frame) else \
        pd.PeriodIndex([], freq="M")
    order = frame["event"].map(EVENTS.index)
    frame = frame.assign(_order=order).sort_values(["month", "_order"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


def _ssdi_events(table: pd.DataFrame, thresholds: Thresholds) -> list[tuple]:
    months = table.index
    status = table["ssdi_status"].to_numpy().astype(str)
    paid = table["ssdi_paid"].to_numpy()
    number = table["epe_month_number"].to_numpy()
    first = months[0]
    nine = int(thresholds.value("twp_service_months", first))
    reent = int(thresholds.value("epe_reentitlement_months", first))
    exr_months = int(thresholds.value("exr_window_months", first))
    medicare_months = int(thresholds.value("medicare_extended_months", first))
    events = []

    def add(t, program, event, text):
        events.append((months[t], program, event, text))

    # Trial Work Period (20 CFR 404.1592).
    service = np.flatnonzero(table["twp_month"].to_numpy())
    if len(service):
        t = service[0]
        used = int(table["twp_months_used"].iat[t])
        gross, twl = table["gross_earnings"].iat[t], table["twl"].iat[t]
        text = (_("{month} is your first trial work month in this plan (month {used} of {nine}): you "
                  "earn more than {twl}, and SSDI is still paid in full.") if gross > twl else
                _("{month} is your first trial work month in this plan (month {used} of {nine}): you "
                  "work more hours in your business than the trial work limit, and SSDI is still "
                  "paid in full."))
        add(t, "SSDI", "twp_first",
            text.format(month=month_words(months[t]), used=used, nine=nine, twl=money(twl)))
    # Index of the TWP's last month, relative to the table (negative: before the plan): the 9th
    # service month, or from the EPE month numbers when it ended before the plan.
    twp_end = None
    ninth = service[table["twp_months_used"].to_numpy()[service] == nine]
    in_epe = np.flatnonzero(number > 0)
    if len(ninth):
        twp_end = int(ninth[0])
    elif len(in_epe):
        twp_end = int(in_epe[0] - number[in_epe[0]])
    if twp_end is not None and 0 <= twp_end:
        add(twp_end, "SSDI", "twp_ninth",
            _("{month} is your last trial work month (month {nine} of {nine}): the Trial Work "
              "Period ends, and SSDI is still paid for it.").format(
                month=month_words(months[twp_end]), nine=nine))
    if twp_end is not None and 0 <= twp_end + 1 < len(months):
        t = twp_end + 1
        add(t, "SSDI", "epe_start",
            _("Your {length}-month re-entitlement period starts in {first} and runs through "
              "{last}: SSDI is paid for each month your countable earnings are at or below the SGA "
              "level, and not for a month above it (after the cessation and grace months).").format(
                length=reent, first=month_words(months[t]),
                last=month_words(months[0] + twp_end + reent)))
    if twp_end is not None and 0 <= twp_end + reent < len(months):
        t = twp_end + reent
        add(t, "SSDI", "epe_end",
            _("Your re-entitlement period ends with {month}. After it, a month with countable "
              "earnings above the SGA level ends SSDI: at once if you already had a cessation "
              "month, otherwise after that month and the grace months.").format(
                month=month_words(months[t])))

    # Cessation and grace (20 CFR 404.1592a(a)(1)-(2)).
    for t in np.flatnonzero(status == "cessation"):
        add(t, "SSDI", "cessation",
            _("{month} is the cessation month: your countable earnings of {earnings} are above "
              "the {sga} SGA level. SSDI is still paid for this month and the grace months after "
              "it.").format(month=month_words(months[t]),
                            earnings=money(table["countable_earnings"].iat[t]),
                            sga=money(table["sga"].iat[t])))
    for a, b in _runs(status == "grace"):
        if b + 1 < len(months):  # the run ends inside the table: b is the last grace month
            add(b, "SSDI", "grace_last",
                _("Your grace months are {span}: SSDI is paid whatever you earn. {last} is the "
                  "last grace month.").format(span=_span(months[a], months[b]),
                                              last=month_words(months[b])))

    # The check stops; it is paid the month after the month it is for.
    for t in np.flatnonzero((paid[:-1] > 0) & (paid[1:] <= 0)):
        add(t, "SSDI", "last_ssdi_check",
            _("The last SSDI check before it stops is the one for {month} ({amount}). SSDI for a "
              "month is paid the month after, so it arrives in {arrives}.").format(
                month=month_words(months[t]), amount=money(paid[t]),
                arrives=month_words(months[t] + 1)))
    for a, b in _runs(status == "suspended"):
        text = _("No SSDI check for {span}: your countable earnings are above the SGA level in the "
                 "re-entitlement period. Any month at or below the SGA level is paid again without "
                 "a new application.").format(span=_span(months[a], months[b]))
        if b + 1 < len(months) and paid[b + 1] > 0:
            text += " " + _("SSDI is paid again for {month}.").format(month=month_words(months[b + 1]))
        add(a, "SSDI", "suspended", text)

    # Termination, Expedited Reinstatement, Medicare (20 CFR 404.1592a(a)(3), 404.1592b-d).
    terminated = status == "terminated"
    starts = np.flatnonzero(terminated & ~np.concatenate([[False], terminated[:-1]]))
    medicare = table["medicare"].to_numpy()
    medicare_ends = np.flatnonzero(medicare[:-1] & ~medicare[1:])
    for t in starts:
        text = _("SSDI ends in {month}: no SSDI is paid for it or later months.").format(
            month=month_words(months[t]))
        if table["exr_window"].iat[t]:
            text += " " + _("If your condition stops you from working at the SGA level, you can ask "
                            "for Expedited Reinstatement until {month}.").format(
                month=month_words(months[t] + exr_months - 1))
        if medicare[t]:
            later = medicare_ends[medicare_ends >= t]
            last = (months[later[0]] if len(later) else None if twp_end is None
                    else months[0] + twp_end + medicare_months)
            text += " " + (_("Medicare continues through {month}.").format(month=month_words(last))
                           if last is not None else
                           _("Medicare continues for now (Extended Period of Medicare Coverage)."))
        add(t, "SSDI", "terminated", text)
    window = table["exr_window"].to_numpy()
    for t in np.flatnonzero(window[:-1] & ~window[1:]):
        add(t, "SSDI", "exr_window_end",
            _("{month} is the last month to ask for Expedited Reinstatement of SSDI without a new "
              "application.").format(month=month_words(months[t])))
    for t in medicare_ends:
        add(t, "Medicare", "medicare_end",
            _("Medicare ends after {month}, the end of the Extended Period of Medicare Coverage "
              "after your SSDI ended.").format(month=month_words(months[t])))
    return events


def _ssi_events(table: pd.DataFrame, thresholds: Thresholds) -> list[tuple]:
    months = table.index
    paid = table["ssi_paid"].to_numpy()
    limit = table["ssi_limit"].to_numpy()
    eligible = table["ssi_eligible"].to_numpy()
    events = []

    def add(t, program, event, text):
        events.append((months[t], program, event, text))

    reduced = eligible & (paid > 0) & (paid < limit - CENT)
    for a, b in _runs(reduced):
        low, high = paid[a:b + 1].min(), paid[a:b + 1].max()
        text = (_("SSI is less than the full amount for {span} because of your income: {low} a month.")
                if high - low < CENT else
                _("SSI is less than the full amount for {span} because of your income: between {low} "
                  "and {high} a month."))
        add(a, "SSI", "ssi_reduced",
            text.format(span=_span(months[a], months[b]), low=money(low), high=money(high)))
    # Months without SSI cash; 1619(b) months are listed as such below.
    for a, b in _runs((paid <= 0) & ~table["medicaid_1619b"].to_numpy()):
        still = eligible[a:b + 1]
        text = _("No SSI check for {span}.").format(span=_span(months[a], months[b]))
        if still.all():
            text += " " + _("You are still an SSI recipient in these months (the amount comes from "
                            "an earlier month's income), so Medicaid continues.")
        elif not still.any():
            text += " " + _("Your own income in these months is too high for SSI.")
        add(a, "SSI", "ssi_zero", text)
    for a, b in _runs(table["ssi_1619a"].to_numpy()):
        add(a, "SSI", "ssi_1619a",
            _("Your earnings are above the SGA level in {span}, but SSI cash continues under "
              "Section 1619(a).").format(span=_span(months[a], months[b])))
    for t in np.flatnonzero((table["seie_excluded"].to_numpy() > 0)
                            & (table["seie_left"].to_numpy() <= CENT)):
        year = months[t].year
        yearly = thresholds.value("seie_annual_limit", months[t])
        add(t, "SSI", "seie_used_up",
            _("In {month} you use the last of the student earned income exclusion for {year} "
              "({limit} a year); until a new yearly amount starts in {next_january}, more of your "
              "earnings count for SSI.").format(
                month=month_words(months[t]), year=year, limit=money(yearly),
                next_january=month_words(f"{year + 1}-01")))
    for a, b in _runs(table["medicaid_1619b"].to_numpy()):
        add(a, "Medicaid", "ssi_1619b",
            _("No SSI cash for {span}, but Medicaid continues under Section 1619(b).").format(
                span=_span(months[a], months[b])))
    covered = (table["medicaid"].to_numpy().astype(str) != "none")
    for t in np.flatnonzero(covered[:-1] & ~covered[1:]):
        add(t + 1, "Medicaid", "medicaid_end",
            _("Medicaid through SSI ends after {month}: from {next_month} you are neither an SSI "
              "recipient nor covered under Section 1619(b). Ask your state about other Medicaid "
              "programs.").format(month=month_words(months[t]), next_month=month_words(months[t + 1])))
    return events


# The last no-work table: a slider moves only the work, so the next call's no-work plan is equal
# and its simulation (about a third of a redraw of the outlook) is read back instead of redone.
_last_without_work: tuple[Plan, Thresholds, pd.DataFrame] | None = None


def _without_work(idle: Plan, thresholds: Thresholds | None, simulate) -> pd.DataFrame:
    global _last_without_work
    thresholds = thresholds or Thresholds.default()   # the same figures, the same key
    last = _last_without_work
    if last is not None and last[1] is thresholds and last[0] == idle:
        return last[2]
    table = simulate(idle, thresholds)
    _last_without_work = (idle, thresholds, table)
    return table


def income_by_year(plan: Plan, thresholds: Thresholds | None = None,
                   table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly income with the plan's work and without work, averaged per calendar year.

    One row per calendar year of the plan (index ``year``) with monthly averages: ``earnings``,
    ``ssdi``, ``ssi``, ``other_income``, ``work_expenses`` (IRWE and blind work expenses the
    person pays), ``with_work`` (earnings + benefits + other income − work expenses),
    ``without_work`` (benefits + other income with no earnings and no work expenses) and
    ``difference`` (with_work − without_work); ``months`` counts the plan's months in the year.
    ``table`` is ``simulate(plan, thresholds)`` when the caller has it already (not simulated again).
    """
    from .simulate import simulate

    table = simulate(plan, thresholds) if table is None else table
    # The same person with no work: no earnings, hours or work expenses (the months before the
    # plan keep the earnings they had: they are past).
    idle = plan.replace(earnings=(0.0,) * plan.months, earnings_path=None, hours=None,
                        work_expenses={"irwe": 0.0, "bwe": 0.0, "subsidy": 0.0, "pass": 0.0})
    without = _without_work(idle, thresholds, simulate)
    expenses = (np.asarray(plan.work_expenses.monthly("irwe", plan.months))
                + np.asarray(plan.work_expenses.monthly("bwe", plan.months)))
    frame = pd.DataFrame({
        "earnings": table["gross_earnings"].to_numpy(),
        "ssdi": table["ssdi_paid"].to_numpy(),
        "ssi": table["ssi_paid"].to_numpy(),
        "other_income": table["unearned_income"].to_numpy(),
        "work_expenses": expenses,
        "without_work": without["total_income"].to_numpy(),
    }, index=table.index)
    frame["with_work"] = table["total_income"].to_numpy() - expenses
    frame["difference"] = frame["with_work"] - frame["without_work"]
    grouped = frame.groupby(pd.Index(table.index.year, name="year"))
    result = grouped.mean()
    result.insert(0, "months", grouped.size())
    return result[["months", "earnings", "ssdi", "ssi", "other_income", "work_expenses",
                   "with_work", "without_work", "difference"]]
