"""Input limits: how large a plan's amounts may be and how deep its file may nest.

These are not program figures (those live in ``thresholds/`` with their year and source). They are
generous sanity bounds on what can be typed or read from a file, so that no screen, export or print
shows ``$inf`` or a 400-digit amount and no file can exhaust the parser. Documented in
``docs/files.md`` ("Limits"); ``tests/test_plan.py`` checks each is far above any program figure.
"""

from .words import Said, _, money, number

MAX_MONEY = 1_000_000.0        # dollars a month: earnings, benefits, work expenses, IWP earnings goals
MAX_HOURS = 744.0              # hours a month: a 31-day month has no more
MAX_HOURLY_WAGE = 1_000.0      # dollars an hour in the earnings-path editor (× 168 h a week stays under MAX_MONEY)
MAX_PERCENT = 1_000.0          # share of a full-time school year done in one progress period, in percent
MAX_DEPTH = 32                 # nesting of a plan document (a valid plan nests at most 8 deep)
MAX_INTEGER = 10**15           # any whole number in a plan file is smaller (money is ≤ MAX_MONEY)

# How messages say the limits: in the reader's language, money in dollars and cents.
MONEY_LIMIT = Said(lambda: _("{amount} a month").format(amount=money(MAX_MONEY)))
HOURS_LIMIT = Said(lambda: _("{hours} hours a month (a 31-day month has no more)").format(hours=number(MAX_HOURS)))
WAGE_LIMIT = Said(lambda: _("{amount} an hour").format(amount=money(MAX_HOURLY_WAGE)))
RAISE_LIMIT = Said(lambda: _("1 (a raise of 100% a year)"))
