"""Generated plans, good and bad: nothing crashes but PlanError, and good plans survive (issue 8).

Hypothesis builds about 11,800 plans across these tests:
- valid plans (schema 1, 2 and 3; some with the earnings-path editor's path, which may or may not
  draw the earnings): each survives save and load unchanged (through PlanStore's atomic write);
- one-field mutations of a valid plan (negative, NaN, infinite or huge numbers, wrong types,
  missing fields, bad months, unknown states, benefit types and options, unknown fields, a bad
  or misplaced earnings path): the result is a valid plan or a PlanError whose message starts
  with the mutated field's name and gives a reason;
- damaged files (truncated, bytes flipped, garbage, not UTF-8) and files from a newer schema;
- arbitrary JSON documents;
- hostile files (issue 13): JSON nested 33 to 50,000 levels deep, whole numbers of 16 to 6,000
  digits, amounts above the limits, lone surrogates in text and field names, and byte-order marks
  (which load unchanged);
- a subset of valid plans is simulated.

Examples per run, the sum of every test's max_examples: 11,770 plans (1,200 of them hostile files).

Runs are derandomized with no example database, so CI sees the same examples every time.
"""

from __future__ import annotations

import copy
import json
import os
import re
import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iwp_widgets import PlanError
from iwp_widgets.earnings_path import EarningsPath
from iwp_widgets.limits import MAX_DEPTH, MAX_HOURLY_WAGE, MAX_MONEY
from iwp_widgets.plan import BENEFITS, MAX_MONTHS, SCHEMA_VERSION, STATES, Plan
from iwp_widgets.simulate import simulate
from iwp_widgets.storage import OVERWRITE, PlanStore

# IWP_FUZZ_SCALE=0.1 runs a tenth of the examples (quick local runs); CI runs them all.
SCALE = float(os.environ.get("IWP_FUZZ_SCALE", "1"))


def examples(count: int) -> int:
    return max(1, int(count * SCALE))


FUZZ = dict(deadline=None, derandomize=True, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.function_scoped_fixture])

# Messages read "field: reason", e.g. "earnings[3]: must be a number ≥ 0, got -5". A field may be
# a key the user typed (an unknown field), so any text before the first ": " counts as its name.
MESSAGE = re.compile(r"^(?P<field>[^\n]*?\S): (?P<reason>\S.{3,})$", re.S)


def assert_names_field(error: PlanError, field: str | None = None) -> None:
    """The message starts with a field (``field`` itself, or a part of it) and gives a reason."""
    message = str(error)
    match = MESSAGE.match(message)
    assert match, f"message does not read 'field: reason': {message!r}"
    assert error.field and message.startswith(error.field + ": "), (error.field, message)
    if field is not None:
        named = error.field
        assert named == field or named.startswith((field + ".", field + "[")), \
            f"expected the message to name {field!r}: {message!r}"


# --- strategies ---------------------------------------------------------------------------------

def month_text(ordinal: int) -> str:
    """'YYYY-MM' for a pandas month ordinal (months since 1970-01)."""
    year, month = divmod(ordinal, 12)
    return f"{1970 + year:04d}-{month + 1:02d}"


START_MIN = pd.Period("2000-01", freq="M").ordinal  # SSI figures start in 2000
START_MAX = pd.Period("2040-12", freq="M").ordinal

money = st.one_of(st.integers(0, 50_000),
                  st.floats(0, MAX_MONEY, allow_nan=False, allow_infinity=False))
positive_money = st.one_of(st.integers(1, 10_000),
                           st.floats(0.01, 1e6, allow_nan=False, allow_infinity=False))


def months_of(values, n: int):
    """n monthly values: a short drawn pattern repeated (long lists stay cheap to generate)."""
    return st.lists(values, min_size=1, max_size=min(n, 24)).map(lambda pattern: (pattern * n)[:n])


def per_month(n: int, allowed: bool = True):
    """A work expense: one number for every month, or a list of n numbers."""
    if not allowed:
        return st.just(0.0)
    return st.one_of(st.just(0.0), money, months_of(money, n))


HOURS_A_WEEK = st.one_of(st.integers(0, 168), st.floats(0, 168, allow_nan=False))
WAGES = st.one_of(st.integers(0, 100), st.floats(0, MAX_HOURLY_WAGE, allow_nan=False, allow_infinity=False))


