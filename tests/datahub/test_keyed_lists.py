"""Names listed in a sentence read the reader's way (issue #19): 甲、乙 in Chinese, "A, B" in English, both
when a text is written at read time (``listed``) and when a stored message keeps the list (``Names``)."""

from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from datahub.keyed import Keyed, Names, keys_matching, listed, render


def in_language(language, make):
    with translation.override(language):
        return make()


def test_a_list_written_at_read_time_is_joined_the_readers_way():
    names = ["财政厅", gettext_lazy("资产管理员")]
    assert in_language("zh-hans", lambda: listed(names)) == "财政厅、资产管理员"
    assert in_language("en", lambda: listed(names)) == "财政厅, Asset administrator"


def test_a_stored_list_keeps_its_names_and_is_joined_when_read():
    message = Keyed(
        gettext_noop("Excel导入更新：%(fields)s"), {"fields": Names([Keyed("资产名称"), Keyed("规格型号")])}
    )
    data = message.as_json()
    assert data["values"] == {
        "fields": {"names": [{"key": "资产名称", "values": {}}, {"key": "规格型号", "values": {}}]}
    }
    assert message.stored() == "Excel导入更新：资产名称、规格型号"
    assert in_language("en", lambda: render(data["key"], data["values"])) == (
        "Updated by Excel import: Asset name, Specification and model"
    )


def test_a_message_is_found_by_the_words_the_reader_sees_not_by_its_placeholders():
    keys = ["维修报修：%(location)s（%(category)s）", "会议：%(topic)s"]
    assert in_language("en", lambda: keys_matching(keys, "REPAIR")) == [keys[0]]
    assert in_language("en", lambda: keys_matching(keys, "location")) == []  # a placeholder's name is no word
    assert in_language("zh-hans", lambda: keys_matching(keys, "会议")) == [keys[1]]
    assert in_language("en", lambda: keys_matching(keys, "  ")) == []
