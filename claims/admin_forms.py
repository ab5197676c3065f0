"""Forms of the HR administrator pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from claims.admin_services import EmployerFilter
from claims.models import PendingDenialUpdate
from claims.services import StatusGroup

MONEY_ERRORS = {
    "invalid": "Enter an amount in dollars and cents, like 75.00.",
    "max_decimal_places": "Use at most two decimals (cents), like 75.50.",
    "max_digits": "That amount is too large.",
    "max_whole_digits": "That amount is too large.",
    "min_value": "Enter an amount of zero or more.",
}


def _money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=14, decimal_places=2, min_value=Decimal("0.00"),
        error_messages=MONEY_ERRORS, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )  # fmt: skip


class EmployerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All claims"), *[(g.value, g.label) for g in StatusGroup]]
    )
    plan_year = forms.ChoiceField(label="Plan year", required=False)
    q = forms.CharField(label="Search claim, provider or payee", required=False, max_length=100)
    amount_min = _money("Amount from")
    amount_max = _money("Amount to")
    served_from = forms.DateField(label="Served from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    served_to = forms.DateField(label="Served to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, plan_years: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All plan years"), *[(y, y) for y in plan_years]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", "The upper amount must be at least the lower one.")
        start, end = data.get("served_from"), data.get("served_to")
        if start and end and start > end:
            self.add_error("served_to", "The end date must be on or after the start date.")
        return data

    def to_filter(self) -> EmployerFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return EmployerFilter(
            group=StatusGroup(data["status"]) if data.get("status") else None,
            plan_year=data.get("plan_year") or "",
            query=(data.get("q") or "").strip(),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            served_from=data.get("served_from"),
            served_to=data.get("served_to"),
        )

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


class DenialUpdateForm(forms.Form):
    """The five reallocation fields, named as the API names them."""

    reallocate_to_pending_amount = _money("To pending reimbursement")
    reallocate_to_paid_amount = _money("To paid")
    reallocate_to_deductible_applied_amount = _money("Applied to the deductible")
    reallocate_to_coinsurance_applied_amount = _money("Applied to coinsurance")
    reallocate_to_copay_applied_amount = _money("Applied to the copay")

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
            raise forms.ValidationError("Enter at least one amount above zero.")
        if total > self.remaining:
            raise forms.ValidationError(
                f"The amounts add up to ${total:,.2f}, more than the ${self.remaining:,.2f} that is still denied."
            )
        data["amounts"] = amounts
        return data