@st.composite
def earnings_paths(draw, n: int):
    """A valid earnings path over n months, as the plan file stores it (schema 3)."""
    start = draw(st.integers(0, n - 1))
    target = draw(st.one_of(st.none(), st.integers(start + 1, n - 1))) if start < n - 1 else None
    last_step = (n if target is None else target) - 1
    step_months = sorted(draw(st.sets(st.integers(start + 1, last_step), max_size=4))) if start < last_step else []
    breaks = []
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, n - 1))
        breaks.append([first, draw(st.integers(first, n - 1))])
    return {
        "months": n, "start_month": start, "start_hours": draw(HOURS_A_WEEK), "start_wage": draw(WAGES),
        "target_month": target,
        "target_hours": draw(st.one_of(st.none(), HOURS_A_WEEK)),
        "target_wage": draw(st.one_of(st.none(), WAGES)),
        "ramp": draw(st.sampled_from(["steps", "linear"])),
        "step_ups": [[m, draw(HOURS_A_WEEK), draw(WAGES)] for m in step_months],
        "breaks": breaks,
        "edits": {str(m): draw(money) for m in draw(st.sets(st.integers(0, n - 1), max_size=3))},
    }


@st.composite
def valid_plan_dicts(draw, max_months: int = MAX_MONTHS):
    start = draw(st.integers(START_MIN, START_MAX))
    n = draw(st.one_of(st.integers(1, min(36, max_months)), st.integers(1, max_months)))
    benefits = draw(st.sampled_from(BENEFITS))
    takes_ssdi = benefits != "ssi"
    blind = draw(st.booleans())
    student = draw(st.booleans())
    profile = {
        "name": draw(st.text(max_size=30)),
        "benefits": benefits,
        "ssdi_monthly": draw(positive_money) if takes_ssdi else 0.0,
        "ssi_unit": draw(st.sampled_from(["individual", "couple"])),
        "state": draw(st.sampled_from(STATES)),
        "state_supplement": 0.0 if benefits == "ssdi" else draw(money),
        "unearned_income": draw(money),
        "blind": blind,
        "student": student,
        "birth_month": (month_text(draw(st.integers(start - 12 * 80, start - 1)))
                        if student or draw(st.booleans()) else None),
        "self_employed": draw(st.booleans()),
        "twp_months_used": [],
        "twp_completed": None,
        "ssdi_cessation_month": None,
        "ssi_eligible_before": draw(st.booleans()),
        "ticket_assigned": draw(st.one_of(st.none(), st.integers(start - 60, start + n).map(month_text))),
    }
    if takes_ssdi:
        # At most 9 service months in all, so no 60-month window holds more than 9.
        used = sorted(draw(st.sets(st.integers(start - 120, start - 1), max_size=9)))
        profile["twp_months_used"] = [month_text(m) for m in used]
        if draw(st.booleans()):
            completed = draw(st.integers(used[-1] if used else start - 130, start - 1))
            profile["twp_completed"] = month_text(completed)
            if completed < start - 1 and draw(st.booleans()):
                profile["ssdi_cessation_month"] = month_text(draw(st.integers(completed + 1, start - 1)))
    ssi_blind = benefits == "ssi" and blind
    expenses = {
        "irwe": draw(per_month(n, allowed=not ssi_blind)),
        "bwe": draw(per_month(n, allowed=blind)),
        "subsidy": draw(per_month(n, allowed=benefits != "ssi")),
        "pass": draw(per_month(n, allowed=benefits != "ssdi")),
    }
    # Schema 3 files may keep the editor's path; it need not draw the earnings (they win).
    path = draw(st.one_of(st.none(), earnings_paths(n)))
    earnings = draw(months_of(money, n))
    if path is not None and draw(st.booleans()):
        earnings = EarningsPath.from_dict(path).earnings()
    optional = {} if path is None and draw(st.booleans()) else {"earnings_path": path}
    version = SCHEMA_VERSION if optional else draw(st.sampled_from([1, 2, 3, SCHEMA_VERSION]))
    if version >= 4:  # schema 4: the two months before the plan (20 CFR 416.420)
        profile["earnings_before"] = draw(months_of(money, 2))
        profile["unearned_before"] = draw(st.one_of(st.none(), months_of(money, 2)))
        if profile["ssi_eligible_before"] and benefits != "ssdi" and draw(st.booleans()):
            profile["ssi_since"] = month_text(draw(st.integers(start - 24, start - 1)))
    return {
        "schema_version": version,
        **optional,
        "start": month_text(start),
        "earnings": earnings,
        "hours": draw(st.one_of(st.none(), months_of(st.floats(0, 744, allow_nan=False), n))),
        "work_expenses": expenses,
        "profile": profile,
        "options": {
            "ssi_accounting": draw(st.sampled_from(["retrospective", "same_month"])),
            "en_payment_system": draw(st.sampled_from(["milestone_outcome", "outcome_only"])),
            "p1m1_rule": draw(st.sampled_from(["en_guidance", "regulation"])),
        },
        "iwp": draw(st.one_of(st.just({}), st.fixed_dictionaries(
            {"version": st.just(2), "employment_goal": st.text(max_size=40)}))),
    }


