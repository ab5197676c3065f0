"""Remittance advice remark codes (RARC, X12 external code list 411), in our own words: the
extra notes an insurer adds to explain an adjustment or to say what happens next.
"""

from __future__ import annotations


def _(text: str) -> str:
    """Mark a text for translation (Django's makemessages finds it); x12 stays free of Django."""
    return text


RARCS: dict[str, str] = {
    "M1": _("The x-ray was not taken within the past 12 months, or close enough to the start of treatment."),
    "M2": _("This is not paid separately while the patient is staying in the hospital."),
    "M15": _("Services billed separately were combined because they are parts of the same procedure."),
    "M16": _("See the insurer's website, mailings or bulletins for more about this rule."),
    "M20": _("The HCPCS code, a code for supplies, equipment and some services, is missing or wrong."),
    "M25": _("The records do not show that this level of service was needed. The provider can ask for a review."),
    "M51": _("The procedure code is missing, incomplete or wrong."),
    "M54": _("The total charges are missing or wrong."),
    "M56": _("The insurer's ID on the claim is missing or wrong."),
    "M62": _("The approval (authorization) code is missing or wrong."),
    "M67": _("Another procedure code on the claim is missing or wrong."),
    "M76": _("The diagnosis code is missing, incomplete or wrong."),
    "M77": _("The place of service is missing, wrong, or not right for this care."),
    "M79": _("The charge is missing or wrong."),
    "M80": _("This is not covered when done on the same day or visit as a service already processed."),
    "M81": _("The provider must use the most specific diagnosis code there is."),
    "M86": _("This was denied because the same or a similar service was already paid within a set time."),
    "M119": _("The drug code (NDC) is missing, wrong, or no longer valid."),
    "M127": _("The patient's medical record for this service is missing."),
    "M144": _("Care before and after surgery is included in the payment for the surgery."),
    "MA01": _("If you disagree with the decision, you can appeal. Your insurer's notice explains how and by when."),
    "MA04": _(
        "This plan pays second, so it needs the first plan's payment details. Those were missing or could not be read."
    ),
    "MA07": _("The claim was also sent to Medicaid for review."),
    "MA13": _("The provider may face penalties for billing you for amounts not marked as your share."),
    "MA18": _("The claim was also sent to your supplemental insurer. Contact them if you do not hear back."),
    "MA61": _("The Social Security number or Medicare number is missing or wrong."),
    "MA63": _("The main diagnosis is missing or wrong."),
    "MA66": _("The main procedure code is missing or wrong."),
    "MA120": _("The lab's certificate number (CLIA number) is missing or wrong."),
    "MA130": _(
        "The claim has missing or wrong information, so it could not be processed or appealed. "
        "The provider needs to send a new, corrected claim."
    ),
    "N1": _("You may appeal this decision in writing within the time limit. Your plan papers explain how."),
    "N4": _("The earlier insurer's explanation of benefits (EOB) is missing, incomplete or wrong."),
    "N10": _("The amount was changed after a review by a medical or dental expert."),
    "N19": _("This procedure is a minor part of the main procedure, so it is not paid separately."),
    "N20": _("This service is not paid when it is done with another service on the same day."),
    "N22": _("The insurer changed the procedure code to one that better describes the care."),
    "N30": _("The patient is not eligible for this service."),
    "N56": _("The procedure code billed is not right for the service or the date of service."),
    "N58": _("The patient's share amount is missing or wrong."),
    "N95": _("This type of provider or specialty may not bill this service."),
    "N104": _("This claim belongs to another processing area. The provider needs to send it to the right one."),
    "N115": _("This decision is based on a local coverage rule. You can ask the insurer for a copy."),
    "N122": _("An add-on code cannot be billed by itself."),
    "N130": _("Check your plan's benefit papers for the limits on this service."),
    "N174": _("This is not covered, but your share is limited to the amounts marked as patient responsibility."),
    "N179": _("The insurer asked you for more information. It will look at the charges again once it gets it."),
    "N180": _("This item or service does not meet the rules for the category it was billed under."),
    "N211": _("This decision cannot be appealed."),
    "N255": _("The billing provider's specialty code (taxonomy code) is missing or wrong."),
    "N257": _("The billing provider's main ID is missing or wrong."),
    "N264": _("The ordering provider's name is missing or wrong."),
    "N265": _("The ordering provider's main ID is missing or wrong."),
    "N286": _("The referring provider's main ID is missing or wrong."),
    "N290": _("The ID of the provider who gave the care is missing or wrong."),
    "N301": _("The procedure date is missing or wrong."),
    "N329": _("The patient's date of birth is missing or wrong."),
    "N350": _("A description is needed for a general 'unlisted' code, and it is missing or wrong."),
    "N362": _("The number of days or units is more than the insurer accepts."),
    "N365": _("This code is for reporting only and is not paid."),
    "N381": _("The provider's contract with the insurer sets the limits and payment for these charges."),
    "N386": _("This decision is based on a national coverage rule. You can ask the insurer for a copy."),
    "N390": _("This service or report cannot be billed separately."),
    "N418": _("The claim was sent to the wrong place. It must follow the insurer's instructions for sending claims."),
    "N425": _("This service is excluded by law."),
    "N428": _("This is not covered when it is done in this place of service."),
    "N432": _("The amount was changed after a recovery audit, a check for overpayments."),
    "N448": _("This drug, service or supply is not on the fee schedule or in the contract."),
    "N479": _("The other insurer's explanation of benefits (EOB) is missing."),
    "N517": _("A new claim with the requested information must be sent."),
    "N519": _("The combination of modifiers, the short codes that add detail, is not valid."),
    "N522": _("This is a copy of a claim already processed, or about to be processed, by another plan."),
    "N525": _("These services are not covered during the follow-up period of another service."),
    "N575": _("The ordering or referring provider's name does not match the insurer's records."),
    "N620": _("This procedure code is for quality reporting only."),
    "N640": _("This is more often than allowed in this period."),
    "N657": _("This should be billed with the right code for these services."),
    "N674": _("This is not covered unless a required earlier service was done first."),
    "N702": _("This decision is based on a review of earlier claims for the same or similar services."),
    "N704": _("This decision cannot be appealed, but a corrected claim can be sent if needed."),
}
