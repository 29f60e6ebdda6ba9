"""Trainer lessons: interactive notebooks on the program rules, with exercises the engine grades.

One module per lesson builds its widget tree; the notebooks under ``notebooks/lessons/``
only import, build and display. Lessons hold no rule logic: every figure comes from
``iwp_widgets.thresholds`` and every result and grade from ``simulate`` or the Ticket layer.
"""
