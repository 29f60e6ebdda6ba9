"""The program's words: what the codes in the monthly table mean, said once for every reader.

The engine writes codes (``ssdi_status`` "epe", ``medicaid`` "1619b"); the app, the print, the
CSV/Excel export and the lessons show these words for them. Each word goes through the message
catalogue (``words._``) when it is shown, so a translation needs no change here. Money and months
are in :mod:`iwp_widgets.words` (``money``, ``month_words``).

Like ``words``, this module imports nothing else from the project, so the rules engine can use it.
"""

from __future__ import annotations

from .words import N_, _

# The SSDI statuses ``rules.ssdi.STATUS_NAMES`` (and "before_twp", which a chart may be given).
# The chart labels each run of months with these words, so they stay short.
SSDI_STATUS = {
    "none": N_("No SSDI"),
    "before_twp": N_("Before trial work"),
    "twp": N_("Trial work period"),
    "epe": N_("Extended period (EPE)"),
    "cessation": N_("Cessation month (SSDI still paid)"),
    "grace": N_("Grace months (SSDI still paid)"),
    "suspended": N_("Check paused (work above SGA)"),
    "terminated": N_("SSDI ended"),
    "offset": N_("Check reduced (benefit offset)"),
}

# The ``medicaid`` column: where Medicaid comes from each month.
MEDICAID = {
    "ssi": N_("yes, as an SSI recipient"),
    "1619b": N_("yes, under Section 1619(b)"),
    "none": N_("no"),
}

# The profile's ``benefits``, as the benefits control names them.
BENEFITS = {
    "ssdi": N_("SSDI only"),
    "ssi": N_("SSI only"),
    "concurrent": N_("SSDI and SSI"),
}

YES_NO = {True: N_("yes"), False: N_("no")}


def _known_or_words(table: dict, code) -> str:
    """The words for ``code``; a code nobody gave words for reads as words ("expedited_reinstatement"
    -> "Expedited reinstatement"), never as a code."""
    code = str(code)
    if code in table:
        return _(table[code])
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def ssdi_status_words(code) -> str:
    """``"epe"`` -> "Extended period (EPE)"."""
    return _known_or_words(SSDI_STATUS, code)


def medicaid_words(code) -> str:
    """``"1619b"`` -> "yes, under Section 1619(b)"."""
    return _known_or_words(MEDICAID, code)


def benefits_words(code) -> str:
    """``"concurrent"`` -> "SSDI and SSI", ``"ssi"`` -> "SSI only"."""
    return _known_or_words(BENEFITS, code)


def yes_no(flag) -> str:
    return _(YES_NO[bool(flag)])
