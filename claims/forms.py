"""Forms of the claim pages: the claim filters (member and employer) and the receipt upload."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims.filters import ClaimFilter
from claims.situation import Audience, Need, StatusGroup
from receipts.filetypes import (
    ACCEPT_ATTRIBUTE,
    MAX_BYTES,
    MAX_FILES,
    CheckedFile,
    clean_file_name,
    problem_with,
    safe_file_name,
)
from receipts.pdfcheck import CheckBudget

# "75", "75.5", "1234.56", "1,234.56", "$1,234.56": what people type for dollars (and what the
# resolve form's live total in static/portal/reallocation.js accepts: keep the two the same).
_AMOUNT = re.compile(r"^(?P<sign>-?)\$?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<cents>\.\d*)?$", re.ASCII)

MONEY_ERRORS = {
    "invalid": gettext_lazy("Enter an amount in dollars and cents, like 75.00 or $1,250.00."),
    "max_decimal_places": gettext_lazy("Use at most two decimals (cents), like 75.50."),
    "max_digits": gettext_lazy("That amount is too large."),
    "max_whole_digits": gettext_lazy("That amount is too large."),
    "min_value": gettext_lazy("Enter an amount of zero or more."),
}


class MoneyField(forms.DecimalField):
    """Dollars and cents as people type them: an optional $ and thousands separators in their
    place ("1,000" is a thousand; "1,00" is refused, not read as 100)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", MONEY_ERRORS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(max_digits=14, decimal_places=2, min_value=Decimal("0.00"), **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            text = value.strip()
            if text:
                match = _AMOUNT.match(text)
                if match is None:
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
                # A minus sign is read, so that the field says "zero or more" rather than "not an amount".
                value = match["sign"] + match["number"].replace(",", "") + (match["cents"] or "")
        return super().to_python(value)


class Select(forms.Select):
    """Django's Select, drawn by a template that draws its options in one loop."""

    template_name = "claims/widgets/select.html"
    data_lang = ""  # the language of options that come from the API (the "all" option is ours)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["data_lang"] = self.data_lang
        return context


class ApiSelect(Select):
    """Options named by the Claims API (plan years), shown as sent: marked English."""

    data_lang = "en"


class ClaimFilterForm(forms.Form):
    """The member's claim list filters, from the query string (a bad value falls back to none)."""

    audience = Audience.MEMBER

    status = forms.ChoiceField(label=gettext_lazy("Show"), required=False, widget=Select)
    need = forms.ChoiceField(
        required=False, widget=forms.HiddenInput, choices=[("", ""), *[(n.value, n.value) for n in Need]]
    )
    plan_year = forms.ChoiceField(label=gettext_lazy("Plan year"), required=False, widget=ApiSelect)
    q = forms.CharField(
        label=gettext_lazy("Search by claim number or provider"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, plan_years: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self._choices("status", _("All claims"), [(g.value, g.label(self.audience)) for g in StatusGroup])
        self._choices("plan_year", _("All plan years"), [(year, year) for year in plan_years])

    def _choices(self, name: str, everything: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", everything), *choices]

    def _valid_fields(self) -> dict[str, Any]:
        """The fields that are valid (a bad value drops only its own filter)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def to_filter(self) -> ClaimFilter:
        """The filter the valid fields describe (none while the form is unbound)."""
        data = self._valid_fields()
        return ClaimFilter(
            group=StatusGroup(data["status"]) if data.get("status") else None,
            need=Need(data["need"]) if data.get("need") else None,
            plan_year=data.get("plan_year") or "",
            query=(data.get("q") or "").strip(),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            served_from=data.get("served_from"),
            served_to=data.get("served_to"),
            search_payee=self.audience is Audience.ADMIN,
        )

    def page_number(self) -> int:
        return self._valid_fields().get("page") or 1


class EmployerFilterForm(ClaimFilterForm):
    """The employer's filters: the member's, and amounts and dates of service. Invalid values are
    shown as errors (an administrator reconciling totals must not see unfiltered ones)."""

    audience = Audience.ADMIN

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, widget=Select)
    q = forms.CharField(
        label=gettext_lazy("Search"),
        help_text=gettext_lazy(
            "Claim number, provider, or who was paid. Claims carry no member name: a member's name "
            "matches only the claims that were paid to them, not those paid to a provider."
        ),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "aria-describedby": "q-help"}),
    )
    amount_min = MoneyField(label=gettext_lazy("Amount from"))
    amount_max = MoneyField(label=gettext_lazy("Amount to"))
    served_from = forms.DateField(
        label=gettext_lazy("Served from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    served_to = forms.DateField(
        label=gettext_lazy("Served to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review = forms.ChoiceField(
        label=gettext_lazy("Automated review"),
        required=False,
        widget=Select,
        choices=[
            ("", gettext_lazy("Any")),
            ("waiting", gettext_lazy("Waiting for review")),
            ("approve", gettext_lazy("Recommends approving")),
            ("deny", gettext_lazy("Recommends denying")),
            ("needs_review", gettext_lazy("Needs a person to review")),
            ("request_more_information", gettext_lazy("Asks for more information")),
            ("not_needed", gettext_lazy("Not needed")),
        ],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The upper amount must be at least the lower one."))
        start, end = data.get("served_from"), data.get("served_to")
        if start and end and start > end:
            self.add_error("served_to", _("The end date must be on or after the start date."))
        return data


# --- the receipt upload ------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReceiptUploadForm(forms.Form):
    receipt_files = MultipleFileField(
        label=gettext_lazy("Receipt files"),
        required=True,
        error_messages={"required": gettext_lazy("Choose at least one receipt file to upload.")},
    )
    upload_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_receipt_files(self) -> list[CheckedFile]:
        uploaded: list[UploadedFile] = self.cleaned_data["receipt_files"]
        if not uploaded:
            raise forms.ValidationError(_("Choose at least one receipt file to upload."))
        if len(uploaded) > MAX_FILES:
            raise forms.ValidationError(_("Upload at most %(n)d files at a time.") % {"n": MAX_FILES})
        checked, problems = [], []
        budget = CheckBudget()  # what checking all of this request's files may cost together
        for item in uploaded:
            name = clean_file_name(item.name or "receipt")
            if item.size is not None and item.size > MAX_BYTES:
                problems.append(
                    _("“%(name)s” is %(size)s; the limit is %(limit)d MB per file.")
                    % {"name": name, "size": filesizeformat(item.size), "limit": MAX_BYTES // (1024 * 1024)}
                )
                continue
            data = item.read()
            kind, problem = problem_with(data, name, budget)
            if problem:
                problems.append(problem)
            elif kind is not None:
                checked.append(CheckedFile(name=safe_file_name(name, kind), kind=kind, data=data))
        if problems:
            raise forms.ValidationError(problems)
        return checked
