"""The member's insurance card, and the question to the insurer about one claim."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insurance.models import Coverage, Payer
from x12.values import DELIMITERS, npi_is_valid

RESERVED = re.compile(f"[{re.escape(DELIMITERS)}]")
DEPENDENT_SLOTS = 4


def _clean_text(value: str, label: str) -> str:
    value = " ".join(value.split())
    if RESERVED.search(value):
        raise forms.ValidationError(
            _("%(label)s cannot contain ~ * : ^ or |; insurers refuse them.") % {"label": label}
        )
    return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PayerSelect(forms.Select):
    """Insurers are listed by their own names, which are English: each option is marked so, for
    Spanish pages (the "choose" option is the portal's own text)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if str(option["value"]):
            option["attrs"]["lang"] = "en"
        return option


class CardForm(forms.Form):
    coverage = forms.ChoiceField(label=gettext_lazy("Coverage"), choices=Coverage.choices)
    payer = forms.ModelChoiceField(
        label=gettext_lazy("Insurer"),
        queryset=Payer.objects.filter(active=True),
        empty_label=gettext_lazy("Choose your insurer"),
        widget=PayerSelect,
    )
    member_id = forms.CharField(
        label=gettext_lazy("Member ID"), max_length=80, help_text=gettext_lazy("As printed on your card.")
    )
    group_number = forms.CharField(label=gettext_lazy("Group number"), max_length=50, required=False)
    first_name = forms.CharField(label=gettext_lazy("First name on the card"), max_length=35)
    last_name = forms.CharField(label=gettext_lazy("Last name on the card"), max_length=60)
    date_of_birth = forms.DateField(label=gettext_lazy("Date of birth"), widget=DateInput())
    gender = forms.ChoiceField(
        label=gettext_lazy("Sex on the card"),
        required=False,
        choices=[
            ("", gettext_lazy("Not given")),
            ("F", gettext_lazy("Female")),
            ("M", gettext_lazy("Male")),
            ("U", gettext_lazy("Unknown")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for i in range(DEPENDENT_SLOTS):
            number = i + 1
            self.fields[f"dep{i}_first_name"] = forms.CharField(
                label=_("Dependent %(n)s: first name") % {"n": number}, max_length=35, required=False
            )
            self.fields[f"dep{i}_last_name"] = forms.CharField(
                label=_("Dependent %(n)s: last name") % {"n": number}, max_length=60, required=False
            )
            self.fields[f"dep{i}_date_of_birth"] = forms.DateField(
                label=_("Dependent %(n)s: date of birth") % {"n": number}, required=False, widget=DateInput()
            )

    def dependent_rows(self) -> dict[str, list[list[forms.BoundField]]]:
        """The dependents' rows: those filled in (or in error) and one empty row shown, the rest
        folded away under "More people on this card"."""
        rows = [
            [self[f"dep{i}_first_name"], self[f"dep{i}_last_name"], self[f"dep{i}_date_of_birth"]]
            for i in range(DEPENDENT_SLOTS)
        ]
        used = [i for i, row in enumerate(rows) if any(f.value() or f.errors for f in row)]
        cut = (max(used) + 2) if used else 1
        return {"shown": rows[:cut], "more": rows[cut:]}

    def clean_member_id(self) -> str:
        value = _clean_text(self.cleaned_data["member_id"], _("The member ID")).replace(" ", "")
        if len(value) < 2:
            raise forms.ValidationError(_("Enter the member ID as printed on your card."))
        return value

    def clean_group_number(self) -> str:
        return _clean_text(self.cleaned_data["group_number"], _("The group number"))

    def clean_first_name(self) -> str:
        return _clean_text(self.cleaned_data["first_name"], _("The first name"))

    def clean_last_name(self) -> str:
        return _clean_text(self.cleaned_data["last_name"], _("The last name"))

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate() or born.year < 1900:
            raise forms.ValidationError(_("Enter a real date of birth."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        payer, coverage = data.get("payer"), data.get("coverage")
        if payer is not None and coverage and coverage not in payer.coverages:
            self.add_error("payer", _("%(payer)s does not offer this coverage on our list.") % {"payer": payer.name})
        for i in range(DEPENDENT_SLOTS):
            first, last = data.get(f"dep{i}_first_name", ""), data.get(f"dep{i}_last_name", "")
            born = data.get(f"dep{i}_date_of_birth")
            if not (first or last or born):
                continue
            for key, value, label in (
                (f"dep{i}_first_name", first, _("the first name")),
                (f"dep{i}_last_name", last, _("the last name")),
            ):
                if not value:
                    self.add_error(key, _("Enter %(what)s of this dependent, or clear the row.") % {"what": label})
                elif RESERVED.search(value):
                    self.add_error(key, _("Names cannot contain ~ * : ^ or |; insurers refuse them."))
            if born and born > timezone.localdate():
                self.add_error(f"dep{i}_date_of_birth", _("Enter a real date of birth."))
        return data

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        dependents = []
        for i in range(DEPENDENT_SLOTS):
            first, last = data.get(f"dep{i}_first_name", ""), data.get(f"dep{i}_last_name", "")
            if first and last:
                born = data.get(f"dep{i}_date_of_birth")
                dependents.append(
                    {"first_name": " ".join(first.split()), "last_name": " ".join(last.split()), "date_of_birth": born}
                )
        return {
            "member_id": data["member_id"],
            "group_number": data["group_number"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "date_of_birth": data["date_of_birth"],
            "gender": data["gender"],
            "dependents": dependents,
        }

    @staticmethod
    def initial_from(card_coverage: str, payer: Payer, details: dict[str, Any]) -> dict[str, Any]:
        initial = {
            "coverage": card_coverage,
            "payer": payer.pk,
            **{k: details.get(k, "") for k in ("member_id", "group_number", "first_name", "last_name", "gender")},
            "date_of_birth": details.get("date_of_birth"),
        }
        for i, dep in enumerate(details.get("dependents", [])[:DEPENDENT_SLOTS]):
            initial[f"dep{i}_first_name"] = dep.get("first_name", "")
            initial[f"dep{i}_last_name"] = dep.get("last_name", "")
            initial[f"dep{i}_date_of_birth"] = dep.get("date_of_birth")
        return initial


class MoneyField(forms.CharField):
    """Dollars as typed by people: "$1,234.50", "1234.5", "70"."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        cleaned = text.replace("$", "").replace(",", "").strip()
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount in dollars, like 70.00.")) from None
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Enter an amount in dollars and cents, more than zero."))
        if amount >= Decimal("10000000"):
            raise forms.ValidationError(_("That amount is too large for a claim."))
        return amount.quantize(Decimal("0.01"))


class CheckForm(forms.Form):
    """Who the care was for and what the provider billed; prefilled from the claim and from the
    documents on file, the member supplies what is missing."""

    patient = forms.ChoiceField(label=gettext_lazy("Who received the care"))
    service_date = forms.DateField(label=gettext_lazy("Date of service"), widget=DateInput())
    billed_amount = MoneyField(
        label=gettext_lazy("Amount the provider billed"),
        required=False,
        help_text=gettext_lazy(
            "The total on the provider's bill, before insurance. Leave it empty if you do not know it."
        ),
    )
    provider_name = forms.CharField(label=gettext_lazy("Provider"), max_length=60)
    provider_npi = forms.CharField(
        label=gettext_lazy("Provider's NPI"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("The provider's 10-digit National Provider Identifier, printed on most bills."),
    )
    provider_tax_id = forms.CharField(
        label=gettext_lazy("Provider's tax ID"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("9 digits, like 12-3456789, if the bill shows it."),
    )

    def __init__(self, *args: Any, patients: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        patient = self.fields["patient"]
        assert isinstance(patient, forms.ChoiceField)
        patient.choices = patients

    def clean_service_date(self) -> date:
        day = self.cleaned_data["service_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of service cannot be in the future."))
        return day

    def clean_provider_name(self) -> str:
        return _clean_text(self.cleaned_data["provider_name"], _("The provider's name"))

    def clean_provider_npi(self) -> str:
        npi = self.cleaned_data["provider_npi"].replace(" ", "").replace("-", "")
        if npi and not npi_is_valid(npi):
            raise forms.ValidationError(
                _("An NPI is 10 digits and this one's check digit is wrong: check it on the bill.")
            )
        return npi

    def clean_provider_tax_id(self) -> str:
        tax_id = self.cleaned_data["provider_tax_id"].replace(" ", "").replace("-", "")
        if tax_id and not re.fullmatch(r"\d{9}", tax_id):
            raise forms.ValidationError(_("A tax ID is 9 digits, like 12-3456789."))
        return tax_id
