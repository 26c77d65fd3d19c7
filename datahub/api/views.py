from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from .. import personal_data, services
from ..models import OrgUnit, User
from ..roles import DIRECTORY_READERS, PEOPLE_READERS
from .filters import OrgUnitFilter, UserFilter
from .serializers import MeSerializer, OrgUnitSerializer, UserSerializer
from .viewsets import ScopedModelViewSet


def _with_parent_id(qs):
    """Annotate each unit with its parent's id in the same query (the parent's path is ours minus one step)."""
    parent = OrgUnit.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen))
    return qs.annotate(parent_id=Subquery(parent.values("pk")[:1], output_field=IntegerField()))


class OrgUnitViewSet(ScopedModelViewSet):
    """组织机构：按当前用户的角色范围（所授机构及其下级）可见。"""

    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter
    search_fields = ["name", "code", "uscc"]
    ordering_fields = ["path", "name", "code", "staffing_quota"]
    ordering = ["path"]
    scope_roles = DIRECTORY_READERS
    unit_field = ""

    def get_queryset(self):
        return _with_parent_id(super().get_queryset())

    def perform_service_create(self, data):
        parent = data.pop("parent", None)
        unit = services.create_org_unit(actor=self.request.user, parent=parent, **data)
        return self.get_queryset().get(pk=unit.pk)

    def perform_service_update(self, instance, data):
        data.pop("parent", None)
        unit = services.update_org_unit(actor=self.request.user, unit=instance, **data)
        return self.get_queryset().get(pk=unit.pk)


class UserViewSet(ScopedModelViewSet):
    """人员：按当前用户的角色范围可见；身份证号仅对有权限者完整显示。"""

    queryset = User.objects.select_related("org_unit")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    ordering_fields = ["username", "name", "post_level"]
    ordering = ["username"]
    scope_roles = PEOPLE_READERS

    @property
    def search_fields(self):
        # A masked phone must not be findable digit by digit.
        fields = ["name", "username", "job_title"]
        return [*fields, "phone"] if personal_data.may_unmask(getattr(self.request, "user", None), "phone") else fields

    def get_serializer_context(self):
        context = super().get_serializer_context()
        self._person_view = context["person_view"] = personal_data.PersonView(self.request.user)
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        view = getattr(self, "_person_view", None)
        if view is not None and view.revealed and response.status_code < 400:
            services.record_personal_data_reads(
                actor=request.user, revealed=view.revealed, surface="api", request=request
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def perform_service_create(self, data):
        return services.create_user(actor=self.request.user, **data)

    def perform_service_update(self, instance, data):
        return services.update_user(actor=self.request.user, user=instance, **data)


class MeView(generics.RetrieveAPIView):
    """当前登录用户及其角色授权。"""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class TokenView(ObtainAuthToken):
    """用户名+密码换取 API 令牌；连续输错将被锁定（与网页登录相同）。"""

    throttle_scope = "login"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(operation_id="auth_token_create")
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                return Response(
                    {"detail": "连续输错密码次数过多，账号已被暂时锁定，请30分钟后再试。", "fields": {}},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise
