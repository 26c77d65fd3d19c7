"""The base every API endpoint of the platform uses.

``ScopedModelViewSet`` filters its queryset through ``datahub.scoping`` (so no endpoint
can forget it) and hands writes to the app's services: subclasses name the roles that
read (``scope_roles``), the unit foreign key (``unit_field``), and implement
``perform_service_create`` / ``perform_service_update``.
"""

from rest_framework import viewsets

from .. import scoping


class ScopedModelViewSet(viewsets.ModelViewSet):
    scope_roles: tuple[str, ...] = ()
    unit_field = "org_unit"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return scoping.scope(
            super().get_queryset(), self.request.user, roles=self.scope_roles, unit_field=self.unit_field
        )

    def perform_create(self, serializer):
        serializer.instance = self.perform_service_create(dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.perform_service_update(serializer.instance, dict(serializer.validated_data))

    def perform_service_create(self, data: dict):
        raise NotImplementedError

    def perform_service_update(self, instance, data: dict):
        raise NotImplementedError


class ScopedReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    scope_roles: tuple[str, ...] = ()
    unit_field = "org_unit"

    def get_queryset(self):
        return scoping.scope(
            super().get_queryset(), self.request.user, roles=self.scope_roles, unit_field=self.unit_field
        )
