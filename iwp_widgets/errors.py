"""The one error type users see for bad input, and how its messages quote what was given.

A ``PlanError`` is read by two kinds of people. A programmer or analyst reads ``str(error)``:
the field's path, then the problem ("profile.ssdi_monthly: must be $0.00 or more; you typed -5"),
and ``error.field`` holds the path, so an app can show the message next to its field. A
beneficiary or counselor reads ``error.plain``: the same problem after the field's name in words,
as one sentence ("The SSDI check must be $0.00 or more; you typed -5."). The words for each field
are in ``FIELD_LABELS`` below, one table keyed by path pattern; a raise site only names the path.

A field about one month of the plan ("earnings[3]") is named by that month ("Earnings for April
2026") when the error knows the plan's first month: ``names_plan_months`` wraps the plan's checks
and gives every PlanError raised inside them the plan's start.
"""

import functools
import re
import reprlib

from .words import N_, _, month_words, number

# A message quotes at most this many characters of a value or a field name the user gave:
# enough to recognise it, never a whole hostile key or a 400-digit number.
SHOWN_CHARACTERS = 40
# reprlib stops at a few items and two levels, so quoting a huge or deeply nested value is cheap.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = SHOWN_CHARACTERS


class PlanError(ValueError):
    """Bad input. The message starts with the field it is about, e.g. ``earnings[3]: ...``.

    ``field`` holds that field's path so an app can show the message next to it; ``problem`` is
    the message after the path; ``plain`` is the sentence a person reads (no path, no codes).
    """

    def __init__(self, message: str, field: str | None = None):
        if field is None:
            field = message.split(":", 1)[0].strip() if ":" in message else ""
        elif not message.startswith(field):
            message = f"{field}: {message}"
        super().__init__(message)
        self.field = field
        self.problem = message[len(field) + 1:].strip() if field and message.startswith(field + ":") \
            else message
        self.first_month: str | None = None  # the plan's start, when known: months read as words

    @property
    def plain(self) -> str:
        """The message as a beneficiary or counselor reads it: a sentence naming the field in words."""
        return plain_sentence(self.field, self.problem, self.first_month)


def names_plan_months(check):
    """Wraps a check of a plan (``Plan.__post_init__``, ``Plan.from_dict``) so that a PlanError
    raised inside it knows the plan's first month, and ``earnings[3]`` reads "Earnings for April
    2026". The plan is the check's last argument (a Plan or its JSON dict)."""

    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except PlanError as error:
            if error.first_month is None and args:
                plan = args[-1]
                start = plan.get("start") if isinstance(plan, dict) else getattr(plan, "start", None)
                if isinstance(start, str) and _MONTH.fullmatch(start):
                    error.first_month = start
            raise

    return checked


_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

