"""The user's own import jobs over the API: ``GET /api/v1/imports/`` and ``/api/v1/imports/<id>/``.

An import endpoint answers 202 with ``job_accepted``; the client polls the job until ``finished``.
Nobody sees another person's job (404), whatever their roles."""

from django.urls import reverse
from rest_framework import serializers, viewsets

from .. import selectors
from ..models import ImportJob


class ImportJobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    finished = serializers.SerializerMethodField()
    errors = serializers.JSONField(source="row_errors", read_only=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "kind", "filename", "status", "status_display", "finished", "rows_total", "rows_checked",
                  "rows_written", "error", "error_count", "errors", "result", "created_at", "finished_at", "page"]  # fmt: skip
        read_only_fields = fields

    def get_finished(self, job) -> bool:
        return job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)

    def get_page(self, job) -> str:
        return reverse("import-job", args=[job.pk])


class ImportJobListSerializer(ImportJobSerializer):
    class Meta(ImportJobSerializer.Meta):
        fields = [f for f in ImportJobSerializer.Meta.fields if f != "errors"]
        read_only_fields = fields


class ImportJobViewSet(viewsets.ReadOnlyModelViewSet):
    """我的导入任务：进度、逐行错误（行号、列、原因）与结果。只能看到自己发起的导入。"""

    queryset = ImportJob.objects.none()  # the model, for the schema and the leak crawler; rows: get_queryset
    filter_backends: list = []

    def get_queryset(self):
        if self.action == "list":
            return selectors.import_jobs_of(self.request.user)
        return selectors.import_jobs_of(self.request.user).defer(None)

    def get_serializer_class(self):
        return ImportJobListSerializer if self.action == "list" else ImportJobSerializer


def job_accepted(request, job: ImportJob) -> dict:
    """The body of a 202 answer to an upload: where to follow the job."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "url": request.build_absolute_uri(reverse("importjob-detail", args=[job.pk])),
        "page": request.build_absolute_uri(reverse("import-job", args=[job.pk])),
    }
