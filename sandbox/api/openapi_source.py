"""Builds the sandbox's OpenAPI 3.1 document (committed as openapi.json; a test keeps them equal).

Regenerate with `python manage.py sandbox_openapi`.
"""

from __future__ import annotations

from typing import Any

MONEY_NUMBER = {"type": "number", "description": "Money: a JSON number with two decimals"}
DATETIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
STR_OR_NULL = {"type": ["string", "null"]}
UUID = {"type": "string", "format": "uuid"}

CLAIM_STATUS = [
    "PENDING_RECEIPT_STATUS",
    "PENDING_REIMBURSEMENT_STATUS",
    "SCHEDULED_REIMBURSEMENT_STATUS",
    "PAID_STATUS",
    "DENIED_STATUS",
    "DENIED_COLLECTING_REPAYMENT_STATUS",
    "HOLD_STATUS",
    "FREEZE_STATUS",
    "BANKING_FAILED_STATUS",
    "UNSPECIFIED",
]
RECEIPT_STATUS = [
    "RECEIPT_REQUIRED",
    "RECEIPT_RECEIVED",
    "RECEIPT_OVERDUE",
    "RECEIPT_NOT_NEEDED",
    "RECEIPT_AVAILABLE",
    "RECEIPT_NEW_NEEDED",
    "RECEIPT_RE_UPLOADED",
    "RECEIPT_PENDING",
    "UNSPECIFIED",
]
MONEY_STRING = {"type": "string", "pattern": r"^\d{1,12}\.\d{2}$"}


def _obj(required: list[str], props: dict[str, Any], *, additional: bool = False) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props, "additionalProperties": additional}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(item: str) -> dict[str, Any]:
    return _obj(
        ["index", "page_size", "has_next", "items"],
        {
            "index": {"type": "integer", "minimum": 0},
            "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
            "has_next": {"type": "boolean"},
            "items": {"type": "array", "items": _ref(item)},
        },
    )


