"""A role granted on a unit covers that unit and everything below it, and nothing beside it."""

from django.contrib.auth.models import AnonymousUser

from datahub import scoping
from datahub.models import OrgUnit, User
from datahub.navigation import held_roles
from datahub.roles import DIRECTORY_READERS, Role
from tests.factories import UserFactory, grant


def visible_codes(user):
    return set(scoping.visible_units(user, roles=DIRECTORY_READERS).values_list("code", flat=True))


def test_bureau_admin_of_agency_a_sees_a_and_its_departments_only(people):
    assert visible_codes(people.admin_a) == {"A", "A1"}


def test_people_of_sibling_agency_b_are_invisible_to_admin_of_a(people):
    usernames = set(
        scoping.scope(User.objects.all(), people.admin_a, roles=DIRECTORY_READERS).values_list("username", flat=True)
    )
    assert usernames == {"admin_a", "clerk_a1"}


def test_leader_with_a_role_on_the_root_sees_everything_below_it(people):
    assert visible_codes(people.leader) == {"R", "A", "A1", "B", "B1"}


def test_anonymous_sees_nothing(people):
    assert visible_codes(AnonymousUser()) == set()
    assert not scoping.scope(User.objects.all(), AnonymousUser(), roles=DIRECTORY_READERS).exists()


def test_civil_servant_sees_only_their_own_unit_through_the_implicit_grant(people):
    assert visible_codes(people.clerk_a1) == {"A1"}


def test_inactive_user_sees_nothing(people):
    people.admin_a.is_active = False
    assert visible_codes(people.admin_a) == set()


def test_roles_argument_limits_what_counts(people, tree):
    dispatcher = grant(UserFactory(org_unit=tree.a1), Role.VEHICLE_DISPATCHER, tree.b)
    assert set(scoping.visible_units(dispatcher, roles=[Role.VEHICLE_DISPATCHER]).values_list("code", flat=True)) == {
        "B",
        "B1",
    }
    # As a civil servant the same person sees only their own department.
    assert set(scoping.visible_units(dispatcher, roles=[Role.CIVIL_SERVANT]).values_list("code", flat=True)) == {"A1"}


def test_nested_grants_collapse_to_the_outer_one(tree):
    user = grant(UserFactory(org_unit=tree.a1), Role.LEADER, tree.r)
    grant(user, Role.LEADER, tree.a)
    assert scoping.granted_paths(User.objects.get(pk=user.pk), [Role.LEADER]) == [tree.r.path]


def test_grant_on_a_deactivated_unit_no_longer_applies(people, tree):
    OrgUnit.objects.filter(pk=tree.a.pk).update(is_active=False)
    assert visible_codes(User.objects.get(pk=people.admin_a.pk)) == set()


def test_covers_is_true_for_descendants_and_false_for_siblings(people, tree):
    assert scoping.covers(people.admin_a, tree.a1, roles=[Role.BUREAU_ADMIN])
    assert not scoping.covers(people.admin_a, tree.b1, roles=[Role.BUREAU_ADMIN])
    assert not scoping.covers(people.admin_a, tree.r, roles=[Role.BUREAU_ADMIN])


def test_superuser_sees_everything(people):
    root = User.objects.get(is_superuser=True)
    assert visible_codes(root) == {"R", "A", "A1", "B", "B1"}


def test_a_request_reads_the_persons_grants_once_whatever_roles_it_asks_about(tree, django_assert_num_queries):
    # The page's reader check, its 新增 button, the navigation and the rows' scope ask about different roles.
    person = grant(UserFactory(org_unit=tree.a1), Role.ASSET_ADMIN, tree.a)
    grant(person, Role.VEHICLE_DISPATCHER, tree.b)
    person = User.objects.select_related("org_unit").get(pk=person.pk)
    with django_assert_num_queries(1):
        assert scoping.holds_any(person, [Role.ASSET_ADMIN])
        assert not scoping.holds_any(person, [Role.BUREAU_ADMIN, Role.LEADER])
        assert scoping.granted_paths(person, [Role.VEHICLE_DISPATCHER]) == [tree.b.path]
        assert held_roles(person) == {Role.ASSET_ADMIN, Role.VEHICLE_DISPATCHER, Role.CIVIL_SERVANT}


def test_a_grant_given_after_the_read_counts_at_once(tree):
    person = UserFactory(org_unit=tree.a1)
    assert not scoping.holds_any(person, [Role.LEADER])
    assert Role.LEADER not in held_roles(person)
    grant(person, Role.LEADER, tree.a)  # the service forgets what was read
    assert scoping.granted_paths(person, [Role.LEADER]) == [tree.a.path]
    assert Role.LEADER in held_roles(person)


def test_a_grant_on_a_closed_unit_names_the_role_but_covers_nothing(people, tree):
    OrgUnit.objects.filter(pk=tree.a.pk).update(is_active=False)
    admin = User.objects.get(pk=people.admin_a.pk)
    assert Role.BUREAU_ADMIN in held_roles(admin)
    assert not scoping.holds_any(admin, [Role.BUREAU_ADMIN])