# Above every limit (issue 13): amounts past $1,000,000 a month, whole numbers a float cannot hold.
TOO_LARGE = st.one_of(st.floats(MAX_MONEY * 1.001, 1.79e308), st.integers(10**7, 10**18),
                      st.integers(10**300, 10**1000))
BAD_NUMBERS = st.one_of(
    st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False), TOO_LARGE,
    st.just(float("nan")), st.just(float("inf")), st.just(float("-inf")),
    st.text(max_size=8), st.none(), st.booleans(), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)
BAD_MONTHS = st.one_of(
    st.sampled_from(["2026-13", "2026-00", "2026-1", "26-01", "2026/01", "2026-01-01", "", " 2026-01",
                     "0000-01", "-001-01", "20260", "2026-٠١", "January 2026"]),
    st.text(max_size=10), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=True),
)
WRONG_TYPES = st.one_of(st.integers(), st.floats(allow_nan=True), st.text(max_size=5), st.booleans(),
                        st.lists(st.integers(), max_size=2), st.none())


def set_path(doc: dict, path: tuple, value) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def delete_path(doc: dict, path: tuple) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]


def field_name(path: tuple) -> str:
    name = ""
    for key in path:
        name += f"[{key}]" if isinstance(key, int) else (f".{key}" if name else key)
    return name


# The shipped examples (SSDI, SSI, concurrent; schema as saved today) as starting points: cheap to
# draw, so most of the time goes into the breakage rather than into building a base plan.
EXAMPLE_DOCS = [Plan.example(name).to_dict() for name in Plan.examples()]
example_docs = st.sampled_from(EXAMPLE_DOCS).map(copy.deepcopy)
base_docs = st.one_of(example_docs, example_docs, example_docs, valid_plan_dicts(max_months=36))


