"""Energy API: every endpoint is scoped through datahub.scoping (reporters, bureau administrators
and leaders read their subtree); writes go through the services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from datahub.api.filters import ScopedFilterSet, SubtreeFilter
from datahub.api.imports import job_accepted
from datahub.api.viewsets import ScopedModelViewSet, ScopedReadOnlyModelViewSet
from datahub.imports import start_import

from .. import imports, selectors, services
from ..models import Anomaly, CoefficientVersion, ConsumptionRecord, InstitutionProfile, Submission
from .serializers import (
    AnomalySerializer,
    CoefficientVersionSerializer,
    CorrectionSerializer,
    ProfileSerializer,
    RecordSerializer,
    SubmissionSerializer,
    SubmitSerializer,
)

READERS = selectors.ENERGY_READERS


class RecordFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = ConsumptionRecord
        fields = ["org_unit", "year", "month", "energy_type", "source"]


class ProfileFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = InstitutionProfile
        fields = ["org_unit", "year", "category", "climate_zone"]


class SubmissionFilter(ScopedFilterSet):
    within = SubtreeFilter(path_field="org_unit__path")

    class Meta:
        model = Submission
        fields = ["org_unit"]


class ProfileViewSet(ScopedModelViewSet):
    """公共机构基本信息（按年度）：人数取自组织机构，建筑面积取自办公用房，气候区、电网区域取自行政区划代码，类型取自机构类型；只填采暖面积。"""

    queryset = InstitutionProfile.objects.select_related("org_unit")
    serializer_class = ProfileSerializer
    filterset_class = ProfileFilter
    ordering_fields = ["year", "building_area", "energy_users"]
    ordering = ["org_unit__path", "-year"]
    scope_roles = READERS

    def _save(self, data, instance=None):
        if instance is not None:
            data = {"org_unit": instance.org_unit, "year": instance.year, **data}
        return services.save_profile(actor=self.request.user, **data)

    def perform_service_create(self, data):
        return self._save(data)

    def perform_service_update(self, instance, data):
        data.pop("org_unit", None)
        data.pop("year", None)
        return self._save(data, instance)


class RecordViewSet(ScopedModelViewSet):
    """能源资源消费记录（月度）。新增或修改即按当前折算系数版本折算；已报送月份锁定。"""

    queryset = ConsumptionRecord.objects.select_related("org_unit", "coefficient_version")
    serializer_class = RecordSerializer
    filterset_class = RecordFilter
    ordering_fields = ["year", "month", "kgce"]
    ordering = ["org_unit__path", "-year", "-month", "energy_type"]
    scope_roles = READERS

    def perform_service_create(self, data):
        return services.save_record(actor=self.request.user, source=ConsumptionRecord.Source.API, **data)

    def perform_service_update(self, instance, data):
        keys = ("org_unit", "year", "month", "energy_type", "quantity", "unit", "cost", "collection")
        merged = {k: data.get(k, getattr(instance, k)) for k in keys}
        if (merged["org_unit"], merged["year"], merged["month"], merged["energy_type"]) != (
            instance.org_unit,
            instance.year,
            instance.month,
            instance.energy_type,
        ):
            raise DRFValidationError({"month": [_("不能修改记录的机构、年月或品种，请新增记录。")]})
        return services.save_record(actor=self.request.user, source=ConsumptionRecord.Source.API, **merged)

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses=None,
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser], url_path="import")
    def import_file(self, request):
        """导入能源资源消费状况表（.xlsx 或 .csv）：文件在后台逐行校验，全部写入或全部不写。

        返回 202 与导入任务的地址：轮询 ``url`` 直到 ``finished``，错误按行号列出于 ``/api/v1/imports/<id>/``。"""
        upload = request.FILES.get("file")
        if upload is None:
            raise DRFValidationError({"file": [_("请上传 .xlsx 文件。")]})
        job = start_import(user=request.user, kind=imports.RecordImporter.kind, upload=upload)
        return Response(job_accepted(request, job), status=status.HTTP_202_ACCEPTED)


class SubmissionViewSet(ScopedReadOnlyModelViewSet):
    """能耗数据报送：报送（submit）、申请更正（correct）；审核在统一待办（/api/v1/portal/）中进行。"""

    queryset = Submission.objects.select_related("org_unit", "period", "ticket")
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    ordering = ["-period__year", "-period__quarter", "org_unit__path", "-version"]
    scope_roles = READERS

    @extend_schema(request=SubmitSerializer, responses=SubmissionSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request):
        s = SubmitSerializer(data=request.data, context={"request": request})
        s.is_valid(raise_exception=True)
        period = services.period_of(year=s.validated_data["year"], quarter=s.validated_data["quarter"])
        sub = services.submit(actor=request.user, org_unit=s.validated_data["org_unit"], period=period)
        return Response(SubmissionSerializer(sub).data, status=201)

    @extend_schema(request=CorrectionSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        s = CorrectionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        sub = services.open_correction(
            actor=request.user, submission=self.get_object(), reason=s.validated_data["reason"]
        )
        return Response(SubmissionSerializer(sub).data, status=201)


class AnomalyViewSet(ScopedReadOnlyModelViewSet):
    """能耗异常（稳健Z值、较上年同月），未处理的在前。"""

    queryset = Anomaly.objects.select_related("org_unit").filter(is_resolved=False)
    serializer_class = AnomalySerializer
    ordering = ["-year", "-month", "org_unit__path"]
    scope_roles = READERS


class CoefficientVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """折算系数版本（全省统一的参数表，能耗相关角色可读）。"""

    queryset = CoefficientVersion.objects.prefetch_related("coefficients", "grid_factors")
    serializer_class = CoefficientVersionSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.coefficient_versions(self.request.user)


class IndicatorView(APIView):
    """单位（或其下级合计）的指标：?unit=<机构编号>&year=&quarter=（0为全年）。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("quarter", int),
        ],
        responses=None,
    )
    def get(self, request):
        q = request.query_params
        errors = {}
        # isdecimal, not isdigit: "²".isdigit() is True but int("²") raises.
        if not q.get("unit", "").isdecimal():
            errors["unit"] = [_("请填写机构编号。")]
        if not q.get("year", "").isdecimal() or not 2000 <= int(q["year"]) <= 2100:
            errors["year"] = [_("请填写2000–2100之间的年度。")]
        if q.get("quarter", "0") not in ("0", "1", "2", "3", "4"):
            errors["quarter"] = [_("季度应为1–4，全年为0。")]
        if errors:
            raise DRFValidationError(errors)
        unit = selectors.visible_unit(request.user, q["unit"])
        if unit is None:
            if not selectors.may_read(request.user):
                raise PermissionDenied(_("您没有查看公共机构节能数据的权限。"))
            raise NotFound(_("机构不存在或不在您的管理范围内。"))
        ind = selectors.indicators(unit, int(q["year"]), int(q.get("quarter", "0")))
        f = ind["figures"]
        return Response(
            {
                "unit": unit.pk,
                "year": ind["year"],
                "quarter": ind["quarter"],
                "figures": f.as_json(),
                "tce": str(f.tce),
                "changes": {
                    k: {kk: (None if vv is None else str(vv)) for kk, vv in v.items()}
                    for k, v in ind["changes"].items()
                },
                "targets": [
                    {
                        "indicator": t.indicator,
                        "reduction_pct": str(t.reduction_pct),
                        "change_pct": None if t.change_pct is None else str(t.change_pct),
                        "due_pct": None if t.due_pct is None else str(t.due_pct),
                        "light": t.light,
                    }
                    for t in ind["targets"]
                ],
            }
        )
