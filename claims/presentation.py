"""Claim statuses in words members understand (never enum names), with a tone for the badge."""

from __future__ import annotations

from dataclasses import dataclass

from portal.gateway.models import ClaimStatus, ReceiptStatus


@dataclass(frozen=True)
class Label:
    text: str
    tone: str  # ok | danger | action | info | muted


CLAIM_STATUS: dict[ClaimStatus, Label] = {
    ClaimStatus.PENDING_RECEIPT: Label("Waiting for your receipt", "action"),
    ClaimStatus.PENDING_REIMBURSEMENT: Label("Approved, payment pending", "info"),
    ClaimStatus.SCHEDULED_REIMBURSEMENT: Label("Payment scheduled", "info"),
    ClaimStatus.PAID: Label("Paid", "ok"),
    ClaimStatus.DENIED: Label("Denied", "danger"),
    ClaimStatus.DENIED_COLLECTING_REPAYMENT: Label("Denied, repayment due", "danger"),
    ClaimStatus.HOLD: Label("On hold for review", "action"),
    ClaimStatus.FREEZE: Label("On hold (account frozen)", "muted"),
    ClaimStatus.BANKING_FAILED: Label("Payment failed", "danger"),
    ClaimStatus.UNSPECIFIED: Label("Being processed", "muted"),
}

RECEIPT_STATUS: dict[ReceiptStatus, Label] = {
    ReceiptStatus.REQUIRED: Label("Receipt needed", "action"),
    ReceiptStatus.RECEIVED: Label("Receipt received, under review", "info"),
    ReceiptStatus.OVERDUE: Label("Receipt overdue", "danger"),
    ReceiptStatus.NOT_NEEDED: Label("No receipt needed", "muted"),
    ReceiptStatus.AVAILABLE: Label("Receipt on file", "ok"),
    ReceiptStatus.NEW_NEEDED: Label("A new receipt is needed", "action"),
    ReceiptStatus.RE_UPLOADED: Label("New receipt received", "info"),
    ReceiptStatus.PENDING: Label("Receipt being processed", "info"),
    ReceiptStatus.UNSPECIFIED: Label("Receipt status not known yet", "muted"),
}


def claim_status_label(status: ClaimStatus) -> Label:
    return CLAIM_STATUS.get(status, Label("Being processed", "muted"))


def receipt_status_label(status: ReceiptStatus) -> Label:
    return RECEIPT_STATUS.get(status, Label("Receipt status not known yet", "muted"))


CLAIM_STATUS_HELP: dict[ClaimStatus, str] = {
    ClaimStatus.PENDING_RECEIPT: "We need a receipt before this claim can be paid.",
    ClaimStatus.PENDING_REIMBURSEMENT: "Your receipt was accepted. The payment will be scheduled soon.",
    ClaimStatus.SCHEDULED_REIMBURSEMENT: "The payment is scheduled. It usually arrives in 1 to 3 business days.",
    ClaimStatus.PAID: "This claim has been paid.",
    ClaimStatus.DENIED: "Some or all of this claim was not approved. The reasons and what you can do are below.",
    ClaimStatus.DENIED_COLLECTING_REPAYMENT: (
        "This card purchase was not approved, so the amount must be repaid to your account. "
        "Uploading a valid receipt can cancel the repayment."
    ),
    ClaimStatus.HOLD: "This claim is on hold while it is reviewed. Answer any request for information below.",
    ClaimStatus.FREEZE: "Your account is frozen, so this claim is on hold. Contact your HR administrator.",
    ClaimStatus.BANKING_FAILED: (
        "We tried to pay this claim but the bank transfer failed. Check your direct deposit details."
    ),
    ClaimStatus.UNSPECIFIED: "This claim was just received and is being set up.",
}


def claim_status_help(status: ClaimStatus) -> str:
    return CLAIM_STATUS_HELP.get(status, "This claim is being processed.")
