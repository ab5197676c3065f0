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
