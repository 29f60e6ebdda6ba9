"""The benefits summary a beneficiary takes home, and the reporting calendar that goes with it.

Shaped as benefits counselors write a Benefits Summary and Analysis: what the person gets now,
their work now and planned, what the plan does to SSDI, SSI, Medicaid and Medicare (month by
month and as the key dates of :func:`iwp_widgets.key_dates`), the work incentives the plan uses,
and things to watch. The reporting calendar says, for each month of the plan, what to report,
to whom and by when, with the rule behind each duty, and warns where an overpayment is likely.

Everything here is data read from the plan and its simulated table (no widgets, no HTML):
``printout/summary.py`` turns it into an HTML page and a PDF, ``widgets/summary_view`` shows it in the
app. Every word goes through the message catalogue (``words``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import PlanError
from .key_dates import income_by_year, key_dates
from .thresholds import Thresholds
from .words import _, date_words, money, month_words, ngettext

CENT = 0.005
# SSA asks SSI recipients to report the month's wages in the first six days of the next month
# (the rule's own deadline, 20 CFR 416.714(a), is the tenth).
SSI_WAGE_REPORT_DAY = 6


@dataclass(frozen=True)
class Source:
    """Where a duty, a warning or a work incentive comes from: ``cite`` the rule (short enough
    for a table cell), ``more`` where SSA explains it (POMS, Handbook, ssa.gov)."""

    cite: str
    more: str = ""


# Citations, one place, from public sources (the program rules themselves: ../shared/rules.md).
SSI_WAGES = Source("20 CFR 416.708(c), 416.714(a)",
                   "SSA, \"Reporting Wages for SSI\" (ssa.gov/ssi/wage-reporting): report the "
                   "month's wages in the first 6 days of the next month; POMS SI 02301.005")
SSI_WORK_CHANGE = Source("20 CFR 416.708(c), 416.714(a)", "POMS SI 02301.005")
SSDI_WORK = Source("20 CFR 404.1588(a)", "SSA Handbook §523")
WORK_EXPENSES_CHANGE = Source("SSA Handbook §523", "POMS NL 00720.273")
PAY_SLIPS = Source("POMS NL 00720.273", "POMS SI 00820.143")
SSDI_OVERPAYMENT = Source("20 CFR 404.1592a(a)(2)(i), 404.501", "POMS GN 02250.038")
SSI_OVERPAYMENT = Source("20 CFR 416.420, 416.537", "POMS SI 02005.005")
GRACE = Source("20 CFR 404.1592a(a)(2)(i)", "POMS DI 10105.010")


@dataclass(frozen=True)
class Duty:
    """One thing to report (or keep) for one month of the plan."""

    code: str          # ssi_wages, ssi_work_started, ssi_work_stopped, ssdi_work_started,
    #                    ssdi_work_stopped, ssdi_pay_changed, work_expenses_changed, pay_slips
    program: str       # "SSI", "SSDI" or "" (both, or none: keeping pay slips)
    what: str
    to_whom: str       # "to Social Security" ("" for keeping pay slips)
    when: str          # "by March 6, 2026", "promptly, as soon as it happens" (or "")
    due: dt.date | None
    source: Source

    @property
    def sentence(self) -> str:
        """The duty as one line: "SSI: report … (to Social Security, by March 6, 2026)."."""
        parts = ", ".join(p for p in (self.to_whom, self.when) if p)
        return (_("{what} ({parts}).").format(what=self.what, parts=parts) if parts
                else _("{what}.").format(what=self.what))


@dataclass(frozen=True)
class Warning:
    """Where an overpayment is likely, in plain words."""

    code: str          # ssdi_check_after_zero, ssi_check_after_zero, ssi_lag_after_job, last_grace
    month: pd.Period
    text: str
    source: Source


@dataclass(frozen=True)
class CalendarMonth:
    month: pd.Period
    earnings: float
    duties: tuple[Duty, ...]
    warnings: tuple[Warning, ...]


@dataclass(frozen=True)
class Incentive:
    code: str          # irwe, bwe, subsidy, pass, seie, 1619a, 1619b
    name: str
    text: str
    source: Source


@dataclass(frozen=True)
class ProgramEffect:
    program: str       # SSDI, Medicare, SSI, Medicaid
    headline: str
    dates: tuple[tuple[str, str], ...]   # (month in words, sentence) from key_dates


@dataclass(frozen=True)
class BenefitsSummary:
    person: str
    en_name: str
    counselor: str
    made_on: str
    benefits: str                               # ssdi, ssi or concurrent
    current: tuple[tuple[str, str], ...]        # (label, value): benefits and coverage now
    work_now: tuple[str, ...]
    work_planned: tuple[str, ...]
    effects: tuple[ProgramEffect, ...]
    key_dates: pd.DataFrame                     # iwp.key_dates(table), as it is
    month_header: tuple[str, ...]
    month_rows: tuple[tuple[str, ...], ...]
    income_header: tuple[str, ...]
    income_rows: tuple[tuple[str, ...], ...]
    incentives: tuple[Incentive, ...]
    watch: tuple[str, ...]
    calendar: tuple[CalendarMonth, ...]
    how_to_report: tuple[str, ...]
    any_projected: bool

    @property
    def warnings(self) -> tuple[Warning, ...]:
        return tuple(w for month in self.calendar for w in month.warnings)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source the calendar, the warnings and the incentives cite, once each."""
        found = [d.source for month in self.calendar for d in month.duties]
        found += [w.source for w in self.warnings] + [i.source for i in self.incentives]
        return tuple(dict.fromkeys(found))


