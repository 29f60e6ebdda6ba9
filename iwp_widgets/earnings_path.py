"""Earnings paths: hours a week × hourly wage, month by month, as a counselor sketches them.

Pure arithmetic, no program rules: this module turns "20 hours a week at $16, then 40 hours from
month 7, off work in August" into a list of monthly gross earnings for ``Plan.earnings``.
What those earnings do to benefits is the simulator's job.

A path has
- a start: the month work begins (months before it earn nothing), hours a week and hourly wage;
- step-ups: from a given month, new hours and/or wage;
- a target: the month the final hours and wage are reached. ``ramp="steps"`` jumps there;
  ``ramp="linear"`` climbs evenly month by month from the start (or the last step-up) to it;
- breaks: runs of months with no work (illness, school term, seasonal lay-off);
- edits: per-month gross earnings typed in by hand, which win over everything else.

Months are counted from the plan's first month: 0 is the plan start.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from math import isfinite
from typing import Mapping

from . import words
from .errors import PlanError, above, below, not_a_number, not_finite, not_one_of, shown, shown_key, unknown_field
from .limits import MAX_HOURLY_WAGE, MAX_MONEY

# Calendar arithmetic, not a program rule: 52 weeks spread over 12 months.
WEEKS_PER_MONTH = 52 / 12
MAX_MONTHS = 240  # the plan contract's longest projection
MAX_HOURS_PER_WEEK = 168  # hours in a week
# How messages say it, in the reader's language when one is shown (a caseload's path columns).
HOURS_A_WEEK_LIMIT = words.Said(
    lambda: words._("{hours} hours a week").format(hours=words.number(MAX_HOURS_PER_WEEK)))
RAMPS = ("steps", "linear")


@dataclass(frozen=True)
class StepUp:
    """From ``month`` on, work ``hours_per_week`` at ``hourly_wage``."""

    month: int
    hours_per_week: float
    hourly_wage: float


@dataclass(frozen=True)
class Break:
    """No work from ``first`` to ``last`` month, both included."""

    first: int
    last: int


@dataclass(frozen=True)
class EarningsPath:
    months: int = 24
    start_month: int = 0
    start_hours: float = 20.0
    start_wage: float = 15.0
    target_month: int | None = None
    target_hours: float | None = None
    target_wage: float | None = None
    ramp: str = "steps"
    step_ups: tuple[StepUp, ...] = ()
    breaks: tuple[Break, ...] = ()
    edits: Mapping[int, float] = field(default_factory=dict)

    def __post_init__(self):
        validate(self)

    @property
    def goal_hours(self) -> float:
        """The hours a week the goal reaches: the start's when the goal sets none."""
        return self.start_hours if self.target_hours is None else self.target_hours

    @property
    def goal_wage(self) -> float:
        """The pay per hour the goal reaches: the start's when the goal sets none."""
        return self.start_wage if self.target_wage is None else self.target_wage

    def with_changes(self, **changes) -> "EarningsPath":
        """A new validated path with some fields changed."""
        return replace(self, **changes)

    def with_edit(self, month: int, earnings: float | None) -> "EarningsPath":
        """Set (or with ``None`` clear) a hand-typed month."""
        edits = dict(self.edits)
        if earnings is None:
            edits.pop(month, None)
        else:
            edits[month] = earnings
        return replace(self, edits=edits)

    def hours(self) -> list[float]:
        """Hours worked in each month (weekly hours × weeks per month); hand edits keep the
        hours the path would have had unless the edit is 0."""
        rate = _weekly_schedule(self)
        out = []
        for month, (hours_per_week, _wage) in enumerate(rate):
            if month in self.edits and self.edits[month] == 0:
                out.append(0.0)
            else:
                out.append(round(hours_per_week * WEEKS_PER_MONTH, 2))
        return out

    def earnings(self) -> list[float]:
        """Monthly gross earnings, rounded to cents."""
        out = []
        for month, (hours_per_week, wage) in enumerate(_weekly_schedule(self)):
            if month in self.edits:
                out.append(float(self.edits[month]))
            else:
                out.append(round(hours_per_week * wage * WEEKS_PER_MONTH, 2))
        return out

    def to_dict(self) -> dict:
        """Plain JSON-ready data (kept in the plan file so the editor reopens as it was)."""
        return {
            "months": self.months, "start_month": self.start_month,
            "start_hours": self.start_hours, "start_wage": self.start_wage,
            "target_month": self.target_month, "target_hours": self.target_hours,
            "target_wage": self.target_wage, "ramp": self.ramp,
            "step_ups": [[s.month, s.hours_per_week, s.hourly_wage] for s in self.step_ups],
            "breaks": [[b.first, b.last] for b in self.breaks],
            "edits": {str(m): v for m, v in sorted(self.edits.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "EarningsPath":
        """The path from its :meth:`to_dict` form (as read from a plan file). Errors name the field
        from the path's top, e.g. ``step_ups[1]`` or ``edits``; ``months`` is required, other
        fields may be left out (their defaults)."""
        if not isinstance(data, Mapping):
            raise PlanError(f"earnings_path: must be an object, got {type(data).__name__}")
        unknown = sorted(str(key) for key in set(data) - set(cls.__dataclass_fields__))
        if unknown:
            key = shown_key(unknown[0])
            raise PlanError(f"{key}: " + unknown_field(cls.__dataclass_fields__), field=key)
        if "months" not in data:
            raise PlanError("months: missing (the number of months the path covers)")
        fields = dict(data)
        fields["step_ups"] = tuple(StepUp(*_entry(entry, f"step_ups[{i}]", 3, "[month, hours a week, hourly wage]"))
                                   for i, entry in enumerate(_list(data.get("step_ups", ()), "step_ups")))
        fields["breaks"] = tuple(Break(*_entry(entry, f"breaks[{i}]", 2, "[first month, last month]"))
                                 for i, entry in enumerate(_list(data.get("breaks", ()), "breaks")))
        edits = data.get("edits", {})
        if not isinstance(edits, Mapping):
            raise PlanError(f"edits: must be an object of month number: pay, got {type(edits).__name__}")
        fields["edits"] = {_edit_month(month): value for month, value in edits.items()}
        return cls(**fields)


def _list(value, name: str) -> list:
    if not isinstance(value, (list, tuple)):
        raise PlanError(f"{name}: must be a list, got {type(value).__name__}")
    return list(value)


def _entry(value, name: str, size: int, shape: str) -> list:
    if not isinstance(value, (list, tuple)) or len(value) != size:
        raise PlanError(f"{name}: must be {shape}, got {shown(value)}")
    return list(value)


def _edit_month(key) -> int:
    """A month number as a JSON object key: "5" (or 5 from Python)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 6 and str(int(key)) == key:
        return int(key)
    raise PlanError(f"edits: months must be whole numbers written like \"5\", got {shown(key)}")


def _weekly_schedule(path: EarningsPath) -> list[tuple[float, float]]:
    """(hours a week, hourly wage) for every month, before hand edits."""
    # Anchors: (month, hours, wage), in month order; the rate holds until the next anchor.
    anchors = [(path.start_month, path.start_hours, path.start_wage)]
    anchors += [(s.month, s.hours_per_week, s.hourly_wage) for s in sorted(path.step_ups, key=lambda s: s.month)]
    target = None
    if path.target_month is not None:
        target = (path.target_month, path.goal_hours, path.goal_wage)
    off = set()
    for b in path.breaks:
        off.update(range(b.first, b.last + 1))

    schedule = []
    for month in range(path.months):
        if month < path.start_month or month in off:
            schedule.append((0.0, 0.0))
            continue
        if target is not None and month >= target[0]:
            schedule.append((target[1], target[2]))
            continue
        current = max((a for a in anchors if a[0] <= month), key=lambda a: a[0])
        if target is not None and path.ramp == "linear":
            # Climb evenly from the latest anchor to the target, reaching it in the target month.
            share = (month - current[0]) / (target[0] - current[0])
            schedule.append((current[1] + share * (target[1] - current[1]),
                             current[2] + share * (target[2] - current[2])))
        else:
            schedule.append((current[1], current[2]))
    return schedule


def _number(name: str, value, upper: float, unit) -> None:
    """A number from 0 to ``upper`` (``unit`` says an amount of what it counts, for the message)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise PlanError(f"{name}: " + not_a_number(value))
    if value < 0:
        raise PlanError(f"{name}: " + below(unit(0), value))
    if not value <= upper:  # a huge int compares without becoming a float
        if isinstance(value, float) and not isfinite(value):
            raise PlanError(f"{name}: " + not_finite(value))
        raise PlanError(f"{name}: " + above(unit(upper), value))


# How _number's messages say each limit.
def HOURS(hours: float) -> str:
    return words._("{hours} hours a week").format(hours=words.number(hours))


def WAGE(wage: float) -> str:
    return words._("{amount} an hour").format(amount=words.money(wage))


def MONEY(amount: float) -> str:
    return words._("{amount} a month").format(amount=words.money(amount))


def _month_index(name: str, value, months: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < months:
        raise PlanError(f"{name}: " + words._("must be a month number from 0 to {last}; you gave {value}").format(
            last=months - 1, value=shown(value)))


def _after_start(start: int, month: int) -> str:
    return words._("must come after the month work starts (month {start}); it is month {month}").format(
        start=start, month=month)


def validate(path: EarningsPath) -> None:
    """Raise PlanError naming the first bad field."""
    if not isinstance(path.months, int) or isinstance(path.months, bool) or not 1 <= path.months <= MAX_MONTHS:
        raise PlanError("months: " + words._("must be a whole number from 1 to {most}; you gave {value}").format(
            most=MAX_MONTHS, value=shown(path.months)))
    _month_index("start_month", path.start_month, path.months)
    _number("start_hours", path.start_hours, MAX_HOURS_PER_WEEK, HOURS)
    _number("start_wage", path.start_wage, MAX_HOURLY_WAGE, WAGE)
    if path.ramp not in RAMPS:
        raise PlanError("ramp: " + not_one_of(RAMPS, path.ramp))
    if path.target_month is not None:
        _month_index("target_month", path.target_month, path.months)
        if path.target_month <= path.start_month:
            raise PlanError("target_month: " + _after_start(path.start_month, path.target_month))
    if path.target_hours is not None:
        _number("target_hours", path.target_hours, MAX_HOURS_PER_WEEK, HOURS)
    if path.target_wage is not None:
        _number("target_wage", path.target_wage, MAX_HOURLY_WAGE, WAGE)
    for i, step in enumerate(path.step_ups):
        _month_index(f"step_ups[{i}].month", step.month, path.months)
        if step.month <= path.start_month:
            raise PlanError(f"step_ups[{i}].month: " + _after_start(path.start_month, step.month))
        if path.target_month is not None and step.month >= path.target_month:
            raise PlanError(f"step_ups[{i}].month: " + words._(
                "must come before the month the goal is reached (month {goal}); it is month {month}").format(
                    goal=path.target_month, month=step.month))
        _number(f"step_ups[{i}].hours_per_week", step.hours_per_week, MAX_HOURS_PER_WEEK, HOURS)
        _number(f"step_ups[{i}].hourly_wage", step.hourly_wage, MAX_HOURLY_WAGE, WAGE)
    for i, b in enumerate(path.breaks):
        _month_index(f"breaks[{i}].first", b.first, path.months)
        _month_index(f"breaks[{i}].last", b.last, path.months)
        if b.last < b.first:
            raise PlanError(f"breaks[{i}].last: " + words._(
                "must not come before the break's first month (month {first}); it is month {last}").format(
                    first=b.first, last=b.last))
    for month, value in path.edits.items():
        _month_index("edits", month, path.months)
        _number(f"edits[{month}]", value, MAX_MONEY, MONEY)


# Presets a counselor can start from, then adjust. Each takes the projection length and an
# hourly wage and returns a path.
def part_time_then_full_time(months: int = 24, wage: float = 15.0, part_time_months: int = 6) -> EarningsPath:
    """Part-time (20 hours a week) for the first months, then full-time (40 hours)."""
    if months <= part_time_months:
        return part_time_steady(months, wage)
    return EarningsPath(months=months, start_hours=20, start_wage=wage,
                        target_month=part_time_months, target_hours=40, target_wage=wage)


def full_time_from_start(months: int = 24, wage: float = 15.0) -> EarningsPath:
    return EarningsPath(months=months, start_hours=40, start_wage=wage)


def part_time_steady(months: int = 24, wage: float = 15.0) -> EarningsPath:
    """20 hours a week throughout."""
    return EarningsPath(months=months, start_hours=20, start_wage=wage)


def gradual_ramp(months: int = 24, wage: float = 15.0) -> EarningsPath:
    """10 hours a week, adding 10 hours every 3 months up to 40."""
    return EarningsPath(months=months, start_hours=10, start_wage=wage,
                        step_ups=tuple(StepUp(m, h, wage) for m, h in ((3, 20), (6, 30)) if m < min(9, months)),
                        target_month=9 if months > 9 else None, target_hours=40, target_wage=wage)


def school_year_part_time(months: int = 24, wage: float = 15.0) -> EarningsPath:
    """15 hours a week during school, 35 hours in the summer months (when the plan starts in January)."""
    steps = []
    for year_start in range(0, months, 12):
        for m, h in ((year_start + 5, 35), (year_start + 8, 15)):
            if 0 < m < months:
                steps.append(StepUp(m, h, wage))
    return EarningsPath(months=months, start_hours=15, start_wage=wage, step_ups=tuple(steps))


# The presets by name: the name is the key a plan's editor stores, and (through the catalogue) its label.
PRESETS = {
    words.N_("Part-time 6 months, then full-time"): part_time_then_full_time,
    words.N_("Full-time from the start"): full_time_from_start,
    words.N_("Part-time, steady"): part_time_steady,
    words.N_("Slow ramp: 10 → 40 hours over 9 months"): gradual_ramp,
    words.N_("Student: part-time in school, more in summer"): school_year_part_time,
}


def preset(name: str, months: int = 24, wage: float = 15.0) -> EarningsPath:
    if name not in PRESETS:
        raise PlanError(f"preset: must be one of {', '.join(PRESETS)}, got {shown(name)}")
    return PRESETS[name](months=months, wage=wage)


def fit(earnings, wage: float = 15.0) -> EarningsPath:
    """A path that reproduces ``earnings``: a step-up at every change, breaks for months off after
    work began, and hand edits for any month the hours × wage arithmetic misses by a cent.

    Hours are whole numbers (what a slider with a step of one hour can show without moving) and
    the hourly wage of each step is the one that gives that month's pay at those hours; ``wage``
    only sets the scale. Used when a plan is opened, so the editor starts from the plan's own
    earnings and opening a plan never changes it.
    """
    earnings = [float(e) for e in earnings]
    _number("wage", wage, MAX_HOURLY_WAGE, WAGE)
    if wage == 0:
        raise PlanError("wage: must be more than 0 to turn earnings into hours, got 0")
    months = len(earnings)
    working = [i for i, e in enumerate(earnings) if e > 0]
    if not working:
        return EarningsPath(months=months, start_hours=0, start_wage=wage)

    def rate(amount: float) -> tuple[float, float]:
        hours = min(max(1, round(amount / (wage * WEEKS_PER_MONTH))), MAX_HOURS_PER_WEEK)
        return float(hours), round(amount / (hours * WEEKS_PER_MONTH), 6)

    start = working[0]
    steps, breaks = [], []
    current = earnings[start]
    month = start + 1
    while month < months:
        if earnings[month] == 0:
            last = month
            while last + 1 < months and earnings[last + 1] == 0:
                last += 1
            breaks.append(Break(month, last))
            month = last + 1
            continue
        if earnings[month] != current:
            steps.append(StepUp(month, *rate(earnings[month])))
            current = earnings[month]
        month += 1
    start_hours, start_wage = rate(earnings[start])
    path = EarningsPath(months=months, start_month=start, start_hours=start_hours, start_wage=start_wage,
                        step_ups=tuple(steps), breaks=tuple(breaks))
    drawn = path.earnings()
    edits = {i: e for i, (e, d) in enumerate(zip(earnings, drawn)) if e != d}
    return path.with_changes(edits=edits) if edits else path


def quarter_hours(hours: float) -> str:
    """Hours a week as a person reads them, to the nearest quarter hour: "20", "21.25", "7.5"."""
    return f"{round(hours * 4) / 4:g}"


def month_words(first_month: str, month: int) -> str:
    """Month ``month`` of a plan starting ``first_month`` ("YYYY-MM") as words: "March 2026"."""
    year, start = (int(part) for part in str(first_month)[:7].split("-"))
    year, index = divmod(year * 12 + start - 1 + month, 12)
    return words.month_words(f"{year:04d}-{index + 1:02d}")


def summary_lines(path: EarningsPath, first_month: str) -> list[str]:
    """The path in plain sentences, one per change, from the earnings it gives (so what they say
    is what is simulated): "From March 2026: 20 hours a week at $16.00 = $1,386.67 a month".

    ``first_month`` is the plan's first month ("YYYY-MM"). Hours are shown to the quarter hour and
    pay in dollars and cents; a month typed by hand says so; a gradual climb is one line.
    """
    earnings = path.earnings()
    off = {m for b in path.breaks for m in range(b.first, b.last + 1)}
    climbing = path.ramp == "linear" and path.target_month is not None

    def kind(month: int, rate: tuple[float, float]) -> tuple:
        if month in path.edits:
            return ("edit", earnings[month])
        if month < path.start_month:
            return ("not yet",)
        if month in off:
            return ("off",)
        if climbing and month < path.target_month and rate[0] * rate[1] != 0:
            anchor = max([path.start_month] + [s.month for s in path.step_ups if s.month <= month])
            return ("climb", anchor)
        return ("rate", rate)

    lines, previous = [], None
    for month, rate in enumerate(_weekly_schedule(path)):
        now = kind(month, rate)
        if now == previous:
            continue
        previous = now
        pay = words.money(earnings[month])
        if now[0] == "edit":
            text = f"{pay} a month, typed by hand"
        elif now[0] == "not yet":
            text = "no work yet"
        elif now[0] == "off":
            text = "off work, $0.00 a month"
        elif now[0] == "climb":
            goal = month_words(first_month, path.target_month)
            text = (f"a little more each month until {goal}, starting at {quarter_hours(rate[0])} hours a week "
                    f"at {words.money(rate[1])} = {pay} a month")
        elif rate[0] == 0 or rate[1] == 0:
            text = "no pay, $0.00 a month"
        else:
            text = f"{quarter_hours(rate[0])} hours a week at {words.money(rate[1])} = {pay} a month"
        lines.append(f"From {month_words(first_month, month)}: {text}")
    return lines
