from datahub.roles import GROUP_PERMISSIONS, Role
from datahub.rules import PostLevel, Rank


def test_post_levels_are_the_gb_t_12407_leadership_codes():
    assert [(c.value, c.label) for c in PostLevel] == [
        ("101", "国家级正职"),
        ("102", "国家级副职"),
        ("111", "省部级正职"),
        ("112", "省部级副职"),
        ("121", "厅局级正职"),
        ("122", "厅局级副职"),
        ("131", "县处级正职"),
        ("132", "县处级副职"),
        ("141", "乡科级正职"),
        ("142", "乡科级副职"),
        ("150", "科员级"),
        ("160", "办事员级"),
        ("199", "未定职"),
    ]


def test_ranks_are_the_twelve_2019_comprehensive_management_ranks_highest_first():
    assert Rank.labels == [
        "一级巡视员",
        "二级巡视员",
        "一级调研员",
        "二级调研员",
        "三级调研员",
        "四级调研员",
        "一级主任科员",
        "二级主任科员",
        "三级主任科员",
        "四级主任科员",
        "一级科员",
        "二级科员",
    ]


def test_every_role_has_a_group_permission_entry():
    assert set(GROUP_PERMISSIONS) == set(Role.values)