# --- building it ---------------------------------------------------------------------------------

def _programs(benefits: str) -> tuple[bool, bool]:
    """(has SSDI, has SSI) for the plan's ``profile.benefits``."""
    return benefits in ("ssdi", "concurrent"), benefits in ("ssi", "concurrent")


def benefits_summary(plan, table: pd.DataFrame | None = None, thresholds: Thresholds | None = None,
                     today: dt.date | None = None) -> BenefitsSummary:
    """The benefits summary and reporting calendar of ``plan``, as data.

    ``table`` is ``simulate(plan, thresholds)`` (simulated here when not given); ``today`` is the
    date printed on it (today when not given)."""
    from .simulate import simulate

    thresholds = thresholds or Thresholds.default()
    if table is None:
        table = simulate(plan, thresholds)
    if len(table) != plan.months:
        raise PlanError("table: must be the monthly table of this plan (simulate(plan))")
    iwp = plan.iwp
    profile = plan.profile
    has_ssdi, has_ssi = _programs(profile.benefits)
    events = key_dates(table, thresholds)
    person = iwp.beneficiary_name.strip()
    return BenefitsSummary(
        person=person,
        en_name=iwp.en_name.strip(),
        counselor=iwp.counselor_name.strip(),
        made_on=date_words(today or dt.date.today()),
        benefits=profile.benefits,
        current=_current(plan, table, has_ssdi, has_ssi),
        work_now=_work_now(plan),
        work_planned=_work_planned(plan, table, iwp),
        effects=_effects(table, events, has_ssdi, has_ssi),
        key_dates=events,
        month_header=_month_header(has_ssdi, has_ssi),
        month_rows=_month_rows(table, has_ssdi, has_ssi),
        income_header=_income_header(),
        income_rows=_income_rows(plan, thresholds, table),
        incentives=_incentives(plan, table, has_ssdi, has_ssi),
        watch=_watch(plan, table, events, has_ssdi, has_ssi),
        calendar=reporting_calendar(plan, table, events),
        how_to_report=how_to_report(has_ssdi, has_ssi),
        any_projected=bool(table["projected"].any()) if "projected" in table else False,
    )


