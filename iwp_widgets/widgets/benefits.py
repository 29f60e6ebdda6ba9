"""Switching a plan's benefits in one step: clear what the new choice cannot hold, say so.

``Plan`` refuses SSDI facts on an SSI-only plan and SSI facts on an SSDI-only one
(``Profile.__post_init__``, ``Plan._check_consistency``). Changing only the Benefits field would
therefore leave the draft invalid until each of those fields was emptied by hand. A
``BenefitsSwitch`` makes the whole change in one edit of the draft, keeps what it cleared for the
rest of the session (switching back brings it back: nothing typed is lost) and words the change as
one plain sentence for the counselor.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from ..words import _

LABELS = {"ssdi": "SSDI only", "ssi": "SSI only", "concurrent": "SSDI and SSI"}
SSDI_AMOUNT = ("profile", "ssdi_monthly")


def takes_ssdi(benefits: str) -> bool:
    return benefits in ("ssdi", "concurrent")


def takes_ssi(benefits: str) -> bool:
    return benefits in ("ssi", "concurrent")


@dataclass(frozen=True)
class _Part:
    """A plan field that belongs to one program (or needs one), in the counselor's words."""

    path: tuple[str, ...]
    default: Any
    words: str                               # what was typed, as the note names it
    why: str | Callable[[str, dict], str]    # the reason, after "because" (or how to word it)
    fits: Callable[[str, dict], bool]        # may it stay non-empty under these benefits?

    def reason(self, benefits: str, draft: dict) -> str:
        return self.why(benefits, draft) if callable(self.why) else self.why


def _about(program: str) -> str:
    return f"{{pronoun}} about {program}"


PARTS = (
    _Part(SSDI_AMOUNT, 0.0, "the SSDI check amount", _about("SSDI"), lambda b, d: takes_ssdi(b)),
    _Part(("profile", "twp_months_used"), [], "the trial work history", _about("SSDI"),
          lambda b, d: takes_ssdi(b)),
    _Part(("profile", "twp_completed"), None, "the trial work history", _about("SSDI"),
          lambda b, d: takes_ssdi(b)),
    _Part(("profile", "ssdi_cessation_month"), None, "the trial work history", _about("SSDI"),
          lambda b, d: takes_ssdi(b)),
    # SSI has no subsidy rule: an employer subsidy counts in the SSDI SGA test only.
    _Part(("work_expenses", "subsidy"), 0.0, "the job supports (subsidy)", _about("SSDI"),
          lambda b, d: takes_ssdi(b)),
    _Part(("profile", "state_supplement"), 0.0, "the state supplement", _about("SSI"),
          lambda b, d: takes_ssi(b)),
    # The month SSI began says SSI is paid now (Profile refuses it otherwise).
    _Part(("profile", "ssi_since"), None, "the month SSI began",
          lambda b, d: _about("SSI") if not takes_ssi(b) else "{pronoun} only for someone getting SSI now",
          lambda b, d: takes_ssi(b) and bool(_profile(d).get("ssi_eligible_before", True))),
    _Part(("work_expenses", "pass"), 0.0, "the PASS amount", _about("SSI"), lambda b, d: takes_ssi(b)),
    # For a blind person SSI deducts blind work expenses instead of IRWE (20 CFR 416.976).
    _Part(("work_expenses", "irwe"), 0.0, "the disability work costs (IRWE)",
          "SSI counts a blind person's work costs as blind work expenses (enter them there)",
          lambda b, d: not (b == "ssi" and bool(_profile(d).get("blind")))),
    # Blind work expenses are deducted for a blind person only (20 CFR 416.976).
    _Part(("work_expenses", "bwe"), 0.0, "the blind work costs (BWE)",
          "{pronoun} only for a blind person", lambda b, d: bool(_profile(d).get("blind"))),
)


def _profile(draft: dict) -> dict:
    return draft.get("profile") or {}


