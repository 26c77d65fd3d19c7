from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import personal_data, services
from ..auth import services as auth_services
from ..models import ApiToken, OrgUnit, User
from ..roles import DIRECTORY_READERS, PEOPLE_READERS
from .filters import OrgUnitFilter, UserFilter
from .schema import ERROR
from .serializers import (
    MeSerializer,
    OrgUnitSerializer,
    TokenRequestSerializer,
    TokenRevokedSerializer,
    TokenRevokeSerializer,
    TokenSerializer,
    UserSerializer,
)
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
    # Registered systems (and people signed in through one) read their own unit's tree with this scope.
    oauth_scopes = ("directory",)

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
    oauth_scopes = ("directory",)

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


def _locked_out(request) -> bool:
    return bool(getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False))


def locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("登录失败次数过多，该账号或本机地址已被暂时锁定，请%(minutes)s分钟后再试，或联系本单位管理员解锁。") % {
        "minutes": minutes
    }


class TokenView(APIView):
    """用户名+密码换取 API 令牌。每次登录签发新令牌（有效期有限，可吊销）；连续输错将被锁定（与网页登录相同）。"""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_scope = "login"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(response=ERROR, description="用户名或密码不正确"),
            403: OpenApiResponse(response=ERROR, description="密码已过期，须先在网页修改密码"),
            429: OpenApiResponse(response=ERROR, description="登录失败次数过多，已暂时锁定"),
        },
    )
    def post(self, request, *args, **kwargs):
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(request=request, **credentials.validated_data)
        if user is None:
            if _locked_out(request):
                return Response(
                    {"detail": locked_out_message(), "fields": {}}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
            raise ValidationError({"non_field_errors": [_("用户名或密码不正确。")]})
        record, token = auth_services.issue_api_token(user=user)
        return Response(TokenSerializer({"token": token, "token_type": "Token", "expires_at": record.expires_at}).data)


class TokenRevokeView(APIView):
    """吊销本次请求所用的 API 令牌（all=true 时吊销本人全部有效令牌）。吊销后立即失效。"""

    @extend_schema(
        operation_id="auth_token_revoke",
        request=TokenRevokeSerializer,
        responses={
            200: TokenRevokedSerializer,
            400: OpenApiResponse(response=ERROR, description="会话登录时须指定 all=true"),
        },
    )
    def post(self, request, *args, **kwargs):
        choice = TokenRevokeSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        if choice.validated_data["all"]:
            revoked = auth_services.revoke_api_tokens_of(actor=request.user, user=request.user)
        elif isinstance(request.auth, ApiToken):
            revoked = int(auth_services.revoke_api_token(actor=request.user, api_token=request.auth))
        else:
            raise ValidationError(
                {"all": [_("本次请求没有使用API令牌（网页会话登录）；要吊销本人全部令牌，请提交 all=true。")]}
            )
        return Response(TokenRevokedSerializer({"revoked": revoked}).data)
