"""Forms that parse the claims list's query string (bad values fall back, never error)."""

from __future__ import annotations

from typing import Any

from django import forms

from claims.services import ClaimFilter, StatusGroup


class ClaimFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All claims"), *[(g.value, g.label) for g in StatusGroup]],
    )
    plan_year = forms.ChoiceField(label="Plan year", required=False)
    q = forms.CharField(label="Search by claim number or provider", required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, plan_years: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan_year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "All plan years"), *[(y, y) for y in plan_years]]

    def to_filter(self) -> ClaimFilter:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or ""
        return ClaimFilter(
            group=StatusGroup(status) if status else None,
            plan_year=data.get("plan_year") or "",
            query=(data.get("q") or "").strip(),
        )

    def page_number(self) -> int:
        if self.is_valid():
            return self.cleaned_data.get("page") or 1
        return 1