# --- the plain words for each field ---------------------------------------------------------------
# Path pattern -> the field in words. "{n}" is the list position counted from 1; "{month}" the
# month of the plan an index stands for (or "month {n} of the plan" when the start is not known);
# "{before}" a month before the plan (earnings_before[0] is two months before the start).
# The first pattern that matches the whole path wins.
FIELD_LABELS: tuple[tuple[str, str], ...] = (
    (r"start", N_("The plan's first month")),
    (r"earnings", N_("The monthly earnings")),
    (r"earnings\[(\d+)\]", N_("Earnings for {month}")),
    (r"hours", N_("The hours worked")),
    (r"hours\[(\d+)\]", N_("Hours worked in {month}")),
    (r"work_expenses\.irwe(\[(\d+)\])?", N_("Impairment-related work expenses{for_month}")),
    (r"work_expenses\.bwe(\[(\d+)\])?", N_("Blind work expenses{for_month}")),
    (r"work_expenses\.subsidy(\[(\d+)\])?", N_("The employer subsidy{for_month}")),
    (r"work_expenses\.pass(\[(\d+)\])?", N_("The PASS set-aside{for_month}")),
    (r"profile\.name", N_("The beneficiary's name")),
    (r"profile\.benefits", N_("Benefits")),
    (r"profile\.ssdi_monthly", N_("The SSDI check")),
    (r"profile\.ssi_unit", N_("Who SSI is for (one person or a couple)")),
    (r"profile\.state", N_("The state")),
    (r"profile\.state_supplement", N_("The state supplement")),
    (r"profile\.unearned_income", N_("Other unearned income")),
    (r"profile\.blind", N_("Blind")),
    (r"profile\.student", N_("Student")),
    (r"profile\.self_employed", N_("Self-employed")),
    (r"profile\.birth_month", N_("The birth month")),
    (r"profile\.twp_months_used", N_("The list of trial work months already used")),
    (r"profile\.twp_months_used\[(\d+)\]", N_("Trial work month {n} already used")),
    (r"profile\.twp_completed", N_("The month the trial work period ended")),
    (r"profile\.ssdi_cessation_month", N_("The cessation month")),
    (r"profile\.ssi_eligible_before", N_("Getting SSI now")),
    (r"profile\.ticket_assigned", N_("The month the Ticket was assigned")),
    (r"profile\.ssi_since", N_("The month SSI payments began")),
    (r"profile\.earnings_before", N_("Earnings in the two months before the plan")),
    (r"profile\.earnings_before\[(\d+)\]", N_("Earnings in {before}")),
    (r"profile\.unearned_before", N_("Other income in the two months before the plan")),
    (r"profile\.unearned_before\[(\d+)\]", N_("Other income in {before}")),
    (r"iwp\.employment_goal", N_("The employment goal")),
    (r"iwp\.short_term_goals(\[(\d+)\])?", N_("The short-term goals")),
    (r"iwp\.long_term_goals(\[(\d+)\])?", N_("The long-term goals")),
    (r"iwp\.earnings_at_start", N_("Earnings when the IWP starts")),
    (r"iwp\.earnings_expected_at_end", N_("Earnings expected when the IWP ends")),
    (r"iwp\.services", N_("The services")),
    (r"iwp\.services\[(\d+)\](\.kind)?", N_("The kind of service {n}")),
    (r"iwp\.services\[(\d+)\]\.start", N_("The start month of service {n}")),
    (r"iwp\.services\[(\d+)\]\.end", N_("The end month of service {n}")),
    (r"iwp\.services\[(\d+)\]\.provider", N_("The provider of service {n}")),
    (r"iwp\.services\[(\d+)\]\.description", N_("The description of service {n}")),
    (r"iwp\.responsibilities(\[(\d+)\])?", N_("The responsibilities")),
    (r"iwp\.signatures\.beneficiary(\.name|\.date)?", N_("The beneficiary's signature")),
    (r"iwp\.signatures\.en_representative(\.name|\.date)?", N_("The EN representative's signature")),
    (r"iwp\.en_name", N_("The Employment Network")),
    (r"iwp\.en_contact", N_("The Employment Network's contact")),
    (r"iwp\.beneficiary_name", N_("The beneficiary's name")),
    (r"iwp\.counselor_name", N_("The counselor's name")),
    (r"iwp\.notes", N_("The notes")),
    (r"iwp\.revisions(\[(\d+)\].*)?", N_("The IWP's revisions")),
    (r"iwp\.ticket\..*", N_("The Ticket facts")),
    (r"signature", N_("The signature")),
    (r"answer", N_("Your answer")),
    (r"name", N_("The plan's name")),
    (r"file", N_("The plan file")),
    (r"schema_version", N_("The plan file's version")),
    (r"(path\.)?start_hours", N_("Hours a week at the start")),
    (r"(path\.)?start_wage", N_("Pay an hour at the start")),
    (r"(path\.)?start_month", N_("The month work starts")),
    (r"(path\.)?step_ups(\[(\d+)\])?", N_("The step-ups")),
    (r"(path\.)?step_ups\[(\d+)\]\.month", N_("The month of step-up {n}")),
    (r"(path\.)?step_ups\[(\d+)\]\.hours_per_week", N_("The hours a week of step-up {n}")),
    (r"(path\.)?step_ups\[(\d+)\]\.hourly_wage", N_("The pay an hour of step-up {n}")),
    (r"(path\.)?breaks(\[(\d+)\])?", N_("The breaks from work")),
    (r"(path\.)?breaks\[(\d+)\]\.first", N_("The first month of break {n}")),
    (r"(path\.)?breaks\[(\d+)\]\.last", N_("The last month of break {n}")),
    (r"(path\.)?months", N_("The number of months the earnings path covers")),
    (r"(path\.)?ramp", N_("The ramp")),
    (r"(path\.)?preset", N_("The preset")),
    (r"(path\.)?wage", N_("The pay per hour")),
    (r"(path\.)?target_month", N_("The month the goal is reached")),
    (r"(path\.)?target_hours", N_("The goal's hours a week")),
    (r"(path\.)?target_wage", N_("The goal's pay per hour")),
    (r"(path\.)?edits(\[(\d+)\])?", N_("The pay typed by hand")),
    (r"earnings_path\..*", N_("The earnings path")),
)
_LABELS = tuple((re.compile(pattern), label) for pattern, label in FIELD_LABELS)
MONTHS_BEFORE_PLAN = 2  # earnings_before[0] is this many months before the start


def _month_after(first_month: str, months: int) -> str:
    year, month = (int(part) for part in first_month.split("-"))
    year, index = divmod(year * 12 + month - 1 + months, 12)
    return month_words(f"{year:04d}-{index + 1:02d}")


def field_label(field: str, first_month: str | None = None) -> str:
    """The field at ``field`` (a PlanError's path) in words, or "" when the table has none."""
    for pattern, label in _LABELS:
        if not pattern.fullmatch(field):
            continue
        index = next((int(g) for g in re.findall(r"\[(\d+)\]", field)), None)
        say = {"n": "", "month": "", "before": "", "for_month": ""}
        if index is not None:
            say["n"] = index + 1
            if first_month:
                say["month"] = _month_after(first_month, index)
                say["before"] = _month_after(first_month, index - MONTHS_BEFORE_PLAN)
            else:
                say["month"] = _("month {n} of the plan").format(n=index + 1)
                say["before"] = (_("the month before the plan") if index == MONTHS_BEFORE_PLAN - 1
                                 else _("the second month before the plan"))
            say["for_month"] = " " + _("for {month}").format(month=say["month"])
        return _(label).format(**say)
    return ""