SCHEMAS: dict[str, Any] = {
    "Problem": _obj(
        ["type", "title", "status", "detail", "instance"],
        {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
        },
    ),
    "DenialReason": _obj(
        [
            "denial_code",
            "reason",
            "denial_date_time",
            "is_upload_receipt_allowed",
            "explanation",
            "action_required",
        ],
        {
            "denial_code": {"type": "string"},
            "reason": {"type": "string"},
            "denial_date_time": {"type": "string", "format": "date-time"},
            "is_upload_receipt_allowed": {"type": "boolean"},
            "explanation": {"type": "string"},
            "action_required": {"type": "string"},
        },
    ),
    "Rmi": _obj(
        ["action_date", "reason", "code", "description", "status", "note"],
        {
            "action_date": {"type": "string", "format": "date-time"},
            "reason": {"type": "string"},
            "code": {"type": "string"},
            "description": {"type": "string"},
            "status": {"type": "string"},
            "note": {"type": "string"},
        },
    ),
    "Claim": _obj(
        [
            "claim_number",
            "claim_amount",
            "paid_amount",
            "submitted_amount",
            "denied_amount",
            "applied_copay_amount",
            "applied_coinsurance_amount",
            "applied_deductible_amount",
            "claim_status",
            "is_ptp",
            "receipt_status",
            "claim_source",
            "expense_id",
        ],
        {
            "claim_number": {"type": "string"},
            "claim_amount": MONEY_NUMBER,
            "claim_status": {"type": "string", "enum": CLAIM_STATUS},
            "submission_date": DATETIME_OR_NULL,
            "start_date_of_service": DATETIME_OR_NULL,
            "end_date_of_service": DATETIME_OR_NULL,
            "processed_date": DATETIME_OR_NULL,
            "provider_name": STR_OR_NULL,
            "paid_amount": MONEY_NUMBER,
            "submitted_amount": MONEY_NUMBER,
            "is_ptp": {"type": "boolean"},
            "denial_reasons": {"type": ["array", "null"], "items": _ref("DenialReason")},
            "requests_for_more_information": {"type": ["array", "null"], "items": _ref("Rmi")},
            "receipt_status": {"type": "string", "enum": RECEIPT_STATUS},
            "denied_amount": MONEY_NUMBER,
            "applied_copay_amount": MONEY_NUMBER,
            "applied_coinsurance_amount": MONEY_NUMBER,
            "applied_deductible_amount": MONEY_NUMBER,
            "claim_source": {"type": "string", "enum": ["CONSUMER", "ADMINISTRATOR", "CARD", "PROVIDER"]},
            "scheduled_for_reimbursement_date": DATETIME_OR_NULL,
            "plan_year_name": STR_OR_NULL,
            "plan_year_start_date": DATETIME_OR_NULL,
            "plan_name": STR_OR_NULL,
            "final_filing_date": DATETIME_OR_NULL,
            "expense_id": UUID,
            "receipt_status_dt": DATETIME_OR_NULL,
            "category": STR_OR_NULL,
            "expense_type": STR_OR_NULL,
            "issue_response": STR_OR_NULL,
            "offering_id": {"type": ["integer", "null"]},
            "payee": STR_OR_NULL,
            "plan_id": {"type": ["string", "null"], "format": "uuid"},
        },
    ),
    "ClaimPage": _page_of("Claim"),
    "Denial": _obj(
        ["denial_id", "denial_code", "denial_reason", "denied_amount", "status", "action_date"],
        {
            "denial_id": UUID,
            "denial_code": {"type": "string"},
            "denial_reason": {"type": "string"},
            "denied_amount": MONEY_STRING,
            "status": {"type": "string", "enum": ["DENIED", "PARTIALLY_RESOLVED", "RESOLVED"]},
            "action_date": {"type": "string", "format": "date-time"},
        },
    ),
    "DenialHistory": _obj(
        ["claim_number", "denials"],
        {"claim_number": {"type": "string"}, "denials": {"type": "array", "items": _ref("Denial")}},
    ),
    "DenialUpdate": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            name: MONEY_STRING
            for name in (
                "reallocate_to_pending_amount",
                "reallocate_to_paid_amount",
                "reallocate_to_deductible_applied_amount",
                "reallocate_to_coinsurance_applied_amount",
                "reallocate_to_copay_applied_amount",
            )
        },
    },
    "DenialUpdateResult": _obj(
        ["claim_number", "denial_id", "repayment_id", "claim_status", "denial_updated_timestamp", "message"],
        {
            "claim_number": {"type": "string"},
            "denial_id": UUID,
            "repayment_id": {"type": ["string", "null"], "format": "uuid"},
            "claim_status": {"type": "string"},
            "denial_updated_timestamp": {"type": "string", "format": "date-time"},
            "message": {"type": "string"},
        },
    ),
    "Receipt": _obj(
        [
            "receipt_id",
            "file_name",
            "file_size",
            "content_type",
            "upload_date",
            "claim_numbers",
            "download_url",
        ],
        {
            "receipt_id": {"type": "string"},
            "file_name": {"type": "string"},
            "file_size": {"type": "integer", "minimum": 0},
            "content_type": {"type": "string"},
            "upload_date": {"type": "string", "format": "date-time"},
            "tracked_expense_number": STR_OR_NULL,
            "claim_numbers": {"type": "array", "items": {"type": "string"}},
            "download_url": {"type": "string"},
            "external_id": {"type": "string"},
        },
    ),
    "ReceiptPage": _page_of("Receipt"),
    "ReceiptUpload": _obj(
        ["file_name", "file_content_base64", "mime_type"],
        {
            "file_name": {"type": "string", "minLength": 1, "maxLength": 255},
            "file_content_base64": {"type": "string", "contentEncoding": "base64"},
            "mime_type": {"type": "string"},
            "content_length": {"type": "integer", "minimum": 0},
        },
    ),
    "Payee": _obj(
        ["payee_id", "name"],
        {
            "payee_id": {"type": "string"},
            "payee_tin": STR_OR_NULL,
            "name": {"type": "string"},
            "account_number": STR_OR_NULL,
            **{f"address_line{i}": STR_OR_NULL for i in range(1, 5)},
            "city": STR_OR_NULL,
            "state": STR_OR_NULL,
            "postal_code": STR_OR_NULL,
            "country": STR_OR_NULL,
        },
    ),
    "PayeePage": _page_of("Payee"),
    "ExpenseCategories": _obj(
        ["items"],
        {
            "items": {
                "type": "array",
                "items": _obj(
                    ["category_name", "category_types"],
                    {
                        "category_name": {"type": "string"},
                        "category_types": {"type": "array", "items": {"type": "string"}},
                    },
                ),
            }
        },
    ),
}

ERROR_TEXT = {
    "400": "Bad request: a parameter or the body is missing or invalid.",
    "401": "Missing, invalid or expired bearer token.",
    "403": "The token lacks the scope or the right to act for this person or business.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "409": "A request with the same Idempotency-Key is still being processed.",
    "415": "The file type is not accepted.",
    "422": "Same Idempotency-Key with a different body, or a reallocation above what remains denied.",
    "429": "Rate limited (sandbox fault injection).",
    "500": "Server error (sandbox fault injection).",
    "503": "Service unavailable (sandbox fault injection).",
}


