"""The OpenAPI description says what the API answers: the error codes of every operation with the
standard error body, nulls and blanks where the data has them (datahub/api/schema.py)."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def spec():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, operation


def test_every_operation_documents_its_error_answers_with_the_error_body(spec):
    error = {"$ref": "#/components/schemas/Error"}
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        expected = {"400"}
        if operation.get("security") != [{}] and path != "/api/v1/auth/token/":
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method != "get":
            expected |= {"409", "415"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error, (method, path, code)


def test_the_error_body_has_a_detail_and_fields(spec):
    error = spec["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "fields"}


def test_a_public_operation_does_not_claim_401_and_a_rate_limited_one_documents_429(spec):
    token = spec["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" not in token and "429" in token


def test_the_kinds_list_is_documented_as_a_list(spec):
    schema = spec["paths"]["/api/v1/portal/kinds/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"


def test_a_value_read_through_an_empty_relation_is_nullable(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Asset"]["properties"]["custodian_name"].get("nullable") is True  # source="custodian.name"
    assert schemas["Step"]["properties"]["decided_by"].get("nullable") is True  # default=None
    assert schemas["Asset"]["properties"]["category_name"].get("nullable") is not True  # a required relation


def test_a_read_only_choice_of_a_blank_column_allows_the_empty_string(spec):
    reason = spec["components"]["schemas"]["Occupancy"]["properties"]["post_end_reason"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in reason["oneOf"]


def test_operations_are_grouped_by_their_resource_and_the_exchange_by_itself(spec):
    tags = {tuple(operation["tags"]) for _, _, operation in _operations(spec)}
    assert ("vehicles",) in tags and ("portal",) in tags and ("exchange",) in tags
    assert ("v1",) not in tags and ("api",) not in tags