@st.composite
def mutated_plan_dicts(draw):
    """A valid plan with one field broken: (document, field the error must name or None if the
    change may be valid, True if it must be refused)."""
    doc = draw(base_docs)
    n = len(doc["earnings"])
    kind = draw(st.sampled_from([
        "bad_earning", "earnings_length", "earnings_type", "bad_hour", "hours_length", "bad_expense",
        "expense_length", "missing_required", "missing_benefits", "unknown_benefits", "unknown_state",
        "bad_profile_number", "bad_profile_month", "bad_start", "far_start", "bad_twp_month",
        "bad_flag", "unknown_option", "unknown_field", "unknown_profile_field", "part_wrong_type",
        "schema_version", "huge_number", "bad_path_number", "bad_path_month", "bad_path_entry",
        "path_wrong_type", "unknown_path_field", "path_months", "path_in_an_older_file",
        "bad_months_before",
    ]))
    if "path" in kind:
        doc["schema_version"] = SCHEMA_VERSION
        doc["earnings_path"] = path = draw(earnings_paths(n))
        if kind == "bad_path_number":
            key = draw(st.sampled_from(["start_hours", "start_wage", "target_hours", "target_wage", "step",
                                        "edit"]))
            bad = draw(BAD_NUMBERS if key.startswith("start") else BAD_NUMBERS.filter(lambda v: v is not None))
            if key == "step":
                path["step_ups"] = [[n, 1.0, 1.0]] if not path["step_ups"] else path["step_ups"]
                i, j = draw(st.integers(0, len(path["step_ups"]) - 1)), draw(st.sampled_from([1, 2]))
                path["step_ups"][i][j] = bad
                return doc, f"earnings_path.step_ups[{i}]", True
            if key == "edit":
                path["edits"]["0"] = bad
                return doc, "earnings_path.edits[0]", True
            path[key] = bad
            return doc, f"earnings_path.{key}", True
        if kind == "bad_path_month":
            key = draw(st.sampled_from(["start_month", "target_month", "months"]))
            value = draw(st.one_of(st.integers(-5, 2 * n + 5), st.floats(allow_nan=True), st.text(max_size=3),
                                   st.booleans(), st.none()))
            assume(not (key == "target_month" and value is None))  # no target is valid
            path[key] = value
            # Out of range or not a whole number must be refused; an in-range month may clash with
            # a step-up or the target, which then names that field.
            if key == "months":
                return doc, "earnings_path.months", value != n
            in_range = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < n
            return doc, "earnings_path", not in_range
        if kind == "bad_path_entry":
            key = draw(st.sampled_from(["step_ups", "breaks", "edits"]))
            path[key] = draw(st.one_of(WRONG_TYPES, st.lists(WRONG_TYPES, min_size=1, max_size=2),
                                       st.dictionaries(st.text(max_size=3), WRONG_TYPES, min_size=1, max_size=2)))
            return doc, f"earnings_path.{key}", False
        if kind == "path_wrong_type":
            doc["earnings_path"] = draw(WRONG_TYPES.filter(lambda v: v is not None))
            return doc, "earnings_path", True
        if kind == "unknown_path_field":
            key = draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=12))
            assume(key not in path)
            path[key] = 1
            return doc, f"earnings_path.{key}", True
        if kind == "path_months":
            path["months"] = draw(st.integers(1, MAX_MONTHS).filter(lambda k: k != n))
            return doc, "earnings_path.months", True
        # path_in_an_older_file: the field came with schema 3
        doc["schema_version"] = draw(st.sampled_from([1, 2]))
        return doc, "earnings_path", True
    if kind == "bad_earning":
        i = draw(st.integers(0, n - 1))
        doc["earnings"][i] = draw(BAD_NUMBERS)
        return doc, f"earnings[{i}]", True
    if kind == "earnings_length":
        doc["earnings"] = draw(st.sampled_from([[], [0.0] * (MAX_MONTHS + 1)]))
        return doc, "earnings", True
    if kind == "earnings_type":
        doc["earnings"] = draw(st.one_of(st.text(max_size=5), st.integers(), st.none(), st.floats(),
                                         st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
        return doc, "earnings", True
    if kind == "bad_hour":
        doc["hours"] = [0.0] * n
        i = draw(st.integers(0, n - 1))
        doc["hours"][i] = draw(BAD_NUMBERS)
        return doc, f"hours[{i}]", True
    if kind == "hours_length":
        doc["hours"] = [1.0] * draw(st.integers(0, 40).filter(lambda k: k != n))
        return doc, "hours", True
    if kind == "bad_expense":
        key = draw(st.sampled_from(["irwe", "bwe", "subsidy", "pass"]))
        if draw(st.booleans()):
            doc["work_expenses"][key] = draw(BAD_NUMBERS.filter(lambda v: not isinstance(v, list)))
            return doc, f"work_expenses.{key}", True
        values = [0.0] * n
        i = draw(st.integers(0, n - 1))
        values[i] = draw(BAD_NUMBERS)
        doc["work_expenses"][key] = values
        return doc, f"work_expenses.{key}", True
    if kind == "expense_length":
        key = draw(st.sampled_from(["irwe", "bwe", "subsidy", "pass"]))
        doc["work_expenses"][key] = [0.0] * draw(st.integers(0, 40).filter(lambda k: k != n))
        return doc, f"work_expenses.{key}", True
    if kind == "missing_required":
        key = draw(st.sampled_from(["start", "earnings", "profile", "schema_version"]))
        del doc[key]
        return doc, key, True
    if kind == "missing_benefits":
        del doc["profile"]["benefits"]
        return doc, "profile.benefits", True
    if kind == "unknown_benefits":
        doc["profile"]["benefits"] = draw(st.one_of(
            st.sampled_from(["SSDI", "ssdi ", "medicare", "snap", "", "both"]), WRONG_TYPES))
        return doc, "profile.benefits", True
    if kind == "unknown_state":
        doc["profile"]["state"] = draw(st.one_of(
            st.sampled_from(["ZZ", "PR", "GU", "California", "C", "", "C A"]), WRONG_TYPES))
        return doc, "profile.state", True
    if kind == "bad_profile_number":
        key = draw(st.sampled_from(["ssdi_monthly", "state_supplement", "unearned_income"]))
        doc["profile"][key] = draw(BAD_NUMBERS)
        return doc, f"profile.{key}", True
    if kind == "bad_profile_month":
        key = draw(st.sampled_from(["birth_month", "twp_completed", "ssdi_cessation_month", "ticket_assigned"]))
        value = draw(BAD_MONTHS)
        assume(value is not None)  # None is a valid "not known"
        doc["profile"][key] = value
        # A badly written month must name the field; a well written one may break a cross-field rule.
        return doc, None, True
    if kind == "bad_start":
        doc["start"] = draw(BAD_MONTHS)
        return doc, "start", True
    if kind == "far_start":
        # Months the program figures do not reach (before the first row) or far in the future.
        doc["start"] = draw(st.sampled_from(["1900-01", "1950-06", "1989-12", "2060-01", "2999-12"]))
        return doc, None, False
    if kind == "bad_twp_month":
        doc["profile"]["benefits"] = "ssdi"
        doc["profile"]["ssdi_monthly"] = 1000.0
        doc["profile"]["state_supplement"] = 0.0
        doc["work_expenses"]["pass"] = 0.0
        doc["profile"]["twp_months_used"] = [draw(BAD_MONTHS)]
        return doc, "profile.twp_months_used", True
    if kind == "bad_months_before":
        doc["schema_version"] = SCHEMA_VERSION
        doc.pop("earnings_path", None)
        key = draw(st.sampled_from(["earnings_before", "unearned_before"]))
        doc["profile"][key] = draw(st.one_of(
            st.lists(money, max_size=5).filter(lambda v: len(v) != 2),
            st.tuples(money, BAD_NUMBERS).map(list),
            WRONG_TYPES.filter(lambda v: v is not None and not (isinstance(v, list) and len(v) == 2
                                                                  and all(x >= 0 for x in v)))))
        return doc, f"profile.{key}", True
    if kind == "bad_flag":
        key = draw(st.sampled_from(["blind", "student", "self_employed", "ssi_eligible_before"]))
        doc["profile"][key] = draw(st.one_of(st.integers(0, 1), st.sampled_from(["true", "false", "yes"]),
                                             st.none()))
        return doc, f"profile.{key}", True
    if kind == "unknown_option":
        key = draw(st.sampled_from(["ssi_accounting", "en_payment_system", "p1m1_rule"]))
        doc["options"][key] = draw(st.one_of(st.sampled_from(["", "monthly", "RETROSPECTIVE"]), WRONG_TYPES))
        return doc, f"options.{key}", True
    if kind == "unknown_field":
        key = draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=12))
        assume(key not in doc)
        doc[key] = draw(WRONG_TYPES)
        return doc, key, True
    if kind == "unknown_profile_field":
        key = draw(st.text(string.ascii_lowercase + "_", min_size=1, max_size=12))
        assume(key not in doc["profile"])
        doc["profile"][key] = 1
        return doc, f"profile.{key}", True
    if kind == "part_wrong_type":
        key = draw(st.sampled_from(["profile", "work_expenses", "options", "iwp"]))
        value = draw(st.one_of(st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
                               st.booleans(), st.floats()))
        if key == "iwp" and not value:
            value = [1]  # an empty iwp (null, "", 0, []) means "no IWP yet" and is valid
        doc[key] = value
        return doc, key, True
    if kind == "schema_version":
        doc["schema_version"] = draw(st.one_of(st.integers(max_value=0), st.integers(SCHEMA_VERSION + 1, 10**9),
                                               st.sampled_from(["1", 1.0, True, None])))
        return doc, "schema_version", True
    # huge_number: amounts above the limit are refused, never clipped (issue 13)
    i = draw(st.integers(0, n - 1))
    doc["earnings"][i] = draw(TOO_LARGE)
    return doc, f"earnings[{i}]", True


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=10)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=20,
)