def _get(draft: dict, path) -> Any:
    node: Any = draft
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _put(draft: dict, path, value) -> None:
    node = draft
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _empty(value) -> bool:
    """Nothing typed: no month, an empty list, or amounts that are all zero."""
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_empty(v) for v in value) if value and not isinstance(value[0], str) else not value
    if isinstance(value, str):
        return not value.strip()
    try:
        return float(value) == 0
    except (TypeError, ValueError):
        return False


def _names(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _unique(parts) -> list[str]:
    return list(dict.fromkeys(part.words for part in parts))


class BenefitsSwitch:
    """One editor's benefits switches; remembers what it cleared until the plan is replaced."""

    def __init__(self):
        self.kept: dict[tuple[str, ...], Any] = {}

    def forget(self) -> None:
        """Another plan was opened: its switches must never restore this one's values."""
        self.kept.clear()

    def remember_amount(self, amount) -> None:
        """An SSDI amount the counselor typed (kept for a later switch back to SSDI)."""
        if not _empty(amount):
            self.kept[SSDI_AMOUNT] = amount

    def needs_amount(self, draft: dict, benefits: str) -> bool:
        """True if switching to ``benefits`` needs an SSDI amount that nobody has typed yet."""
        return takes_ssdi(benefits) and _empty(_get(draft, SSDI_AMOUNT)) and SSDI_AMOUNT not in self.kept

    def apply(self, draft: dict, benefits: str, amount: float | None = None, lead: str = "") -> str:
        """Switch ``draft`` (plan JSON, changed in place) to ``benefits``; return the note.

        Fields that cannot stay are cleared to their defaults and kept; empty fields that fit
        again get their kept value back. ``amount`` is an SSDI amount typed for this switch.
        ``lead`` words another change that may clear or restore (blind, getting SSI now): the
        note then starts with it, and is empty when nothing was cleared or brought back."""
        draft["profile"]["benefits"] = benefits
        if amount is not None:
            _put(draft, SSDI_AMOUNT, amount)
            self.kept.pop(SSDI_AMOUNT, None)
        cleared, restored = [], []
        for part in PARTS:
            value = _get(draft, part.path)
            if not part.fits(benefits, draft):
                if not _empty(value):
                    self.kept[part.path] = copy.deepcopy(value)
                    _put(draft, part.path, copy.deepcopy(part.default))
                    cleared.append(part)
            elif _empty(value) and part.path in self.kept:
                _put(draft, part.path, self.kept.pop(part.path))
                restored.append(part)
        if lead and not cleared and not restored:
            return ""
        return self._sentence(benefits, cleared, restored, amount, lead, draft)

    @staticmethod
    def _sentence(benefits: str, cleared, restored, amount=None, lead: str = "", draft=None) -> str:
        clauses = []
        reasons = {part.path: part.reason(benefits, draft or {}) for part in cleared}
        for why in dict.fromkeys(reasons.values()):
            words = _unique(p for p in cleared if reasons[p.path] == why)
            plural = len(words) > 1
            reason = why.format(pronoun="they are" if plural else "it is")
            clauses.append(f"{_names(words)} {'were' if plural else 'was'} cleared, because {reason}")
        if restored:
            words = _unique(restored)
            clauses.append(f"{_names(words)} typed earlier {'were' if len(words) > 1 else 'was'} brought back")
        switched = lead or _("Switched to {benefits}").format(benefits=_(LABELS[benefits]))
        if amount is not None:
            switched += f" with an SSDI check of ${amount:,.2f} a month"
        if not clauses:
            return f"{switched}; nothing you typed needed clearing."
        return f"{switched}: {'; '.join(clauses)}."

    @staticmethod
    def amount_request(benefits: str, current: str) -> str:
        return _("To switch to {chosen}, type the SSDI check amount under “{field}”; until then the plan "
                 "stays {current}.").format(chosen=_(LABELS[benefits]), field=_("SSDI check ($ a month)"),
                                            current=_(LABELS[current]))
