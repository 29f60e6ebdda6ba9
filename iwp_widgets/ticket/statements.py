"""The statements every IWP must hold (20 CFR 411.465(a) and 411.470), as data in one place.

Each statement has a heading, the plain-language text the beneficiary reads, and its citation.
The print shows them in this order, each next to the plan's own part it belongs to (the goal, the
services, the EN's responsibilities, the EN's conditions, the Protection and Advocacy contact).
The EN's own conditions and its Protection and Advocacy contact are IWP fields
(``en_conditions``, ``protection_advocacy_contact``), so each EN writes its own.

Translation: the texts here are marked with this module's ``_``, which returns its text unchanged,
so ``python -m iwp_widgets.words`` extracts them into ``locale/iwp.pot`` like any other message;
the print passes each through ``iwp_widgets.words._`` when it shows it, in the reader's language.
Sources: the regulation text at https://www.ecfr.gov/current/title-20/part-411 (Subpart G,
§411.450–411.470; §411.145, §411.150, §411.220 for taking the Ticket back and assigning it again;
§411.610 for being told how to resolve disputes).
"""

from __future__ import annotations

from dataclasses import dataclass


def _(message: str) -> str:
    """Mark ``message`` for the translators' template; it is translated when shown."""
    return message


@dataclass(frozen=True)
class Statement:
    key: str
    heading: str
    text: str
    citation: str


STATEMENTS: tuple[Statement, ...] = (
    Statement("vocational_goal", _("The work goal"),
              _("This is the work goal we developed together, with goals for earnings and for moving "
                "ahead in the job."),
              "20 CFR 411.465(a)(1)"),
    Statement("services", _("Services and supports"),
              _("These are the services and supports you need to reach the goal, who provides each "
                "one, and when."),
              "20 CFR 411.465(a)(2)"),
    Statement("terms", _("Terms and conditions of the services"),
              _("These are the terms and conditions of the services and supports: what the Employment "
                "Network will do, and what you will do."),
              "20 CFR 411.465(a)(3)"),
    Statement("no_charge", _("No cost to you"),
              _("The Employment Network may not ask you for, or accept from you, any payment for the "
                "costs of the services and supports in this plan."),
              "20 CFR 411.465(a)(4)"),
    Statement("amend_or_end", _("When the Employment Network may change this plan or end its work with you"),
              _("The Employment Network may change this plan only if you agree to the change. These are "
                "the conditions under which it may change the plan or end its work with you:"),
              "20 CFR 411.465(a)(5)"),
    Statement("ticket_rights", _("Your rights under the Ticket to Work program"),
              _("You may take your Ticket back from the Employment Network at any time, for example if "
                "you are not satisfied with its services, and assign it to another Employment Network "
                "or to a State vocational rehabilitation agency."),
              "20 CFR 411.465(a)(6); 411.145; 411.150; 411.220"),
    Statement("remedies", _("If you disagree with the Employment Network"),
              _("If you have a problem with the Employment Network's services, you can ask for free "
                "advocacy and for help resolving the dispute from your state's Protection and Advocacy "
                "(P&A) system. The Employment Network must tell you how to resolve disputes when you "
                "sign this plan and whenever your services are reduced, suspended or ended."),
              "20 CFR 411.465(a)(7); 411.610"),
    Statement("privacy", _("Your privacy"),
              _("You have the right to privacy and confidentiality of your personal information, "
                "including information about your disability."),
              "20 CFR 411.465(a)(8)"),
    Statement("amend_right", _("Your right to change this plan"),
              _("You may ask to change (amend) this plan at any time. The plan changes when you and the "
                "Employment Network both agree to the change."),
              "20 CFR 411.465(a)(9)"),
    Statement("accessible_copy", _("Your copy"),
              _("You have the right to a copy of this plan, in an accessible format you choose, such as "
                "large print, Braille, audio, or an electronic file that works with a screen reader."),
              "20 CFR 411.465(a)(10)"),
    Statement("effective", _("When this plan takes effect"),
              _("This plan takes effect when you (or your representative) and a representative of the "
                "Employment Network have both signed it and you are able to assign your Ticket. The "
                "Employment Network then sends a copy to the Ticket Program Manager."),
              "20 CFR 411.470"),
)

BY_KEY: dict[str, Statement] = {s.key: s for s in STATEMENTS}

# What the print says when the EN has not written its own conditions or its P&A contact yet.
NO_EN_CONDITIONS = _("The Employment Network has not written its conditions yet.")
NO_PA_CONTACT = _("Ask the Employment Network for your state's Protection and Advocacy contact.")
