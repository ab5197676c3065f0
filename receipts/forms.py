"""The receipt upload form: one or several files, checked by content and size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from receipts.filetypes import ACCEPT_ATTRIBUTE, MAX_FILES, FileType, clean_file_name, problem_with, safe_file_name
from receipts.pdfcheck import CheckBudget


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


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: FileType
    data: bytes


class ReceiptUploadForm(forms.Form):
    receipt_files = MultipleFileField(
        label="Receipt files",
        required=True,
        error_messages={"required": "Choose at least one receipt file to upload."},
    )
    upload_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_receipt_files(self) -> list[CheckedFile]:
        uploaded: list[UploadedFile] = self.cleaned_data["receipt_files"]
        if not uploaded:
            raise forms.ValidationError("Choose at least one receipt file to upload.")
        if len(uploaded) > MAX_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_FILES} files at a time.")
        checked, problems = [], []
        budget = CheckBudget()  # what checking all of this request's files may cost together
        for item in uploaded:
            name = clean_file_name(item.name or "receipt")
            if item.size is not None and item.size > 10 * 1024 * 1024:
                problems.append(f"“{name}” is {item.size / (1024 * 1024):.1f} MB; the limit is 10 MB per file.")
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
