"""The messages people meet read in their language (issue #19): an import's bad row, a refused file, a
password rule and an export's headers are Chinese for a zh-hans reader and English for an English one.
What a sheet must carry does not change with the reader: the import still matches the Chinese header
("所在单位编码") and names it so in the English message; an English row sentence still gives the job page
its row and column."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import translation

from assessment.rules import parse_value
from datahub import exporters, sheets
from datahub.auth.validators import MinimumLengthValidator
from datahub.directory_imports import PERSON_COLUMNS, PersonImporter
from datahub.imports import RowErrors, RowsRefused
from datahub.models import ImportJob

ZH, EN = "zh-hans", "en"


def refused_person(actor, row):
    with pytest.raises(RowsRefused) as refused:
        PersonImporter().run(actor=actor, rows=[(2, dict(zip(PERSON_COLUMNS, row, strict=True)))])
    return refused.value.errors


@pytest.mark.parametrize(
    "language, message, sentence",
    [
        (ZH, "没有编码为“ZZ”的机构。", "第2行“所在单位编码”：没有编码为“ZZ”的机构。"),
        (EN, 'No unit has the code "ZZ".', 'Row 2, "所在单位编码": No unit has the code "ZZ".'),
    ],
)
def test_an_import_names_the_bad_row_in_the_readers_language_and_the_column_as_the_sheet_has_it(
    people, tree, language, message, sentence
):
    with translation.override(language):
        errors = refused_person(people.admin_a, ("dir_x", "某某", "ZZ", "", "", "", ""))
        first = errors.items[0]
        assert (first.row, first.column, first.message) == (2, "所在单位编码", message)
        assert str(first) == sentence


def test_the_chinese_header_is_still_what_an_english_reader_imports_with(people, tree):
    with translation.override(EN):
        done = PersonImporter().run(
            actor=people.admin_a,
            rows=[(2, dict(zip(PERSON_COLUMNS, ("dir_en", "英文", "A1", "", "", "", ""), strict=True)))],
        )
    assert done["created"] == 1


@pytest.mark.parametrize("language", [ZH, EN])
def test_a_sentence_from_a_service_gives_the_job_page_its_row_and_column_in_either_language(language):
    with translation.override(language):
        errors = RowErrors()
        errors.add(5, "单位编码", "x")
        errors.add_validation_error(ValidationError([str(errors.items[0])]))
    assert (errors.items[1].row, errors.items[1].column, errors.items[1].message) == (5, "单位编码", "x")


@pytest.mark.parametrize(
    "language, expected",
    [(ZH, "上传的Excel文件是空文件（0字节）"), (EN, "The uploaded Excel file is empty (0 bytes)")],
)
def test_an_empty_file_is_refused_in_the_readers_language(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        next(sheets.xlsx_rows(SimpleUploadedFile("空.xlsx", b""), max_rows=10))
    assert refused.value.messages[0].startswith(expected)


@pytest.mark.parametrize(
    "language, expected",
    [(ZH, "密码太短：至少需要12个字符。"), (EN, "The password is too short: it needs at least 12 characters.")],
)
def test_the_password_rule_speaks_the_readers_language(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        MinimumLengthValidator(min_length=12).validate("short")
    assert refused.value.messages == [expected]


@pytest.mark.parametrize(
    "language, headers, filename",
    [
        (ZH, ["机构编码", "名称", "层级"], "组织机构.xlsx"),
        (EN, ["Unit code", "Name", "Level"], "Units.xlsx"),
    ],
)
def test_the_unit_export_heads_its_columns_in_the_readers_language(people, tree, language, headers, filename):
    with translation.override(language):
        export = exporters.units_export(people.admin_a, QueryDict())
        assert [str(h) for h in export.headers[:3]] == headers
        assert export.filename == filename


@pytest.mark.parametrize("language, expected", [(ZH, "的值“abc”不是数字。"), (EN, 'The value "abc" of')])
def test_an_assessment_value_is_refused_in_the_readers_language(language, expected):
    from assessment.models import Indicator

    indicator = Indicator(code="T1", name="数字政府发展水平", unit="分")
    with translation.override(language):
        value, message = parse_value(indicator, "abc")
    assert value is None and expected in message


def test_row_errors_are_kept_as_plain_text_for_the_jobs_json(people, tree):
    # A lazy message would not serialise into ImportJob.row_errors.
    with translation.override(EN):
        errors = refused_person(people.admin_a, ("dir_y", "某某", "ZZ", "", "", "", ""))
    assert all(type(v) in (int, str) for e in errors.items for v in e.as_dict().values())
    assert ImportJob._meta.get_field("row_errors").get_internal_type() == "JSONField"