# A problem starting with one of these words says something of the field ("must be ...", "is
# missing"), so it follows the field's words; any other ("write the month ...") follows a colon.
# The parts of a plan a field path starts with; an unknown key is named without them.
SECTIONS = ("iwp.signatures", "iwp.ticket", "profile", "work_expenses", "options", "iwp", "earnings_path")
PREDICATES = frozenset("must is are has have needs need lists count counts matters applies apply holds "
                       "nests does do cannot can should".split())


def plain_sentence(field: str, problem: str, first_month: str | None = None) -> str:
    """One sentence: the field in words, then the problem. A field the table has no words for is
    named by the last part of its path (a key typed into a file is its only name)."""
    label = field_label(field, first_month) if field else ""
    if field and not label:  # a field the table does not know, such as a key typed into a file
        name = next((field[len(part) + 1:] for part in SECTIONS if field.startswith(part + ".")), field)
        label = _("The field {name}").format(name=name)
    problem = problem.strip()
    if not label:
        text = problem
    elif problem.split(" ", 1)[0] in PREDICATES:
        text = f"{label} {problem}"
    else:
        text = f"{label}: {problem}"
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# --- how the common checks say what is wrong --------------------------------------------------
# Each phrase follows the field's words ("The SSDI check must be $0.00 or more; you typed -5")
# and quotes what was typed with ``shown``. Raise sites write ``PlanError(f"{path}: " + phrase)``.

def typed(value) -> str:
    """What was typed, as a message quotes it: a number as people write it ("-5", not "-5.0")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e15:
        return number(value, digits=6)  # a huge int compares without becoming a float; NaN fails
    return shown(value)


def not_a_number(value) -> str:
    return _("must be a number; you typed {value}").format(value=shown(value))


def not_finite(value) -> str:
    return _("must be a finite number; you typed {value}").format(value=shown(value))


def below(minimum: str, value) -> str:
    """``minimum`` in words: "$0.00", "1"."""
    return _("must be {minimum} or more; you typed {value}").format(minimum=minimum, value=typed(value))


def above(limit: str, value) -> str:
    """``limit`` in words: "$1,000,000.00 a month", "744 hours (a 31-day month)"."""
    return _("must be at most {limit}; you typed {value}").format(limit=limit, value=typed(value))


def unknown_field(known) -> str:
    """Said of a field name a file holds that this part of a plan does not have."""
    return _("is an unknown field; the known fields are {known}").format(known=", ".join(map(str, known)))


def not_a_month(value) -> str:
    return _("must be a month written year-month, like 2026-03; you typed {value}").format(value=shown(value))


def not_a_date(value) -> str:
    return _("must be a date written year-month-day, like 2026-03-06; you typed {value}").format(
        value=shown(value))


def not_yes_or_no(value) -> str:
    return _("must be yes or no (true or false); you gave {value}").format(value=shown(value))


def not_text(value) -> str:
    return _("must be text, not {value}").format(value=shown(value))


def not_one_of(choices, value) -> str:
    return _("must be one of {choices}; you gave {value}").format(choices=", ".join(choices), value=shown(value))


# Said of text holding a lone UTF-16 surrogate ("\ud800"): JSON can carry one, UTF-8 cannot.
BROKEN_TEXT = N_("holds a broken character (a lone surrogate) that cannot be saved or printed; "
                 "type this text again")


def writable(text: str) -> bool:
    """True if ``text`` can be written as UTF-8, so saved, autosaved and printed (no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(value, limit: int = SHOWN_CHARACTERS) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters (with "…") and with any character
    that cannot be written as UTF-8 (a lone surrogate) escaped. A numpy value shows as the user wrote
    it (``684``, ``[1.0]``), not as numpy does (``np.int64(684)``, ``array([1.])``)."""
    if type(value) is not str and hasattr(value, "tolist"):  # np.str_ is a str, yet shows as np.str_('a')
        try:
            value = value.tolist()  # numpy scalars and arrays, pandas arrays
        except (TypeError, ValueError):
            pass
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        # repr of a huge integer is slow, and refused past 4,300 digits
        return f"a {int(value.bit_length() * 0.30103) + 1}-digit number"
    return _cut(_SHORT_REPR.repr(value), limit)


def shown_key(key, limit: int = SHOWN_CHARACTERS) -> str:
    """A field name the user gave, as a message names it: as it is when it reads as a name,
    quoted when blank, padded or holding unprintable characters, and cut to ``limit`` characters."""
    readable = isinstance(key, str) and key and key.strip() == key and key.isprintable()
    text = key if readable else repr(key)
    return _cut(text, limit)


def _cut(text: str, limit: int) -> str:
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"
