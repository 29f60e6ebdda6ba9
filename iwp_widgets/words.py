"""Every word a person reads: the message catalogue, and money and months in the reader's locale.

Text a beneficiary, counselor or trainer reads is written in English in the code, wrapped in
``_()`` (or ``ngettext()`` when it counts something), and looked up here in the active catalogue.
English needs no catalogue: the English text is the message id. A translation is a new file,
``iwp_widgets/locale/<language>/LC_MESSAGES/iwp.po``, made from the template ``locale/iwp.pot``
(``make messages`` writes the template from the code; a test checks it is up to date).

Money is dollars and cents ("$1,386.67") and months are words ("March 2026"), both formatted by
Babel for the active locale. This module imports nothing from the project, so the rules engine,
the plan, the print and the widgets can all use it.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import math
import threading
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import (format_currency, format_decimal, get_currency_symbol, get_decimal_symbol,
                           get_group_symbol, get_minus_sign_symbol)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "iwp"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
DEFAULT_LOCALE = "en_US"
CURRENCY = "USD"

# One active locale per process: a Voilà kernel serves one person, a batch run one report.
_active = threading.local()


class _Reader:
    """A locale and its catalogue (English: no catalogue, the message id is the text)."""

    def __init__(self, name: str):
        self.locale = Locale.parse(name)
        self.name = name
        self.catalogue: gettext.NullTranslations = _load_catalogue(self.locale)
        self.money_shape = _money_shape(self.locale)
        self.money_texts: dict[float, str] = {}  # a plan's "why" texts repeat the same few amounts


def _money_shape(locale: Locale) -> tuple | None:
    """What Babel's currency pattern for ``locale`` puts around a number, so that ``money`` can
    format with Python's own (fast) formatting: (positive prefix, positive suffix, negative
    prefix, negative suffix, separator swap). None when the pattern is not "groups of three, two
    decimals" (Babel then formats each amount)."""
    pattern = locale.currency_formats["standard"]
    if pattern.grouping != (3, 3) or pattern.frac_prec != (2, 2):
        return None
    symbol, minus = get_currency_symbol(CURRENCY, locale), get_minus_sign_symbol(locale)

    def filled(text: str) -> str:
        return text.replace("¤", symbol).replace("-", minus)

    swap = str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})
    return (filled(pattern.prefix[0]), filled(pattern.suffix[0]),
            filled(pattern.prefix[1]), filled(pattern.suffix[1]), swap)


def _load_catalogue(locale: Locale) -> gettext.NullTranslations:
    """The .po file for ``locale`` (e.g. ``es_MX`` then ``es``), compiled in memory."""
    for name in (str(locale), locale.language):
        po = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as handle:
                catalogue = read_po(handle, locale=locale, domain=DOMAIN)
            compiled = io.BytesIO()
            write_mo(compiled, catalogue)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


_readers: dict[str, _Reader] = {}


def set_locale(name: str = DEFAULT_LOCALE) -> None:
    """Read, write money and name months in ``name`` (e.g. ``"en_US"``, ``"es_US"``) from now on."""
    if name not in _readers:
        _readers[name] = _Reader(name)
    _active.reader = _readers[name]


def _reader() -> _Reader:
    reader = getattr(_active, "reader", None)
    if reader is None:
        set_locale(DEFAULT_LOCALE)
        reader = _active.reader
    return reader


def current_locale() -> str:
    return _reader().name


def _(message: str) -> str:
    """``message`` in the reader's language."""
    return _reader().catalogue.gettext(message)


def N_(message: str) -> str:
    """Marks ``message`` for the template without translating it yet: for tables of words built
    when a module loads (the reader's language is known only when a word is shown, via ``_()``)."""
    return message


class Said:
    """Words said in the reader's language each time they are shown (``str()``, an f-string,
    ``.format``), not when made: for texts a module builds when it loads, such as the input limits
    (``limits.MONEY_LIMIT``), which a message formats only once an error is found."""

    def __init__(self, say):
        self._say = say

    def __str__(self) -> str:
        return self._say()

    def __format__(self, spec: str) -> str:
        return format(self._say(), spec)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for ``count``, in the reader's language."""
    return _reader().catalogue.ngettext(singular, plural, count)


def money(value: float) -> str:
    """Dollars and cents as the reader writes them: "$1,386.67", "-$5.00" (never "-$0.00")."""
    value = float(value)
    if not math.isfinite(value) or abs(value) >= 1e15:  # Babel's decimal rounding fails far beyond any plan
        return _("an amount too large to show")
    value = round(value, 2) + 0.0  # -0.004 is "$0.00"
    reader = _reader()
    texts = reader.money_texts
    text = texts.get(value)
    if text is None:
        if len(texts) > 4096:  # a long session sees many amounts: keep the memory bounded
            texts.clear()
        text = texts[value] = _money_text(value, reader)
    return text


def _money_text(value: float, reader: _Reader) -> str:
    shape = reader.money_shape
    if shape is None:
        return format_currency(value, CURRENCY, locale=reader.locale)
    # Babel takes about 40 µs an amount; a plan's "why" texts hold hundreds of amounts.
    prefix, suffix, minus_prefix, minus_suffix, swap = shape
    digits = f"{abs(value):,.2f}".translate(swap)
    if value < 0:
        return f"{minus_prefix}{digits}{minus_suffix}"
    return f"{prefix}{digits}{suffix}"


def number(value: float, digits: int = 2) -> str:
    """A number with up to ``digits`` decimals, grouped as the reader writes it: "17.25", "1,200"."""
    return format_decimal(round(float(value), digits), locale=_reader().locale)


def month_words(month) -> str:
    """A month as people write it: "March 2026". Takes a pandas Period, a date or "YYYY-MM"."""
    return _month_words(_reader().name, *_year_month(month))


def month_name(month, short: bool = False) -> str:
    """The month alone: "March", or "Mar" when ``short`` (a Period, a date or "YYYY-MM")."""
    return _month_words(_reader().name, *_year_month(month), "MMM" if short else "MMMM")


def short_month_words(month) -> str:
    """A month where space is short (a grid's buttons, a list of many months): "Mar 2026"."""
    return _month_words(_reader().name, *_year_month(month), "MMM y")


def _year_month(month) -> tuple[int, int]:
    if isinstance(month, str):
        year, number_ = month[:7].split("-")
        return int(year), int(number_)
    return int(month.year), int(month.month)  # a date, a pandas Period or Timestamp


@functools.lru_cache(maxsize=4096)
def _month_words(locale: str, year: int, month: int, pattern: str = "MMMM y") -> str:
    return format_date(dt.date(year, month, 1), pattern, locale=locale)


def date_words(day: dt.date | str) -> str:
    """A date as people write it: "March 6, 2026"."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return format_date(day, "long", locale=_reader().locale)


# --- the template a translator starts from ------------------------------------------------------
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract_template():
    """Every message the code passes to ``_()`` or ``ngettext()``, as a Babel catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalogue = Catalog(project="IWP Planner", domain=DOMAIN)
    package = Path(__file__).resolve().parent
    for filename, line, message, comments, context in extract_from_dir(
            package, method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("Translators:",), strip_comment_tags=True):
        catalogue.add(message, locations=[(f"iwp_widgets/{filename}", line)],
                      auto_comments=comments, context=context)
    return catalogue


def write_template(path: Path = TEMPLATE) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, extract_template(), omit_header=True, sort_output=True, width=100)


if __name__ == "__main__":  # make messages
    write_template()
    print(f"wrote {TEMPLATE.relative_to(Path.cwd()) if TEMPLATE.is_relative_to(Path.cwd()) else TEMPLATE}")
