"""Claim status category codes (X12 external code list 507, STC01-1), in our own words.

Every code of the list is here, the deactivated ones too (a payer may still send them). Each has
a member-facing sentence and the portal's stage. The words are ours, written for a member reading
an insurer's statement; X12's own descriptions are X12's copyright and are not copied.
"""

from __future__ import annotations

from enum import Enum


def _(text: str) -> str:
    """Mark a text for translation (Django's makemessages finds it); x12 stays free of Django."""
    return text


class Stage(str, Enum):
    """Where a claim stands with the insurer, as the portal shows it."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    PAID = "paid"
    DENIED = "denied"
    FINALIZED = "finalized"
    INFO_REQUESTED = "info_requested"
    REJECTED = "rejected"
    NOT_FOUND = "not_found"
    ERROR = "error"
    UNKNOWN = "unknown"


# code -> (sentence, stage, deactivated)
CATEGORIES: dict[str, tuple[str, Stage, bool]] = {
    # Acknowledgements: the insurer got the claim (or turned it away at the door).
    "A0": (_("The claim was passed on to another organization to handle."), Stage.RECEIVED, False),
    "A1": (
        _("The insurer received the claim but has not yet accepted it for processing."),
        Stage.RECEIVED,
        False,
    ),
    "A2": (_("The insurer accepted the claim and will process it."), Stage.RECEIVED, False),
    "A3": (
        _("The insurer sent the claim back without processing it. The provider needs to fix it and send it again."),
        Stage.REJECTED,
        False,
    ),
    "A4": (_("The insurer cannot find this claim in its system."), Stage.NOT_FOUND, False),
    "A5": (
        _("The insurer split the claim into more than one claim to process it."),
        Stage.RECEIVED,
        False,
    ),
    "A6": (
        _(
            "The insurer turned the claim away because some information was missing. "
            "The provider needs to add it and send the claim again."
        ),
        Stage.REJECTED,
        False,
    ),
    "A7": (
        _(
            "The insurer turned the claim away because some information was wrong. "
            "The provider needs to correct it and send the claim again."
        ),
        Stage.REJECTED,
        False,
    ),
    "A8": (
        _("The insurer turned the claim away because two pieces of information on it do not agree with each other."),
        Stage.REJECTED,
        False,
    ),
    # Pending: the insurer is still working on it.
    "P0": (_("The claim is on hold and has not been fully paid yet."), Stage.IN_PROGRESS, False),
    "P1": (_("The insurer is working on this claim."), Stage.IN_PROGRESS, False),
    "P2": (
        _("The claim is waiting for a review, such as a medical or pricing review."),
        Stage.IN_PROGRESS,
        False,
    ),
    "P3": (
        _(
            "The claim is waiting for information the insurer asked the provider for. "
            "The provider usually takes care of this."
        ),
        Stage.INFO_REQUESTED,
        False,
    ),
    "P4": (
        _(
            "The claim is waiting for information the insurer asked the patient for. "
            "Check your mail or your insurer's website."
        ),
        Stage.INFO_REQUESTED,
        False,
    ),
    "P5": (
        _("The insurer put the claim on hold for its own office or system reasons."),
        Stage.IN_PROGRESS,
        False,
    ),
    # Finalized: the insurer has decided.
    "F0": (
        _("The insurer has finished with this claim, and nothing more will happen with it."),
        Stage.FINALIZED,
        False,
    ),
    "F1": (_("The insurer has paid this claim (or this line)."), Stage.PAID, False),
    "F2": (_("The insurer decided not to pay this claim (or this line)."), Stage.DENIED, False),
    "F3": (
        _("The insurer finished this claim and later changed its decision."),
        Stage.FINALIZED,
        False,
    ),
    "F3F": (
        _("The insurer finished this claim, paid what it owed, and sent the claim on to the next plan that may pay."),
        Stage.FINALIZED,
        False,
    ),
    "F3N": (
        _("The insurer finished this claim and paid what it owed. It did not send the claim on to any other plan."),
        Stage.FINALIZED,
        False,
    ),
    "F4": (
        _("The insurer finished this claim and will not pay anything more on it."),
        Stage.FINALIZED,
        False,
    ),
    "F5": (
        _("The insurer closed this claim because it could not process it. This code is no longer in use."),
        Stage.FINALIZED,
        True,
    ),
    # Requests for more information.
    "R0": (_("The insurer needs more information to finish this claim."), Stage.INFO_REQUESTED, False),
    "R1": (
        _("The insurer needs more information about a person or provider on the claim."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R3": (
        _("The insurer needs more details of the kind that normally go on the claim form."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R4": (
        _("The insurer needs supporting papers, such as notes, x-rays or a certificate."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R5": (
        _("The insurer got the information it asked for, but it needs more detail."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R6": (
        _("The insurer needs more information to meet a legal or regulatory rule."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R7": (
        _("The insurer needs information to confirm that your plan covers this care."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R8": (
        _("The insurer needs information to confirm the care fits an exception in your plan."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R9": (
        _("The insurer needs information to decide whether the care was medically needed."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R10": (
        _("The insurer needs information to support a complaint or appeal that was filed."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R11": (
        _("The insurer is reviewing the claim before paying it and needs more information."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R12": (
        _("The insurer wants an explanation of why a certain procedure code was used."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R13": (
        _("The insurer could not read the papers it received and needs them again."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R14": (
        _("The papers the insurer received are not the ones it asked for."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R15": (
        _("The insurer needs information to decide whether workers' compensation should pay."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "R16": (
        _("The insurer needs information to confirm the patient was covered."),
        Stage.INFO_REQUESTED,
        False,
    ),
    # R17 is in the list pyx12 ships; no public text for it was found, so a general sentence.
    "R17": (
        _("The insurer asked for more information about this claim."),
        Stage.INFO_REQUESTED,
        False,
    ),
    "RQ": (
        _("The insurer has a yes-or-no question about this claim. This code is no longer in use."),
        Stage.INFO_REQUESTED,
        True,
    ),
    # The request could not be answered.
    "E0": (
        _("The insurer could not answer because something in the request was wrong."),
        Stage.ERROR,
        False,
    ),
    "E1": (
        _("The insurer could not answer because its system is not available right now. Try again later."),
        Stage.ERROR,
        False,
    ),
    "E2": (_("The insurer's system did not respond. Try again later."), Stage.ERROR, False),
    "E3": (
        _(
            "The insurer could not answer because two pieces of information in the request "
            "do not agree with each other."
        ),
        Stage.ERROR,
        False,
    ),
    "E4": (
        _(
            "The insurer could not answer because the request does not meet its rules. "
            "Something in it needs to be corrected."
        ),
        Stage.ERROR,
        False,
    ),
    "D0": (
        _(
            "The insurer could not find a claim that matches what was sent. "
            "Check the date of service and the member ID, or ask the provider whether "
            "the claim was sent."
        ),
        Stage.NOT_FOUND,
        False,
    ),
    "X0": (
        _("The insurer added extra messages about this claim. This code is no longer in use."),
        Stage.UNKNOWN,
        True,
    ),
}

# The stage of a category code that is not (yet) in the table, by its first letter.
FAMILY_STAGES: dict[str, Stage] = {
    "A": Stage.RECEIVED,
    "P": Stage.IN_PROGRESS,
    "F": Stage.FINALIZED,
    "R": Stage.INFO_REQUESTED,
    "E": Stage.ERROR,
    "D": Stage.NOT_FOUND,
}