def _problem(code: str) -> dict[str, Any]:
    return {
        "description": ERROR_TEXT[code],
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _json(schema: str, description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _q(name: str, schema: dict[str, Any], *, required: bool = False, description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


PAGING = [
    _q("index", {"type": "integer", "minimum": 0, "default": 0}, description="0-based page number"),
    _q("page_size", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
]
PERSON_REQUIRED = _q("person_id", UUID, required=True, description="The participant's UUID")


def _op(op_id: str, summary: str, ok: dict[str, Any], errors: list[str], **extra: Any) -> dict[str, Any]:
    responses = {"200": ok}
    for code in sorted(set(errors) | {"401", "405", "429", "500", "503"}):
        responses[code] = _problem(code)
    return {
        "operationId": op_id,
        "summary": summary,
        "responses": responses,
        "security": [{"bearerAuth": []}],
        **extra,
    }


def build() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/v1/claims": {
            "get": _op(
                "listClaims",
                "List claims of a participant or of a business entity (endpoint 1)",
                _json("ClaimPage"),
                ["400", "403"],
                parameters=[
                    _q("person_id", UUID, description="Exactly one of person_id and business_entity_id"),
                    _q("business_entity_id", UUID),
                    *PAGING,
                ],
            )
        },
        "/v1/claims/{claim_number}": {
            "get": _op(
                "getClaim",
                "Get one claim (endpoint 2)",
                _json("Claim"),
                ["400", "403", "404"],
                parameters=[_path("claim_number"), _q("person_id", UUID, description="Scope the lookup")],
            )
        },
        "/v1/claims/{claim_number}/denials": {
            "get": _op(
                "getDenials",
                "Denial history of a claim (endpoint 3)",
                _json("DenialHistory"),
                ["403", "404"],
                parameters=[_path("claim_number")],
            )
        },
        "/v1/claims/{claim_number}/denials/{denial_id}": {
            "patch": _op(
                "updateDenial",
                "Reallocate denied amounts (endpoint 4; admin token with denials:write)",
                _json("DenialUpdateResult"),
                ["400", "403", "404", "409", "422"],
                parameters=[
                    _path("claim_number"),
                    _path("denial_id"),
                    {"name": "Idempotency-Key", "in": "header", "required": True, "schema": UUID},
                ],
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("DenialUpdate")}},
                },
            )
        },
        "/v1/claims/{claim_number}/receipts": {
            "get": _op(
                "listClaimReceipts",
                "Receipts linked to a claim (endpoint 5)",
                _json("ReceiptPage"),
                ["400", "403", "404"],
                parameters=[
                    _path("claim_number"),
                    PERSON_REQUIRED,
                    *PAGING,
                    _q("number_of_months_back", {"type": "integer", "minimum": 1, "maximum": 120}),
                ],
            )
        },
        "/v1/claims/receipts/{receipt_id}": {
            "get": _op(
                "getReceipt",
                "One receipt (endpoint 6)",
                _json("Receipt"),
                ["400", "403", "404"],
                parameters=[_path("receipt_id"), PERSON_REQUIRED],
            )
        },
        "/v1/claims/receipts/upload-file-to-cloud": {
            "post": _op(
                "uploadReceipt",
                "Upload a receipt (endpoint 7)",
                _json("Receipt"),
                ["400", "403", "404", "415"],
                parameters=[
                    PERSON_REQUIRED,
                    _q("claim_number", {"type": "string"}, description="Extension: link to this claim"),
                ],
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ReceiptUpload")}},
                },
            )
        },
        "/v1/claims/receipts/download-file-from-cloud/{external_id}": {
            "get": _op(
                "downloadReceipt",
                "Download a receipt's file (endpoint 8)",
                {
                    "description": "The file's bytes, with its own Content-Type",
                    "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                },
                ["400", "403", "404"],
                parameters=[_path("external_id"), PERSON_REQUIRED],
            )
        },
        "/v1/claims/payees": {
            "get": _op(
                "listPayees",
                "Payees of a participant (endpoint 9)",
                _json("PayeePage"),
                ["400", "403"],
                parameters=[PERSON_REQUIRED, *PAGING],
            )
        },
        "/v1/claims/expense-categories-and-types": {
            "get": _op(
                "listExpenseCategories",
                "Eligible expense categories and types for an account type (endpoint 10)",
                _json("ExpenseCategories"),
                ["400", "403", "404"],
                parameters=[
                    PERSON_REQUIRED,
                    _q(
                        "account_type",
                        {"type": "string", "enum": ["FSA", "HSA", "HRA", "DCFSA", "LPFSA"]},
                        required=True,
                    ),
                    _q("employer_id", UUID, required=True),
                ],
            )
        },
        "/claims/health/liveness": {
            "get": {
                "operationId": "getLiveness",
                "summary": "Liveness (no auth)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "Up",
                        "content": {
                            "application/json": {
                                "schema": _obj(["status"], {"status": {"type": "string", "const": "UP"}})
                            }
                        },
                    },
                    **{code: _problem(code) for code in ("405", "429", "500", "503")},
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Claims API v1 (sandbox)",
            "version": "1.0.0",
            "description": (
                "The embedded sandbox of the Claims API v1 (see shared/specs/claims-api-v1.md). "
                "Errors are application/problem+json. Sandbox only: the X-Sandbox-Fault header "
                "injects latency, 429/5xx answers or dropped connections."
            ),
        },
        "servers": [{"url": "/sandbox/api"}],
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": SCHEMAS,
        },
        "paths": paths,
    }