# --- the tests ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(tmp_path_factory) -> PlanStore:
    return PlanStore(tmp_path_factory.mktemp("fuzz-plans"))


@settings(max_examples=examples(2000), **FUZZ)
@given(doc=valid_plan_dicts())
def test_valid_plans_survive_json_unchanged(doc):
    plan = Plan.from_dict(doc)
    again = Plan.from_dict(json.loads(plan.to_json()))
    assert again == plan
    assert again.to_dict() == plan.to_dict()
    assert list(again.earnings) == [float(v) for v in doc["earnings"]]  # nothing clipped or rounded


@settings(max_examples=examples(300), **FUZZ)
@given(doc=valid_plan_dicts())
def test_valid_plans_survive_save_and_load_unchanged(doc, store):
    # Fewer examples: each save fsyncs twice, which is slow on a shared disk.
    plan = Plan.from_dict(doc)
    store.save(plan, "fuzz", replaces=OVERWRITE)  # the same name each example, on purpose
    loaded = store.open("fuzz")
    assert loaded == plan
    assert loaded.to_dict() == plan.to_dict()


@settings(max_examples=examples(5000), **FUZZ)
@given(case=mutated_plan_dicts())
def test_broken_fields_are_refused_with_the_field_and_a_reason(case):
    doc, field, must_fail = case
    try:
        plan = Plan.from_dict(doc)
    except PlanError as error:
        assert_names_field(error, field)
    else:
        assert not must_fail, f"accepted a plan with a broken {field}: {doc}"
        assert Plan.from_dict(json.loads(plan.to_json())) == plan


