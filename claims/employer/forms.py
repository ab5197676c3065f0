"""Forms of the HR administrator pages (the claim filters live with the member's, in claims.forms)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.forms import MoneyField
from claims.models import PendingDenialUpdate
from claims.situation import money


class DenialUpdateForm(forms.Form):
    """The five reallocation fields, named as the API names them."""

    reallocate_to_pending_amount = MoneyField(label=gettext_lazy("To pending reimbursement"))
    reallocate_to_paid_amount = MoneyField(label=gettext_lazy("To paid"))
    reallocate_to_deductible_applied_amount = MoneyField(label=gettext_lazy("Applied to the deductible"))
    reallocate_to_coinsurance_applied_amount = MoneyField(label=gettext_lazy("Applied to coinsurance"))
    reallocate_to_copay_applied_amount = MoneyField(label=gettext_lazy("Applied to the copay"))

    def __init__(self, *args: Any, remaining: Decimal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.remaining = remaining

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        amounts = {name: data.get(name) or Decimal("0.00") for name in PendingDenialUpdate.FIELDS}
        total = sum(amounts.values(), Decimal("0.00"))
        if total <= 0:
            raise forms.ValidationError(_("Enter at least one amount above zero."))
        if total > self.remaining:
            raise forms.ValidationError(
                _("The amounts add up to %(total)s, more than the %(remaining)s that is still denied.")
                % {"total": money(total), "remaining": money(self.remaining)}
            )
        data["amounts"] = amounts
        return data