def _benefit_words(benefits: str) -> str:
    return {"ssdi": _("SSDI (Social Security Disability Insurance)"),
            "ssi": _("SSI (Supplemental Security Income)"),
            "concurrent": _("SSDI and SSI")}[benefits]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def medicaid_words(code: str, short: bool = False) -> str:
    """Medicaid of a month (the table's ``medicaid`` column) in words; ``short`` for a table cell."""
    words = ({"ssi": _("Through SSI"), "1619b": _("Under 1619(b)"), "none": _("No")} if short else
             {"ssi": _("Yes, as an SSI recipient"), "1619b": _("Yes, under Section 1619(b)"), "none": _("No")})
    return words.get(str(code), str(code))


def _current(plan, table: pd.DataFrame, has_ssdi: bool, has_ssi: bool) -> tuple[tuple[str, str], ...]:
    profile = plan.profile
    first = table.index[0]
    rows = [(_("Benefits"), _benefit_words(profile.benefits))]
    if has_ssdi:
        rows.append((_("SSDI each month"), money(profile.ssdi_monthly)))
        used = int(table["twp_months_used"].iat[0]) if not table["twp_month"].iat[0] else \
            int(table["twp_months_used"].iat[0]) - 1
        if profile.twp_completed:
            rows.append((_("Trial Work Period"),
                         _("Completed in {month}").format(month=month_words(profile.twp_completed))))
        else:
            rows.append((_("Trial work months used before the plan"), str(used)))
        rows.append((_("Medicare"), _yes_no(bool(table["medicare"].iat[0]))))
    if has_ssi:
        rows.append((_("Full SSI amount in {month}").format(month=month_words(first)),
                     money(table["ssi_limit"].iat[0])))
        rows.append((_("SSI expected for {month}").format(month=month_words(first)),
                     money(table["ssi_paid"].iat[0])))
        if profile.state_supplement > 0:
            rows.append((_("State supplement"), money(profile.state_supplement)))
        rows.append((_("Medicaid"), medicaid_words(table["medicaid"].iat[0])))
    if profile.unearned_income > 0:
        rows.append((_("Other income each month"), money(profile.unearned_income)))
    if profile.student:
        rows.append((_("Student"), _("Yes")))
    if profile.blind:
        rows.append((_("Blind"), _("Yes")))
    if profile.ticket_assigned:
        rows.append((_("Ticket to Work assigned"), month_words(profile.ticket_assigned)))
    return tuple(rows)


def _work_now(plan) -> tuple[str, ...]:
    before = plan.profile.earnings_before[-1] if plan.profile.earnings_before else 0.0
    if before > CENT:
        return (_("Before the plan starts you earn {amount} a month before taxes.")
                .format(amount=money(before)),)
    return (_("You are not working for pay before the plan starts."),)


def _work_planned(plan, table: pd.DataFrame, iwp) -> tuple[str, ...]:
    lines = []
    if iwp.employment_goal.strip():
        lines.append(_("Your employment goal: {goal}.").format(goal=iwp.employment_goal.strip()))
    earnings = table["gross_earnings"].to_numpy()
    months = table.index
    working = np.flatnonzero(earnings > CENT)
    if not len(working):
        lines.append(_("The plan has no months with pay."))
        return tuple(lines)
    first = working[0]
    lines.append(_("Work starts in {month} at {amount} a month before taxes.")
                 .format(month=month_words(months[first]), amount=money(earnings[first])))
    top = int(np.argmax(earnings))
    if earnings[top] > earnings[first] + CENT:
        lines.append(_("Pay rises to {amount} a month by {month}.")
                     .format(amount=money(earnings[top]), month=month_words(months[top])))
    lines.append(_("In {month}, the plan's last month, you earn {amount}.")
                 .format(month=month_words(months[-1]), amount=money(earnings[-1])))
    if plan.earnings_path is not None:
        from .earnings_path import summary_lines

        path = plan.earnings_path_model
        if path is not None and np.allclose(path.earnings(), earnings, atol=0.01):
            lines += summary_lines(path, plan.start)
    return tuple(lines)


