"""Property-based fuzzing of every sandbox operation against its own OpenAPI document.

Generated inputs are mixed with real seeded ids (alice's person_id, claim numbers, receipts) so
that success paths are exercised too, not only the 400/403/404 answers to random UUIDs.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from sandbox.models import Claim, Denial, Receipt

pytestmark = pytest.mark.slow

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def api_schema(demo):
    schema = schemathesis.openapi.from_url(f"{demo.api_url}/openapi.json")
    real = {
        "person_id": [demo.alice, demo.bob],
        "business_entity_id": [demo.acme],
        "employer_id": [demo.acme],
        "claim_number": list(Claim.objects.filter(person__id=demo.alice).values_list("claim_number", flat=True)[:5]),
        "receipt_id": list(Receipt.objects.filter(person__id=demo.alice).values_list("receipt_id", flat=True)[:3]),
        "external_id": list(Receipt.objects.filter(person__id=demo.alice).values_list("external_id", flat=True)[:3]),
        "denial_id": [str(d) for d in Denial.objects.values_list("denial_id", flat=True)[:3]],
    }

    def realistic(values):
        if not values:
            return st.just(values)
        keys = [k for k in values if k in real]
        if not keys:
            return st.just(values)
        replaced = st.fixed_dictionaries({k: st.sampled_from(real[k]) for k in keys}).map(
            lambda chosen: {**values, **chosen}
        )
        return st.one_of(st.just(values), replaced)

    @schema.hook
    def flatmap_query(ctx, query):
        return realistic(query)

    @schema.hook
    def flatmap_path_parameters(ctx, path_parameters):
        return realistic(path_parameters)

    schema.tokens = {user: demo.token(user) for user in ("alice", "hana")}  # type: ignore[attr-defined]
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_document(case, api_schema):
    user = "hana" if case.method == "PATCH" or (case.query or {}).get("business_entity_id") else "alice"
    token = api_schema.tokens[user]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, timeout=30)
