"""The one error type users see for bad input, and how its messages quote what was given."""

import reprlib

# A message quotes at most this many characters of a value or a field name the user gave:
# enough to recognise it, never a whole hostile key or a 400-digit number.
SHOWN_CHARACTERS = 40
# reprlib stops at a few items and two levels, so quoting a huge or deeply nested value is cheap.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = SHOWN_CHARACTERS


class PlanError(ValueError):
    """Bad input. The message starts with the field it is about, e.g. ``earnings[3]: ...``.

    ``field`` holds that field's name so an app can show the message next to it.
    """

    def __init__(self, message: str, field: str | None = None):
        if field is None:
            field = message.split(":", 1)[0].strip() if ":" in message else ""
        elif not message.startswith(field):
            message = f"{field}: {message}"
        super().__init__(message)
        self.field = field


# Said of text holding a lone UTF-16 surrogate ("\ud800"): JSON can carry one, UTF-8 cannot.
BROKEN_TEXT = ("holds a broken character (a lone surrogate) that cannot be saved or printed; "
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