def _effects(table: pd.DataFrame, events: pd.DataFrame, has_ssdi: bool,
             has_ssi: bool) -> tuple[ProgramEffect, ...]:
    total = len(table)
    programs = []

    def checks(program: str, paid: pd.Series) -> tuple[str, str]:
        return program, _("A check is paid for {count} of the plan's {total} months, {amount} in "
                          "all.").format(count=int((paid > CENT).sum()), total=total, amount=money(paid.sum()))

    if has_ssdi:
        programs.append(checks("SSDI", table["ssdi_paid"]))
        medicare = table["medicare"].to_numpy()
        programs.append(("Medicare", _("Medicare continues every month of the plan.")
                         if medicare.all() else _("Medicare covers {count} of the plan's {total} months.")
                         .format(count=int(medicare.sum()), total=total)))
    if has_ssi:
        programs.append(checks("SSI", table["ssi_paid"]))
        coverage = table["medicaid"].astype(str)
        through_ssi, b, none = ((coverage == c).sum() for c in ("ssi", "1619b", "none"))
        if through_ssi == total:
            text = _("Medicaid continues every month of the plan, as an SSI recipient.")
        else:
            text = _("Medicaid: {ssi} months as an SSI recipient, {b} months under Section 1619(b), "
                     "{none} months without it.").format(ssi=int(through_ssi), b=int(b), none=int(none))
        programs.append(("Medicaid", text))
    effects = []
    for program, headline in programs:
        rows = events[events["program"] == program]
        dates = tuple((month_words(m), text) for m, text in zip(rows["month"], rows["text"]))
        effects.append(ProgramEffect(program, headline, dates))
    return tuple(effects)


def _month_header(has_ssdi: bool, has_ssi: bool) -> tuple[str, ...]:
    header = [_("Month"), _("Pay before taxes")]
    if has_ssdi:
        header += [_("SSDI"), _("Medicare")]
    if has_ssi:
        header += [_("SSI"), _("Medicaid")]
    return tuple(header)


def _month_rows(table: pd.DataFrame, has_ssdi: bool, has_ssi: bool) -> tuple[tuple[str, ...], ...]:
    rows = []
    for month, row in table.iterrows():
        cells = [month_words(month), money(row["gross_earnings"])]
        if has_ssdi:
            cells += [money(row["ssdi_paid"]), _yes_no(bool(row["medicare"]))]
        if has_ssi:
            cells += [money(row["ssi_paid"]), medicaid_words(row["medicaid"], short=True)]
        rows.append(tuple(cells))
    return tuple(rows)


def _income_header() -> tuple[str, ...]:
    return (_("Year"), _("With the plan's work"), _("Without work"), _("Difference"))


