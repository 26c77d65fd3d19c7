from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datahub.api.fields import IntegerField, ScopedPrimaryKeyField

from .. import selectors
from ..models import Analysis, Framework, Indicator, IndicatorValue, Round, Score


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "dimension",
            "definition",
            "unit",
            "direction",
            "weight",
            "measurement",
            "source",
            "min_value",
            "max_value",
            "order",
        ]


class FrameworkSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Framework
        fields = ["id", "code", "version", "name", "note", "is_active", "indicators"]


class RoundSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    framework_name = serializers.CharField(source="framework.__str__", read_only=True)
    # Plain strings: the choice sets are OrgUnit.Level's and Dimension's, already named in the schema.
    case_level = serializers.CharField(read_only=True, help_text="region / institution / department")

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "year",
            "framework",
            "framework_name",
            "org_unit",
            "org_unit_name",
            "external",
            "case_level",
            "is_demo",
            "note",
            "scored_at",
        ]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    org_unit_name = serializers.CharField(
        source="case.name", read_only=True, help_text=_("评估对象名称（机构或研究案例）")
    )
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "round",
            "indicator",
            "indicator_code",
            "indicator_name",
            "org_unit",
            "study_case",
            "org_unit_name",
            "value",
            "origin",
            "has_evidence",
            "evidence_name",
            "note",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class ScoreSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(
        source="case.name", read_only=True, help_text=_("评估对象名称（机构或研究案例）")
    )
    round_name = serializers.CharField(source="round.__str__", read_only=True)
    strongest = serializers.CharField(read_only=True, help_text="T / O / E")
    weakest = serializers.CharField(read_only=True, help_text="T / O / E")

    class Meta:
        model = Score
        fields = [
            "id",
            "round",
            "round_name",
            "org_unit",
            "study_case",
            "org_unit_name",
            "index",
            "level",
            "level_name",
            "score_t",
            "score_o",
            "score_e",
            "strongest",
            "weakest",
            "recommendation",
            "rank",
            "computed_at",
        ]
        read_only_fields = fields


class EnterValuesSerializer(serializers.Serializer):
    org_unit = IntegerField(help_text=_("评估对象编号：内部轮次为机构编号，外部研究轮次为研究案例编号"))
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True), help_text=_("指标编码 → 数值")
    )


class AnalysisSerializer(serializers.ModelSerializer):
    round = ScopedPrimaryKeyField(lambda user: selectors.rounds_for(user))
    calibration = serializers.JSONField(
        required=False, help_text='{"T1": {"method": "explicit", "anchors": [60, 75, 90]}}'
    )
    path_names = serializers.JSONField(required=False)
    expectations = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True)

    class Meta:
        model = Analysis
        fields = [
            "id",
            "round",
            "name",
            "outcome",
            "conditions",
            "calibration",
            "incl_cut",
            "n_cut",
            "pri_cut",
            "expectations",
            "path_names",
            "result",
            "created_at",
        ]
        read_only_fields = ["result", "created_at"]
