"""Assessment API. Every endpoint derives from the platform's scoped viewsets: values and scores
are scoped by the case's unit (an agency sees its own, the bureau its subtree), analyses by the
round's scope, rounds by ``selectors.rounds_for``; writes go through the services."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from datahub import scoping
from datahub.api.filters import ScopedFilterSet, SubtreeFilter
from datahub.api.imports import job_accepted
from datahub.api.parsers import ObjectJSONParser
from datahub.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from datahub.imports import start_import

from .. import imports, jobs, selectors, services
from ..models import Analysis, Framework, IndicatorValue, Round, Score
from .serializers import (
    AnalysisSerializer,
    EnterValuesSerializer,
    FrameworkSerializer,
    IndicatorValueSerializer,
    RoundSerializer,
    ScoreSerializer,
)


class ScoreFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Score
        fields = ["round", "level", "org_unit", "study_case"]

    weakest = django_filters.CharFilter(label=_("最弱维度（T/O/E）"))
    strongest = django_filters.CharFilter(label=_("最强维度（T/O/E）"))


class ValueFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")
    indicator_code = django_filters.CharFilter(field_name="indicator__code", label=_("指标编码"))

    class Meta:
        model = IndicatorValue
        fields = ["round", "org_unit", "study_case", "origin"]


class FrameworkViewSet(ScopedReadOnlyModelViewSet):
    """指标框架（各版本）及其指标；对所有评估相关角色可见。"""

    queryset = Framework.objects.prefetch_related("indicators")
    serializer_class = FrameworkSerializer
    scope_roles = selectors.READERS

    def get_queryset(self):
        if not scoping.holds_any(self.request.user, selectors.READERS):
            return Framework.objects.none()
        return self.queryset.all()


class RoundViewSet(ScopedReadOnlyModelViewSet):
    """评估轮次：范围包含或位于您的授权之内的轮次。"""

    queryset = Round.objects.select_related("framework", "org_unit")
    serializer_class = RoundSerializer
    scope_roles = selectors.READERS
    filterset_fields = ["year", "is_demo", "framework"]
    ordering = ["-year", "name"]

    def get_queryset(self):
        return selectors.rounds_for(self.request.user).order_by("-year", "name")

    @extend_schema(request=EnterValuesSerializer, responses=IndicatorValueSerializer(many=True))
    @action(detail=True, methods=["post"])
    def enter(self, request, pk=None):
        """填报一个评估对象的指标值：{"org_unit": 机构编号, "values": {"T1": "80", ...}}。"""
        round_ = self.get_object()
        data = EnterValuesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = selectors.visible_cases(request.user, round_).filter(pk=data.validated_data["org_unit"]).first()
        if unit is None:
            raise NotFound(_("评估对象不存在或无权查看。"))
        rows = services.enter_values(actor=request.user, round_=round_, unit=unit, values=data.validated_data["values"])
        return Response(IndicatorValueSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        """计算平台指标并计分（须覆盖整个评估范围）。"""
        round_ = self.get_object()
        written = services.compute_platform_indicators(actor=request.user, round_=round_)
        result = services.score_round(actor=request.user, round_=round_)
        return Response({"computed": written, "scored": result.scored, "incomplete": result.incomplete})

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses=None,
    )
    @action(
        detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser, ObjectJSONParser]
    )
    def import_file(self, request, pk=None):
        """导入案例数据（.xlsx 或 .csv）：文件在后台逐行校验，全部通过才写入。

        返回 202 与导入任务的地址：轮询 ``url`` 直到 ``finished``，错误按行号、列列出。"""
        round_ = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise drf_serializers.ValidationError({"file": [_("请上传 .xlsx 或 .csv 文件。")]})
        job = start_import(
            user=request.user, kind=imports.ValueImporter.kind, upload=upload, params={"round": round_.pk}
        )
        return Response(job_accepted(request, job), status=status.HTTP_202_ACCEPTED)


class ScoreViewSet(ScopedReadOnlyModelViewSet):
    """成熟度得分：单位看到本单位的得分，机关事务管理局看到其下全部。"""

    queryset = Score.objects.select_related("org_unit", "study_case", "round")
    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter
    search_fields = ["org_unit__name", "study_case__name"]
    ordering_fields = ["index", "rank", "level"]
    ordering = ["round", "rank", "pk"]
    scope_roles = selectors.READERS

    def get_queryset(self):
        # A study case's rows are scoped by the round's scope unit (selectors.case_rows_for).
        return selectors.case_rows_for(self.request.user, self.queryset.all())


class IndicatorValueViewSet(ScopedReadOnlyModelViewSet):
    """指标值（填报、导入或平台计算）；填报请用 rounds/{id}/enter/。"""

    queryset = IndicatorValue.objects.select_related("indicator", "org_unit", "study_case")
    serializer_class = IndicatorValueSerializer
    filterset_class = ValueFilter
    ordering = ["round", "org_unit__path", "study_case__code", "indicator__order", "pk"]
    scope_roles = selectors.READERS

    def get_queryset(self):
        # A study case's rows are scoped by the round's scope unit (selectors.case_rows_for).
        return selectors.case_rows_for(self.request.user, self.queryset.all())


class AnalysisViewSet(ScopedModelViewSet):
    """组态分析（fsQCA）：POST 运行并保存一次分析；须覆盖该轮的整个评估范围。"""

    queryset = Analysis.objects.select_related("round")
    serializer_class = AnalysisSerializer
    filterset_fields = ["round"]
    ordering = ["-created_at", "-pk"]
    scope_roles = selectors.ANALYSTS
    unit_field = "round__org_unit"
    http_method_names = ["get", "post", "head", "options"]

    def _round_and_params(self, data) -> tuple:
        round_ = selectors.round_for(self.request.user, data["round"].pk)
        if round_ is None:
            raise NotFound(_("评估轮次不存在或无权查看。"))
        return round_, {
            "name": data["name"],
            "outcome": data["outcome"],
            "conditions": list(data.get("conditions") or []),
            "calibration": data.get("calibration") or {},
            "incl_cut": data.get("incl_cut", 0.8),
            "n_cut": data.get("n_cut", 1),
            "pri_cut": data.get("pri_cut", 0.0),
            "expectations": data.get("expectations"),
            "path_names": data.get("path_names") or {},
        }

    def create(self, request, *args, **kwargs):
        """A large analysis (``jobs.is_large``, as on the page) is queued: 202 with the job (its page shows
        the progress, then links the result); a small one runs in the request: 201 with the analysis."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        round_, params = self._round_and_params(dict(serializer.validated_data))
        if not jobs.is_large(round_, params["conditions"]):
            return super().create(request, *args, **kwargs)
        job = jobs.start_analysis(actor=request.user, round_=round_, params=params)
        body = {
            "job": job.pk,
            "status": job.status,
            "progress": job.progress,
            "url": reverse("assessment:analysis-job", args=[job.pk]),
        }
        return Response(body, status=202)

    def perform_service_create(self, data):
        round_, params = self._round_and_params(data)
        return services.run_analysis(actor=self.request.user, round_=round_, **params)

    @extend_schema(request={"application/json": {"type": "object", "additionalProperties": {"type": "string"}}})
    @action(detail=True, methods=["post"], url_path="rename-paths")
    def rename_paths(self, request, pk=None):
        """为路径命名：{"T1*T2": "技术驱动型", ...}（键为组态表达式）。"""
        if not isinstance(request.data, dict):
            raise drf_serializers.ValidationError({"non_field_errors": [_("请提交“组态表达式 → 名称”的映射。")]})
        analysis = services.rename_paths(actor=request.user, analysis=self.get_object(), names=dict(request.data))
        return Response(self.get_serializer(analysis).data)
