"""Entity identifier codes (X12 data element 98) met in STC01-3 and NM101, in our own words.

Each code has a short noun phrase, used inside a status sentence ("the insurer needs the date of
birth of the patient."), and a sentence saying who that is.
"""

from __future__ import annotations


def _(text: str) -> str:
    """Mark a text for translation (Django's makemessages finds it); x12 stays free of Django."""
    return text


# code -> (noun phrase, sentence)
ENTITIES: dict[str, tuple[str, str]] = {
    "03": (
        _("the dependent"),
        _("This is a dependent: someone covered through the plan member, such as a child or spouse."),
    ),
    "13": (_("the contracted provider"), _("This is a provider who works under contract.")),
    "17": (_("the consultant's office"), _("This is the office of a consulting doctor.")),
    "1E": (
        _("the HMO"),
        _("This is a health maintenance organization (HMO), a kind of plan with its own network."),
    ),
    "1G": (_("the cancer center"), _("This is a cancer (oncology) center.")),
    "1H": (_("the dialysis unit"), _("This is a kidney dialysis unit.")),
    "1I": (
        _("the PPO"),
        _("This is a preferred provider organization (PPO), a network of providers with set prices."),
    ),
    "1O": (_("the hospital"), _("This is a hospital that gives short-term care.")),
    "1P": (
        _("the provider"),
        _("This is the doctor, dentist, clinic or other provider of the care."),
    ),
    "1Q": (_("the military facility"), _("This is a military health facility.")),
    "1R": (_("the school"), _("This is a university, college or school.")),
    "1S": (_("the surgery center"), _("This is an outpatient surgery center.")),
    "1T": (
        _("the doctor's office"),
        _("This is a doctor, clinic or group practice."),
    ),
    "1U": (_("the long-term care facility"), _("This is a long-term care facility.")),
    "1X": (_("the laboratory"), _("This is a laboratory that runs tests.")),
    "1Y": (_("the pharmacy"), _("This is a retail pharmacy.")),
    "1Z": (_("the home health provider"), _("This is a home health care provider.")),
    "2B": (
        _("the claims administrator"),
        _("This is a third-party administrator (TPA), a company that handles claims for a plan."),
    ),
    "30": (_("the supplier"), _("This is a supplier of a service.")),
    "36": (_("the employer"), _("This is the employer.")),
    "40": (_("the receiver"), _("This is the organization receiving the claim or the answer.")),
    "41": (
        _("the sender"),
        _(
            "This is the organization that sent the claim or the request, such as the "
            "provider's office or a clearinghouse."
        ),
    ),
    "43": (
        _("the member's representative"),
        _("This is a person allowed to act for the member."),
    ),
    "71": (_("the attending doctor"), _("This is the doctor in charge of the patient's care.")),
    "72": (_("the surgeon"), _("This is the doctor who did the operation.")),
    "73": (_("another doctor"), _("This is another doctor involved in the care.")),
    "74": (_("the plan member"), _("This is the plan member, with corrected details.")),
    "77": (_("the place of service"), _("This is the place where the care was given.")),
    "80": (_("the hospital"), _("This is a hospital.")),
    "82": (_("the treating provider"), _("This is the provider who actually gave the care.")),
    "84": (_("the plan member's employer"), _("This is the plan member's employer.")),
    "85": (_("the billing provider"), _("This is the provider or office that sent the bill.")),
    "87": (_("the provider being paid"), _("This is the provider who receives the payment.")),
    "CK": (_("the pharmacist"), _("This is a pharmacist.")),
    "D2": (_("a commercial insurer"), _("This is a commercial insurance company.")),
    "DD": (_("the assistant surgeon"), _("This is a surgeon who assisted in the operation.")),
    "DK": (
        _("the ordering doctor"),
        _("This is the doctor who ordered the test or service."),
    ),
    "DN": (
        _("the referring provider"),
        _("This is the provider who sent the patient for this care."),
    ),
    "DQ": (_("the supervising doctor"), _("This is the doctor who supervised the care.")),
    "FA": (
        _("the facility"),
        _("This is the hospital, clinic or other place where the care was given."),
    ),
    "G3": (_("the clinic"), _("This is a clinic.")),
    "GB": (
        _("the holder of the other insurance"),
        _("This is the person who holds another insurance policy that may also pay."),
    ),
    "GD": (_("the guardian"), _("This is the patient's guardian.")),
    "HH": (_("the home health agency"), _("This is a home health agency.")),
    "HK": (_("the plan member"), _("This is the plan member (subscriber).")),
    "I3": (
        _("the physicians' association"),
        _("This is an independent physicians' association (IPA), a group of doctors."),
    ),
    "IL": (
        _("the plan member"),
        _("This is the plan member (subscriber): the person whose name the plan is in."),
    ),
    "IN": (_("the insurer"), _("This is the insurance company.")),
    "LI": (_("the lab"), _("This is an independent laboratory.")),
    "LR": (_("the legal representative"), _("This is the patient's legal representative.")),
    "MR": (_("the medical insurer"), _("This is the medical insurance company.")),
    "OB": (_("the person who ordered it"), _("This is the person who ordered the service.")),
    "OD": (_("the eye doctor"), _("This is a doctor of optometry (an eye doctor).")),
    "P3": (
        _("the primary care provider"),
        _("This is the patient's main doctor (primary care provider)."),
    ),
    "P4": (_("the earlier insurer"), _("This is an insurer that covered the patient before.")),
    "PR": (
        _("the insurer"),
        _("This is the insurer (payer) that handles claims for your plan."),
    ),
    "QA": (_("the pharmacy"), _("This is a pharmacy.")),
    "QC": (_("the patient"), _("This is the patient: the person who received the care.")),
    "QD": (
        _("the responsible party"),
        _("This is the person responsible for paying the bill."),
    ),
    "QE": (_("the policyholder"), _("This is the person who holds the policy.")),
    "QH": (_("the doctor"), _("This is a doctor.")),
    "QK": (_("the managed care plan"), _("This is a managed care organization.")),
    "QL": (_("the chiropractor"), _("This is a chiropractor.")),
    "QN": (_("the dentist"), _("This is a dentist.")),
    "QS": (_("the podiatrist"), _("This is a foot doctor (podiatrist).")),
    "QV": (_("the group practice"), _("This is a group practice of doctors.")),
    "S4": (_("the nursing facility"), _("This is a skilled nursing facility.")),
    "SJ": (_("the service provider"), _("This is the provider who gave the service.")),
    "SU": (_("the supplier"), _("This is a supplier or manufacturer.")),
    "TQ": (
        _("the review organization"),
        _("This is an outside organization that reviews claims for the insurer."),
    ),
    "TT": (
        _("the organization the claim went to"),
        _("This is the organization the claim was transferred to."),
    ),
    "TU": (
        _("the repricing organization"),
        _("This is an outside organization that works out the price of claims for the insurer."),
    ),
    "UH": (_("the nursing home"), _("This is a nursing home.")),
    "X3": (
        _("the care review organization"),
        _("This is an organization that reviews whether care is needed."),
    ),
    "X4": (_("the spouse"), _("This is the spouse.")),
    "X5": (
        _("the medical equipment supplier"),
        _("This is a supplier of medical equipment, such as wheelchairs or oxygen."),
    ),
}

# Used when a status sentence names an entity but no (known) entity code came with it.
SOMEONE = _("someone named on the claim")