def _income_rows(plan, thresholds: Thresholds, table: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """Average monthly income per year, with the plan's work and without (key_dates.income_by_year)."""
    frame = income_by_year(plan, thresholds, table)
    return tuple((str(year), money(row["with_work"]), money(row["without_work"]), money(row["difference"]))
                 for year, row in frame.iterrows())


# --- work incentives -----------------------------------------------------------------------------

def _incentives(plan, table: pd.DataFrame, has_ssdi: bool, has_ssi: bool) -> tuple[Incentive, ...]:
    """Only the incentives this plan uses: an expense the plan has, for a program it counts in;
    the student exclusion, 1619(a) and 1619(b) when the table shows them used."""
    expenses, profile = plan.work_expenses, plan.profile
    months = plan.months
    found = []

    def most(key: str) -> str:
        return money(max(expenses.monthly(key, months)))

    if expenses.any("irwe") and (has_ssdi or (has_ssi and not profile.blind)):
        found.append(Incentive("irwe", _("Impairment-Related Work Expenses (IRWE)"), _(
            "What you pay for things you need to work because of your disability (up to {amount} a "
            "month in this plan) is taken off your earnings before Social Security counts them. "
            "Keep the receipts.").format(amount=most("irwe")),
            Source("20 CFR 404.1576, 416.976", "POMS SI 00820.540")))
    if expenses.any("bwe") and has_ssi and profile.blind:
        found.append(Incentive("bwe", _("Blind Work Expenses (BWE)"), _(
            "What you pay to be able to work (up to {amount} a month in this plan) is not counted "
            "for SSI. Keep the receipts.").format(amount=most("bwe")),
            Source("20 CFR 416.1112(c)(8)", "POMS SI 00820.535")))
    if expenses.any("subsidy") and has_ssdi:
        found.append(Incentive("subsidy", _("Subsidy and special conditions"), _(
            "Support at work worth up to {amount} a month is taken off your earnings when Social "
            "Security decides whether your work is substantial (SGA). Your employer may be asked "
            "to confirm it.").format(amount=most("subsidy")),
            Source("20 CFR 404.1574(a)(2), (b)(1)", "POMS DI 10505.010")))
    if expenses.any("pass") and has_ssi:
        found.append(Incentive("pass", _("Plan to Achieve Self-Support (PASS)"), _(
            "Earnings you set aside under an approved PASS (up to {amount} a month in this plan) "
            "are not counted for SSI.").format(amount=most("pass")),
            Source("20 CFR 416.1112(c)(9), 416.1180-416.1182")))
    if has_ssi and (table["seie_excluded"] > CENT).any():
        found.append(Incentive("seie", _("Student Earned Income Exclusion"), _(
            "As a student under 22, up to {amount} of your earnings in this plan are not counted "
            "for SSI.").format(amount=money(table["seie_excluded"].sum())),
            Source("20 CFR 416.1112(c)(3)", "POMS SI 00820.510")))
    if has_ssi and table["ssi_1619a"].any():
        count = int(table["ssi_1619a"].sum())
        found.append(Incentive("1619a", _("Section 1619(a): SSI while earning above SGA"), ngettext(
            "In {count} month your earnings are above the SGA level, and SSI cash continues.",
            "In {count} months your earnings are above the SGA level, and SSI cash continues.",
            count).format(count=count), Source("20 CFR 416.261, 416.262")))
    if has_ssi and table["medicaid_1619b"].any():
        count = int(table["medicaid_1619b"].sum())
        found.append(Incentive("1619b", _("Section 1619(b): Medicaid without an SSI check"), ngettext(
            "In {count} month your SSI check is $0 because of your earnings, and Medicaid continues.",
            "In {count} months your SSI check is $0 because of your earnings, and Medicaid continues.",
            count).format(count=count), Source("20 CFR 416.264-416.269", "POMS SI 02302.200")))
    return tuple(found)


def _watch(plan, table: pd.DataFrame, events: pd.DataFrame, has_ssdi: bool,
           has_ssi: bool) -> tuple[str, ...]:
    watch = [_("These are estimates from the pay you plan to earn. Social Security decides your "
               "benefits: report your work as the calendar below says, and keep this summary.")]
    codes = set(events["event"])
    if has_ssdi and table["twp_month"].any():
        watch.append(_("Every month you earn more than the trial work amount uses one of your nine "
                       "trial work months, even before Social Security counts it."))
    if has_ssdi and ({"suspended", "terminated"} & codes):
        watch.append(_("If your pay drops below the SGA level again, tell Social Security: SSDI can "
                       "start again without a new application while you are in the re-entitlement "
                       "period, or through Expedited Reinstatement after it."))
    if has_ssi and plan.options.ssi_accounting == "retrospective":
        watch.append(_("SSI for a month is usually figured from your income two months before, so "
                       "a change in pay shows in your SSI check two months later."))
    if has_ssi and table["medicaid_1619b"].any():
        limit = table["medicaid_1619b_threshold"].max()
        if np.isfinite(limit):
            watch.append(_("Medicaid under Section 1619(b) continues while your yearly pay before "
                           "taxes stays below {amount} in your state (unless Social Security "
                           "figures a higher amount for you).").format(amount=money(limit)))
    if "medicaid_end" in codes:
        watch.append(_("Medicaid through SSI ends in this plan: before it does, ask your state "
                       "about a Medicaid buy-in or other health coverage."))
    if "medicare_end" in codes:
        watch.append(_("Medicare ends in this plan: look for other health coverage before then."))
    if plan.profile.ticket_assigned:
        watch.append(_("While your Ticket is in use and you make timely progress, Social Security "
                       "does not start a medical review of your disability."))
    if "projected" in table and table["projected"].any():
        watch.append(_("Some months use program amounts Social Security has not published yet: "
                       "they are estimated and may change."))
    return tuple(watch)


def how_to_report(has_ssdi: bool, has_ssi: bool) -> tuple[str, ...]:
    """Ways to report to Social Security, said once above the calendar."""
    ways = []
    if has_ssi:
        ways.append(_("SSI wages: the SSA Mobile Wage Reporting app, the SSI telephone wage "
                      "reporting line, myWageReport in your my Social Security account, or your "
                      "local Social Security office."))
    if has_ssdi:
        ways.append(_("SSDI work: myWageReport in your my Social Security account, by phone, or at "
                      "your local Social Security office."))
    ways.append(_("Each time, keep the receipt or confirmation number Social Security gives you."))
    return tuple(ways)


# --- the reporting calendar ----------------------------------------------------------------------

def _next_month_day(month: pd.Period, day: int) -> dt.date:
    following = month + 1
    return dt.date(following.year, following.month, day)


def reporting_calendar(plan, table: pd.DataFrame,
                       events: pd.DataFrame | None = None) -> tuple[CalendarMonth, ...]:
    """For each month of the plan: what to report, to whom and by when, and the overpayment
    warnings of that month (see :func:`overpayment_warnings`)."""
    has_ssdi, has_ssi = _programs(plan.profile.benefits)
    events = key_dates(table) if events is None else events
    months = table.index
    earnings = table["gross_earnings"].to_numpy()
    before = plan.profile.earnings_before[-1] if plan.profile.earnings_before else 0.0
    previous = np.concatenate([[before], earnings[:-1]])
    expenses = {key: np.asarray(plan.work_expenses.monthly(key, plan.months))
                for key in ("irwe", "bwe", "subsidy", "pass")}
    warnings = overpayment_warnings(plan, table, events)
    social_security = _("to Social Security")
    promptly = _("promptly, as soon as it happens")
    calendar = []
    for t, month in enumerate(months):
        duties = []
        words = month_words(month)
        working, worked = earnings[t] > CENT, previous[t] > CENT
        ssi_due = _next_month_day(month, SSI_WAGE_REPORT_DAY)
        ssi_by = _("by {date}").format(date=date_words(ssi_due))
        if has_ssi and working:
            duties.append(Duty("ssi_wages", "SSI", _(
                "SSI: report the pay you received in {month}, before taxes ({amount} in this plan)"
                ).format(month=words, amount=money(earnings[t])), social_security, ssi_by, ssi_due,
                SSI_WAGES))
        if working and not worked:
            if has_ssi:
                duties.append(Duty("ssi_work_started", "SSI", _("SSI: say that you started work"),
                                   social_security, ssi_by, ssi_due, SSI_WORK_CHANGE))
            if has_ssdi:
                duties.append(Duty("ssdi_work_started", "SSDI", _(
                    "SSDI: say that you started work, with your pay and hours"),
                    social_security, promptly, None, SSDI_WORK))
        if worked and not working:
            if has_ssi:
                duties.append(Duty("ssi_work_stopped", "SSI", _(
                    "SSI: say that your work stopped, and the date of your last pay"),
                    social_security, ssi_by, ssi_due, SSI_WORK_CHANGE))
            if has_ssdi:
                duties.append(Duty("ssdi_work_stopped", "SSDI", _("SSDI: say that your work stopped"),
                                   social_security, promptly, None, SSDI_WORK))
        if has_ssdi and working and worked and abs(earnings[t] - previous[t]) > CENT:
            duties.append(Duty("ssdi_pay_changed", "SSDI", _(
                "SSDI: report the change in pay or hours, {old} to {new} a month").format(
                    old=money(previous[t]), new=money(earnings[t])),
                social_security, promptly, None, SSDI_WORK))
        if t > 0 and any(abs(v[t] - v[t - 1]) > CENT for v in expenses.values()) or \
                t == 0 and any(v[0] > CENT for v in expenses.values()):
            duties.append(Duty("work_expenses_changed", "", _(
                "Report that your work expenses start or change, and keep the receipts"),
                social_security, promptly, None, WORK_EXPENSES_CHANGE))
        if working:
            duties.append(Duty("pay_slips", "", _(
                "Keep your pay slips for {month}: Social Security may ask for them").format(month=words),
                "", "", None, PAY_SLIPS))
        calendar.append(CalendarMonth(month, float(earnings[t]), tuple(duties),
                                      tuple(w for w in warnings if w.month == month)))
    return tuple(calendar)


def _stops(amounts: pd.Series) -> np.ndarray:
    """Index of each month that is $0 after a month that was not: where a payment or pay stops."""
    values = amounts.to_numpy()
    return np.flatnonzero((values[:-1] > CENT) & (values[1:] <= CENT)) + 1


def overpayment_warnings(plan, table: pd.DataFrame,
                         events: pd.DataFrame | None = None) -> tuple[Warning, ...]:
    """Where an overpayment is likely:

    - ``ssdi_check_after_zero`` / ``ssi_check_after_zero``: the first month of each run the plan
      says pays $0 after paid months: a check that still comes for it is likely paid too much
      unless the work was reported;
    - ``ssi_lag_after_job``: the two months after a job ends, whose SSI is still figured from
      the pay of two months before (retrospective accounting, 20 CFR 416.420);
    - ``last_grace``: the last grace month; SSDI stops for the months after it.
    """
    has_ssdi, has_ssi = _programs(plan.profile.benefits)
    events = key_dates(table) if events is None else events
    months = table.index
    found = []
    if has_ssdi:
        for t in _stops(table["ssdi_paid"]):
            month = months[t]
            found.append(Warning("ssdi_check_after_zero", month, _(
                "The plan says no SSDI is due for {month}. SSDI for a month is paid the month "
                "after: if a check for {month} still arrives in {next}, Social Security may not know "
                "about your work. Unless you reported it, that check is likely an overpayment you "
                "would have to pay back: report your work and set the money aside until Social "
                "Security answers.").format(month=month_words(month), next=month_words(month + 1)),
                SSDI_OVERPAYMENT))
        for month in events.loc[events["event"] == "grace_last", "month"]:
            found.append(Warning("last_grace", month, _(
                "{month} is your last grace month: SSDI is paid for it, but not for a later month "
                "with earnings above the SGA level. Checks that keep coming for {next} or later "
                "while you earn above SGA are likely overpayments unless Social Security knows "
                "about your work.").format(month=month_words(month), next=month_words(month + 1)),
                GRACE))
    if has_ssi:
        for t in _stops(table["ssi_paid"]):
            month = months[t]
            found.append(Warning("ssi_check_after_zero", month, _(
                "The plan says your SSI check for {month} is $0. SSI is paid on the first of the "
                "month: if a check still arrives for {month}, it is likely an overpayment unless "
                "you reported your pay. Report your wages and set the money aside until Social "
                "Security answers.").format(month=month_words(month)), SSI_OVERPAYMENT))
        if plan.options.ssi_accounting == "retrospective":
            for t in _stops(table["gross_earnings"]):
                last_pay, month = months[t - 1], months[t]
                found.append(Warning("ssi_lag_after_job", month, _(
                    "Your pay stops after {last}. SSI for {month} and {next} is still figured from "
                    "your pay two months before, so those checks stay lower: that is expected. If "
                    "a full check arrives for them and you had not reported your pay for {before} "
                    "and {last}, it is likely an overpayment.").format(
                        last=month_words(last_pay), month=month_words(month),
                        next=month_words(month + 1), before=month_words(last_pay - 1)),
                    SSI_OVERPAYMENT))
    return tuple(sorted(found, key=lambda w: w.month))
