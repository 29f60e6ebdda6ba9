"""Speed of the trainer lessons: building each lesson, one redraw after a learner's change, one grade.

    .venv/bin/python benchmarks/bench_lessons.py [repeats]

A redraw is what a learner waits for after moving a slider or pressing a month. Prints figures; it
asserts nothing (speed is not a unit test here).
"""

import sys
import time

from iwp_widgets.lessons import epe, ssi_1619, ssi_earned, ticket_rules, twl_sga, twp
from iwp_widgets.lessons.engine import SsiCase


def per_call_ms(function, repeat: int) -> float:
    function()  # warm imports and figure caches
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat * 1000


def main(repeat: int = 5) -> None:
    lessons = {"1 twl_sga": twl_sga, "2 twp": twp, "3 epe": epe, "4 ssi_earned": ssi_earned,
               "5 ssi_1619": ssi_1619, "6 ticket_rules": ticket_rules}
    print("build (widget tree, first simulate):")
    for name, module in lessons.items():
        print(f"  {name:<16} {per_call_ms(module.build, repeat):7.1f} ms")

    grid, timeline = twp.build(2012), epe.build(2020)
    worksheet, medicaid, progress = ssi_earned.build(2010), ssi_1619.build(2026), ticket_rules.build(2026)
    button = grid.buttons[5]
    redraws = {
        "2 press a month": lambda: setattr(button, "value", not button.value),
        "3 move a slider": lambda: setattr(timeline.sliders[1], "value", 900 - timeline.sliders[1].value),
        "4 change pay": lambda: setattr(worksheet.gross, "value", 1500 - worksheet.gross.value),
        "5 move pay": lambda: setattr(medicaid.pay, "value", 3000 - medicaid.pay.value),
        "6 move a slider": lambda: setattr(progress.pay_sliders[0], "value",
                                           2000 - progress.pay_sliders[0].value),
    }
    print("redraw after one change:")
    for name, change in redraws.items():
        print(f"  {name:<16} {per_call_ms(change, repeat):7.1f} ms")

    phil = twp.EXAMPLES["Phil (months in two years)"][-1]  # (grid start, grid years, months)
    grades = {
        "2 TWP end (W5)": lambda: twp.grade_twp_end("2013-10", 2012, phil),
        "4 SSI pay (W8)": lambda: ssi_earned.grade_ssi_payment("391.50", SsiCase(2010, 750, irwe=100)),
        "6 review (W14)": lambda: ticket_rules.grade_first_review(
            "Yes", 2026, ticket_rules.Work((1, 0, 0), (1210, 0, 0)), 40),
    }
    print("grade one answer:")
    for name, grade in grades.items():
        print(f"  {name:<16} {per_call_ms(grade, repeat):7.1f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
