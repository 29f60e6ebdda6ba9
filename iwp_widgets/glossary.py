"""Plain-language meanings of the words the apps use, each with where the rule is written.

Written for a beneficiary reading along with a counselor (about 8th-grade level): one or two
short sentences, no dollar figures (those change every year and live in ``thresholds/``).
The apps show a term's meaning on hover (``title``) and on focus (a click; an aria-live region
reads it out), and list every meaning in one "What these words mean" control; the citation sits
behind the counselor-detail toggle.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .words import N_, _


@dataclass(frozen=True)
class Term:
    key: str
    name: str
    meaning: str
    citation: str


TERMS: dict[str, Term] = {t.key: t for t in (
    Term("TWL", N_("Trial Work Level"),
         N_("A monthly pay amount set each year. If you earn more than it in a month, that month counts as a "
         "trial work month."),
         "20 CFR §404.1592(b); SSA OCACT \"Trial Work Period\""),
    Term("TWP", N_("Trial Work Period"),
         N_("Nine months, inside any 60 months in a row, when you can test working and still get your full SSDI "
         "check no matter how much you earn."),
         "20 CFR §404.1592; POMS DI 13010.035"),
    Term("SGA", N_("Substantial Gainful Activity"),
         N_("A monthly pay amount set each year. After your trial work period, earning more than it can stop "
         "your SSDI check. The amount is higher for people who are blind."),
         "20 CFR §404.1574, §404.1584; SSA OCACT \"Substantial Gainful Activity\""),
    Term("EPE", N_("Extended Period of Eligibility"),
         N_("The 36 months right after your trial work period. In any month your pay is under SGA, your SSDI "
         "check can start again without a new application."),
         "20 CFR §404.1592a; POMS DI 13010.210"),
    Term("Grace period", N_("Grace period"),
         N_("When SSDI decides your work is SGA, you still get checks for that month and the next two months."),
         "20 CFR §404.1592a(a)(1); §404.316"),
    Term("IRWE", N_("Impairment-Related Work Expenses"),
         N_("Costs you pay because of your disability so you can work, like special transportation or a "
         "medical device. Social Security subtracts them from your pay when it counts your earnings."),
         "20 CFR §404.1576, §416.976; POMS SI 00820.540"),
    Term("BWE", N_("Blind Work Expenses"),
         N_("For SSI if you are blind: money you spend to be able to work, such as taxes, a guide dog or rides "
         "to work. Social Security does not count it as income."),
         "20 CFR §416.1112(c)(8); POMS SI 00820.535"),
    Term("Subsidy", N_("Subsidy and special conditions"),
         N_("Extra help on the job, like a job coach or lighter duties. Social Security can count less of "
         "your pay toward SGA because of it."),
         "20 CFR §404.1574(a)(2); POMS DI 10505.010"),
    Term("PASS", N_("Plan to Achieve Self-Support"),
         N_("A written plan to reach a job goal. Money you set aside for that goal is not counted against "
         "your SSI check."),
         "20 CFR §416.1180–§416.1182"),
    Term("SEIE", N_("Student Earned Income Exclusion"),
         N_("If you are under 22 and go to school, SSI does not count part of your pay, up to a monthly and "
         "a yearly limit."),
         "20 CFR §416.1112(c)(3); POMS SI 00820.510"),
    Term("1619(a)", N_("Section 1619(a)"),
         N_("Lets you keep getting some SSI cash even when your earnings are above SGA, as long as your "
         "income is still low enough."),
         "Social Security Act §1619(a); 20 CFR §416.260–§416.269"),
    Term("1619(b)", N_("Section 1619(b)"),
         N_("Lets you keep Medicaid when your pay is too high for an SSI check, as long as your earnings stay "
         "under your state's limit and you still need Medicaid to work."),
         "Social Security Act §1619(b); 20 CFR §416.264; POMS SI 02302.200"),
    Term("Earned income exclusion", N_("$65 and half rule"),
         N_("SSI does not count the first part of your pay and then half of the rest, so working always "
         "leaves you with more money."),
         "20 CFR §416.1112(c)(5)–(7); POMS SI 00820.500"),
    Term("Countable income", N_("Countable income"),
         N_("The part of your income SSI uses to figure your check, after the things it does not count are "
         "taken off."),
         "20 CFR §416.1100–§416.1124"),
    Term("Breakeven", N_("Breakeven point"),
         N_("The amount of pay at which your SSI check goes down to zero."),
         "POMS SI 00810.350"),
    Term("Cessation", N_("Cessation month"),
         N_("The first month after your trial work period when your work counts as SGA. Your SSDI stops after "
         "the grace period."),
         "20 CFR §404.1592a(a)(1); POMS DI 13010.210"),
    Term("EXR", N_("Expedited Reinstatement"),
         N_("If your benefits stopped because of work, you can ask to restart them within five years without a "
         "new application, if your disability stops you from working again."),
         "20 CFR §404.1592b–§404.1592f; POMS DI 13050.066"),
    Term("IWP", N_("Individual Work Plan"),
         N_("The plan you and your Employment Network write and sign together. It lists your job goal, the "
         "services you will get and who does what."),
         "20 CFR §411.450; Your Ticket to Work \"Individual Work Plan\""),
    Term("EN", N_("Employment Network"),
         N_("An organization that helps people with a Ticket to Work find and keep a job. Social Security pays "
         "it when you reach work goals."),
         "20 CFR §411.300–§411.325"),
    Term("Timely progress", N_("Timely progress"),
         N_("Goals for work or school checked every 12 months while you use your Ticket. Meeting them keeps "
         "medical reviews from starting."),
         "20 CFR §411.180; POMS DI 55025.025"),
    Term("Milestone", N_("Milestone and outcome payments"),
         N_("Payments Social Security makes to your Employment Network when you reach earnings goals. They "
         "never come out of your own benefits."),
         "20 CFR §411.500–§411.575"),
    Term("BPQY", N_("Benefits Planning Query"),
         N_("A report from Social Security that shows your benefits and your work history, such as the trial "
         "work months you already used."),
         "SSA form SSA-L457 (BPQY)"),
)}


def term(key: str) -> Term:
    return TERMS[key]


def html_term(key: str, label: str | None = None) -> str:
    """A term in running text: its meaning shows on hover (title) and, once clicked or focused,
    in the page's live region (see ``widgets.controls.glossary_panel``).

    It is focusable by a click or a script but not a tab stop (``tabindex="-1"``): a dozen terms
    ahead of the controls kept keyboard users from the plan. They reach every meaning through
    the panel's one "What these words mean" control (``html_meanings``)."""
    t = TERMS[key]
    text = escape(label or t.key)
    meaning = escape(f"{_(t.name)}: {_(t.meaning)}", quote=True)
    return (f'<span class="iwp-term" tabindex="-1" data-term="{escape(t.key, quote=True)}" '
            f'title="{meaning}">{text}</span>')


def html_meanings(keys: list[str]) -> str:
    """Every meaning as a list inside one disclosure: a single tab stop (its summary) that opens
    with Enter or Space; screen readers read the list as text."""
    items = []
    for key in keys:
        t = TERMS[key]
        name = _(t.name) if t.key == t.name else f"{t.key} — {_(t.name)}"
        items.append(f"<li><strong>{escape(name)}</strong>: {escape(_(t.meaning))}</li>")
    return (f'<details class="iwp-meanings"><summary>What these words mean</summary>'
            f'<ul>{"".join(items)}</ul></details>')