@settings(max_examples=examples(1500), **FUZZ)
@given(doc=base_docs, damage=st.data())
def test_damaged_files_are_refused_with_a_plan_error(doc, damage, tmp_path_factory):
    text = Plan.from_dict(doc).to_json().encode("utf-8")
    how = damage.draw(st.sampled_from(["truncate", "flip", "garbage", "not_utf8", "empty"]))
    if how == "truncate":
        data = text[: damage.draw(st.integers(0, len(text.rstrip()) - 1))]
    elif how == "flip":
        i = damage.draw(st.integers(0, len(text) - 1))
        data = text[:i] + bytes([damage.draw(st.integers(0, 255))]) + text[i + 1:]
    elif how == "garbage":
        data = damage.draw(st.binary(max_size=200))
    elif how == "not_utf8":
        i = damage.draw(st.integers(0, len(text) - 1))
        data = text[:i] + b"\xff\xfe" + text[i:]
    else:
        data = b""
    path = tmp_path_factory.getbasetemp() / "damaged.json"
    path.write_bytes(data)  # test data: no need for the (fsyncing) atomic write
    try:
        Plan.load(path)
    except PlanError as error:
        assert_names_field(error)
        if how in ("truncate", "empty", "not_utf8"):
            assert error.field == "file", str(error)
    else:
        # Only a flipped byte can leave a valid plan (a digit changed, a space added).
        assert how in ("flip", "garbage"), f"a {how} file loaded"


@settings(max_examples=examples(300), **FUZZ)
@given(doc=base_docs, version=st.integers(SCHEMA_VERSION + 1, 10**6),
       extra=st.dictionaries(st.text(string.ascii_lowercase, min_size=1, max_size=8), json_values, max_size=3))
def test_files_from_a_newer_schema_are_refused_plainly(doc, version, extra):
    newer = {**extra, **doc, "schema_version": version}
    with pytest.raises(PlanError) as info:
        Plan.from_dict(newer)
    assert_names_field(info.value, "schema_version")
    assert "newer" in str(info.value)


@settings(max_examples=examples(700), **FUZZ)
@given(doc=json_values)
def test_any_json_document_is_a_plan_or_a_plan_error(doc):
    try:
        Plan.from_dict(doc)
    except PlanError as error:
        assert_names_field(error)


@settings(max_examples=examples(300), **FUZZ)
@given(doc=st.tuples(st.sampled_from([1, 2, SCHEMA_VERSION]),
                     st.dictionaries(st.sampled_from(["schema_version", "start", "earnings", "profile", "hours",
                                                      "work_expenses", "options", "iwp", "earnings_path"]),
                                     json_values))
       .map(lambda pair: {"schema_version": pair[0], **pair[1]}))
def test_plan_shaped_json_is_a_plan_or_a_plan_error(doc):
    try:
        Plan.from_dict(doc)
    except PlanError as error:
        assert_names_field(error)


