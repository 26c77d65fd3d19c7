from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import personal_data, selectors
from ..models import OrgUnit, User
from ..roles import DIRECTORY_EDITORS
from ..services import ORG_UNIT_FIELDS
from .fields import unit_field


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = unit_field(
        DIRECTORY_EDITORS, required=False, allow_null=True, write_only=True, help_text=_("上级机构编号（仅创建时）")
    )
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            *ORG_UNIT_FIELDS,
            "level_display",
            "kind_display",
            "depth",
            "path",
            "parent",
            "parent_id",
            "updated_at",
        ]
        read_only_fields = ["depth", "path", "updated_at"]
        extra_kwargs = {"region_code": {"required": False}}


class UserSerializer(serializers.ModelSerializer):
    org_unit = unit_field(DIRECTORY_EDITORS, required=False, allow_null=True)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True, default="")
    post_level_display = serializers.CharField(source="get_post_level_display", read_only=True)
    rank_display = serializers.CharField(source="get_rank_display", read_only=True)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "email",
            "org_unit",
            "org_unit_name",
            "post_level",
            "post_level_display",
            "rank",
            "rank_display",
            "is_main_post",
            "job_title",
            "phone",
            "id_number",
            "staffing_seats",
            "is_active",
            "password",
        ]

    def to_representation(self, instance):
        # One PersonView per request (the view flushes its audited reads): e-mail, phone and 身份证号 are
        # withheld ("") or masked as datahub.personal_data decides for this viewer and this person.
        data = super().to_representation(instance)
        if "person_view" not in self.context:
            request = self.context.get("request")
            self.context["person_view"] = personal_data.PersonView(request.user if request else None)
        data.update(self.context["person_view"].shown(instance))
        return data

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": _("创建人员时必须设置初始密码。")})
        return attrs


class MeSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True, default="")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "org_unit", "org_unit_name", "post_level", "rank", "roles"]

    def get_roles(self, user) -> list[dict]:
        return [
            {
                "role": g.permission.codename.removeprefix("role_"),
                "unit": g.content_object_id,
                "unit_name": g.content_object.name,
            }
            for g in selectors.role_grants_of(user)
        ]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(
        label=_("密码"), max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text=_("API令牌，仅此一次返回；请求时放在 Authorization: Token <令牌>")
    )
    token_type = serializers.CharField(read_only=True, default="Token")
    expires_at = serializers.DateTimeField(read_only=True, help_text=_("到期时间，到期后须重新登录获取新令牌"))


class TokenRevokeSerializer(serializers.Serializer):
    all = serializers.BooleanField(
        default=False, help_text=_("为 true 时吊销本人全部有效令牌；否则只吊销本次请求所用的令牌")
    )


class TokenRevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(read_only=True, help_text=_("本次吊销的令牌数"))
