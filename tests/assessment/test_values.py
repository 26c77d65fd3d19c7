"""Entering indicator values: every entered indicator checked, nothing written on failure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import services
from assessment.models import IndicatorValue

GOOD = {"T1": "10", "O1": "5", "E1": "100", "Y": "20"}


def test_values_are_recorded_with_evidence(round_, bureau):
    pdf = SimpleUploadedFile("政策文件.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values=GOOD, evidence={"E1": pdf})
    row = IndicatorValue.objects.get(org_unit=round_.a, indicator__code="E1")
    assert row.evidence_name == "政策文件.pdf"
    assert row.evidence.name.startswith("assessment/") and "政策" not in row.evidence.name
    assert IndicatorValue.objects.filter(org_unit=round_.a).count() == 4


def test_missing_value_is_refused_and_nothing_is_written(round_, bureau):
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={**GOOD, "O1": ""})
    assert exc.value.message_dict == {"O1": ["「组织指标」未填写。"]}
    assert not IndicatorValue.objects.exists()


def test_non_numeric_value_is_refused(round_, bureau):
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={**GOOD, "T1": "十"})
    assert exc.value.message_dict["T1"] == ["「技术指标」的值“十”不是数字。"]
    assert not IndicatorValue.objects.exists()


def test_out_of_range_value_is_refused(round_, bureau):
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={**GOOD, "E1": "-3"})
    assert "超出允许范围 0～1000" in exc.value.message_dict["E1"][0]


def test_every_bad_value_is_reported_at_once(round_, bureau):
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={"T1": "x", "Y": "2000"})
    assert set(exc.value.message_dict) == {"T1", "O1", "E1", "Y"}


def test_bad_evidence_file_is_refused(round_, bureau):
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values=GOOD, evidence={"T1": exe})
    assert "T1" in exc.value.message_dict
    assert not IndicatorValue.objects.exists()


def test_evidence_is_checked_by_content(round_, bureau):
    from tests.badfiles import EXE

    fake = SimpleUploadedFile("政策文件.pdf", EXE, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values=GOOD, evidence={"T1": fake})
    assert "内容不是PDF文档" in exc.value.message_dict["T1"][0]
    assert not IndicatorValue.objects.exists()


def test_an_agency_enters_its_own_values_only(round_, people):
    services.enter_values(actor=people.admin_a, round_=round_.round, unit=round_.a, values=GOOD)
    with pytest.raises(PermissionDenied):
        services.enter_values(actor=people.admin_a, round_=round_.round, unit=round_.b, values=GOOD)


def test_a_clerk_cannot_enter_values(round_, people):
    with pytest.raises(PermissionDenied):
        services.enter_values(actor=people.clerk_a1, round_=round_.round, unit=round_.a, values=GOOD)


def test_a_unit_outside_the_round_is_refused(round_, bureau, tree):
    with pytest.raises(ValidationError, match="不是本轮评估的对象"):
        services.enter_values(actor=bureau, round_=round_.round, unit=tree.a1, values=GOOD)


def test_entering_again_updates_in_place(round_, bureau):
    services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values=GOOD)
    services.enter_values(actor=bureau, round_=round_.round, unit=round_.a, values={**GOOD, "T1": "12.5"})
    assert IndicatorValue.objects.filter(org_unit=round_.a).count() == 4
    assert str(IndicatorValue.objects.get(org_unit=round_.a, indicator__code="T1").value) == "12.5000"
