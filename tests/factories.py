"""Factories shared by every app's tests. Tree nodes are created through treebeard so paths are real."""

from datetime import date

import factory
from django.contrib.auth.hashers import make_password

from datahub import idnumbers, services
from datahub.models import OrgUnit, SidePost, User
from datahub.rules import PostLevel, Rank

PASSWORD = "Correct-Horse-2026"
_HASH = make_password(PASSWORD)


def valid_uscc(n: int, head: str = "11", region: str = "330000") -> str:
    body = f"{head}{region}{n:09d}"
    return body + idnumbers.uscc_check_char(body)


def valid_id_number(n: int) -> str:
    first17 = f"33010619{80 + n % 20:02d}0101{n % 1000:03d}"
    return first17 + idnumbers.id_number_check_char(first17)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    level = OrgUnit.Level.INSTITUTION
    kind = OrgUnit.Kind.PARTY_GOVERNMENT
    uscc = factory.LazyAttributeSequence(lambda o, n: valid_uscc(n) if o.level == OrgUnit.Level.INSTITUTION else None)
    region_code = "330000"
    staffing_quota = 10

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        node = model_class(**kwargs)
        if parent is None:
            return model_class.objects.add_root(instance=node)
        unit = model_class.objects.add_child(parent, instance=node)
        parent.refresh_from_db()
        return unit


def region(**kwargs) -> OrgUnit:
    return OrgUnitFactory(level=OrgUnit.Level.REGION, kind="", **kwargs)


def department(parent: OrgUnit, **kwargs) -> OrgUnit:
    return OrgUnitFactory(level=OrgUnit.Level.DEPARTMENT, parent=parent, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:05d}")
    name = factory.Sequence(lambda n: f"测试人员{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.cn")
    password = _HASH
    post_level = PostLevel.CLERK
    rank = Rank.STAFF_1
    id_number = factory.Sequence(valid_id_number)
    phone = factory.Sequence(lambda n: f"1380000{n % 10000:04d}")


class SidePostFactory(factory.django.DjangoModelFactory):
    """A 兼职 post the directory holds (in the person's agency's parent by default: another unit than theirs)."""

    class Meta:
        model = SidePost

    person = factory.SubFactory(UserFactory)
    org_unit = factory.LazyAttribute(lambda p: OrgUnit.objects.get_parent(p.person.org_unit) or p.person.org_unit)
    title = factory.Sequence(lambda n: f"某领导小组办公室副主任{n}")
    started_on = date(2026, 1, 1)


def superuser() -> User:
    """The factories' one superuser; a module's shared fixtures may have made it already."""
    return User.objects.filter(username="root-admin").first() or UserFactory(
        is_superuser=True, is_staff=True, username="root-admin", name="超级管理员"
    )


def grant(user: User, role: str, unit: OrgUnit) -> User:
    """Grant a role the way the directory does it (guardian object permission + group + is_staff)."""
    actor = User.objects.filter(is_superuser=True).first() or superuser()
    services.grant_role(actor=actor, user=user, role=role, unit=unit)
    user.refresh_from_db()
    return user
