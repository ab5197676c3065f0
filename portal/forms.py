"""The portal's own forms (the features' forms live in their apps)."""

from __future__ import annotations

from django import forms
from django.conf import settings


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