SIMULATE_MONEY_COLUMNS = ["gross_earnings", "ssdi_paid", "ssi_paid", "total_income"]


@settings(max_examples=examples(250), **FUZZ)
@given(doc=valid_plan_dicts())
def test_simulate_runs_on_valid_plans(doc):
    plan = Plan.from_dict(doc)
    table = simulate(plan)
    assert list(table.index) == list(plan.month_index)
    money_values = table[SIMULATE_MONEY_COLUMNS].to_numpy(dtype=float)
    assert np.isfinite(money_values).all()
    assert (table[["ssdi_paid", "ssi_paid"]].to_numpy() >= 0).all()
    assert np.allclose(table["gross_earnings"], plan.earnings)
    # The contract's identity: total income is earnings plus benefits plus other unearned income.
    expected = table["gross_earnings"] + table["ssdi_paid"] + table["ssi_paid"] + table["unearned_income"]
    assert np.allclose(table["total_income"], expected, rtol=1e-12)


# --- hostile files (issue 13): nesting, huge numbers, lone surrogates, byte-order marks -----------

def write_plan_text(tmp_path_factory, data: bytes) -> "os.PathLike":
    path = tmp_path_factory.getbasetemp() / "hostile.json"
    path.write_bytes(data)
    return path


def top_field(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


NEST_AT = ["iwp", "profile", "earnings_path", "hours", "unknown"]


@settings(max_examples=examples(200), **FUZZ)
@given(doc=base_docs, where=st.sampled_from(NEST_AT), brackets=st.sampled_from(["[]", "{}"]),
       depth=st.one_of(st.integers(MAX_DEPTH + 1, 1000), st.integers(1001, 50_000)))
def test_nesting_beyond_a_thousand_levels_is_a_plan_error(doc, where, brackets, depth, tmp_path_factory):
    """JSON nested past the parser's recursion limit, or past a plan's depth: a PlanError naming
    the file or the top-level field it sits in (never a RecursionError)."""
    opening = "[" * depth if brackets == "[]" else '{"a": ' * (depth - 1) + "{"
    closing = "]" * depth if brackets == "[]" else "}" * depth
    key = "unknown_field" if where == "unknown" else where
    doc[key] = "NESTED-HERE"
    text = json.dumps(doc).replace('"NESTED-HERE"', opening + closing)
    with pytest.raises(PlanError) as info:
        Plan.load(write_plan_text(tmp_path_factory, text.encode("utf-8")))
    assert_names_field(info.value)
    assert info.value.field in ("file", key), str(info.value)
    assert "deep" in str(info.value)


NUMBER_AT = ["earnings[0]", "profile.ssdi_monthly", "profile.unearned_income", "iwp.earnings_at_start",
             "iwp.earnings_expected_at_end", "work_expenses.irwe", "hours[0]", "start", "schema_version"]


@settings(max_examples=examples(300), **FUZZ)
@given(doc=base_docs, where=st.sampled_from(NUMBER_AT), digits=st.one_of(st.integers(16, 400), st.integers(401, 6000)),
       sign=st.sampled_from(["", "-"]))
def test_huge_integer_literals_are_plan_errors(doc, where, digits, sign, tmp_path_factory):
    """A whole number of 16 to 6,000 digits anywhere a number goes: today 10**400 raised
    OverflowError, and past 4,300 digits Python's reader raises ValueError."""
    n = len(doc["earnings"])
    if where.startswith("hours"):
        doc["hours"] = [0.0] * n
    if where.startswith("iwp"):
        doc["iwp"] = {"version": 2}
    target, _, key = where.partition(".")
    if key:
        doc[target][key] = "HUGE-HERE"
    elif where.endswith("[0]"):
        doc[where[:-3]][0] = "HUGE-HERE"
    else:
        doc[where] = "HUGE-HERE"
    text = json.dumps(doc).replace('"HUGE-HERE"', sign + "1" + "0" * (digits - 1))
    with pytest.raises(PlanError) as info:
        Plan.load(write_plan_text(tmp_path_factory, text.encode("utf-8")))
    assert_names_field(info.value)
    assert info.value.field in ("file", where), str(info.value)
    assert len(str(info.value)) < 400


SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
TEXT_AT = ["profile.name", "iwp.employment_goal", "iwp.notes", "iwp.en_name", "iwp.short_term_goals",
           "iwp.responsibilities", "key:top", "key:profile", "key:iwp", "key:options"]


@settings(max_examples=examples(500), **FUZZ)
@given(doc=base_docs, where=st.sampled_from(TEXT_AT), text=st.text(max_size=20), lone=SURROGATES,
       at=st.integers(0, 20), data=st.data())
def test_lone_surrogates_are_refused_at_load(doc, where, text, lone, at, data, tmp_path_factory):
    """A lone UTF-16 surrogate ("\\ud800" in the file) in any text or field name: today it loaded,
    then broke save, autosave and print. Now a PlanError naming the field, whose message can be
    written as UTF-8 (no surrogate echoed back)."""
    broken = text[:at] + lone + text[at:]
    if where.startswith("iwp"):
        doc["iwp"] = {"version": 2}
    if where.startswith("key:"):
        part = where[4:]
        holder = doc if part == "top" else doc.setdefault(part, {})
        holder[broken] = 1
        expected = "file" if part == "top" else part
    else:
        part, _, key = where.partition(".")
        doc[part][key] = [broken] if key.endswith(("goals", "responsibilities")) else broken
        expected = where
    with pytest.raises(PlanError) as info:
        Plan.load(write_plan_text(tmp_path_factory, json.dumps(doc).encode("ascii")))
    message = str(info.value)
    message.encode("utf-8")
    assert_names_field(info.value, expected)


@settings(max_examples=examples(200), **FUZZ)
@given(doc=base_docs)
def test_files_with_a_byte_order_mark_load_unchanged(doc, tmp_path_factory):
    """Windows editors start UTF-8 files with a byte-order mark; the plan loads as without it."""
    plan = Plan.from_dict(doc)
    path = write_plan_text(tmp_path_factory, b"\xef\xbb\xbf" + plan.to_json().encode("utf-8"))
    assert Plan.load(path) == plan


# --- found by this suite ------------------------------------------------------------------------

# Found here first: schema 1 kept ``iwp`` as a free dict, so NaN, sets or number keys were accepted
# and the plan then failed to save (ValueError/TypeError) or loaded back different. Schema 2
# validates the IWP with the Ticket layer's model; this keeps it that way.
NOT_JSON = st.one_of(st.just(float("nan")), st.just(float("inf")), st.just({1, 2}), st.just((1, 2)),
                     st.just({1: "a"}), st.just(b"bytes"), st.just(object()))


@settings(max_examples=examples(200), **FUZZ)
@given(key=st.sampled_from(["notes", "employment_goal", "short_term_goals", "earnings_at_start",
                            "services", "responsibilities", "signatures", "ticket", "unknown_key"]),
       value=NOT_JSON)
def test_an_iwp_that_is_not_json_is_refused_or_round_trips(key, value):
    base = Plan.example("ssdi_ramp_to_sga")
    try:
        plan = base.replace(iwp={"version": 2, key: value})
    except PlanError as error:
        assert_names_field(error, "iwp")
        return
    assert Plan.from_dict(json.loads(plan.to_json())) == plan


# --- engine bugs this suite found (fixed in the engine; kept as regression tests) --------------

# Plan accepted any finite earnings, but simulate() crashed with OverflowError in the why text
# for amounts near the float limit (e.g. 1.7e308).
@settings(max_examples=examples(20), **FUZZ)
@given(big=st.floats(1e306, 1.79e308), example=st.sampled_from(Plan.examples()))
def test_huge_finite_earnings_simulate_or_are_refused(big, example):
    doc = Plan.example(example).to_dict()
    doc["earnings"] = [big] * len(doc["earnings"])
    try:
        plan = Plan.from_dict(doc)
    except PlanError as error:
        assert_names_field(error, "earnings")
        return
    table = simulate(plan)
    assert len(table) == plan.months


# Unknown field names that were empty, held ': ' or began with a space were cut short or lost in
# PlanError.field (key 'a: b' gave field 'a'; key '' gave field '').
@pytest.mark.parametrize("key", ["", "a: b", " padded"])
def test_odd_unknown_field_names_are_named_in_full(key):
    doc = Plan.example("ssdi_ramp_to_sga").to_dict()
    doc[key] = 1
    with pytest.raises(PlanError) as info:
        Plan.from_dict(doc)
    assert info.value.field and key in info.value.field, (info.value.field, str(info.value))
