"""用房调整申请的兼职岗位 is the directory's (datahub.SidePost), picked, not typed (#15). A typed post on an
existing request becomes a 兼职 post of its requester in the directory (unit: the requester's own, the text
as its title, from the day the request was filed), so nothing is lost and the request links to it."""

import django.db.models.deletion
from django.db import migrations, models


def typed_posts_to_the_directory(apps, schema_editor):
    AdjustmentRequest = apps.get_model("officespace", "AdjustmentRequest")
    SidePost = apps.get_model("datahub", "SidePost")
    for request in AdjustmentRequest.objects.exclude(side_post_text="").select_related("ticket__requester"):
        requester = request.ticket.requester
        title = request.side_post_text.strip()[:200]
        if not title or requester.org_unit_id is None:
            continue
        post = SidePost.objects.filter(person=requester, title=title).first() or SidePost.objects.create(
            person=requester,
            org_unit_id=requester.org_unit_id,
            title=title,
            started_on=request.ticket.created_at.date(),
        )
        request.side_post = post
        request.save(update_fields=["side_post"])


def directory_posts_back_to_text(apps, schema_editor):
    AdjustmentRequest = apps.get_model("officespace", "AdjustmentRequest")
    for request in AdjustmentRequest.objects.filter(side_post__isnull=False).select_related("side_post"):
        request.side_post_text = request.side_post.title
        request.save(update_fields=["side_post_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("datahub", "0013_side_posts"),
        ("officespace", "0009_building_structure_simple"),
    ]

    operations = [
        migrations.RenameField("adjustmentrequest", "side_post", "side_post_text"),
        migrations.AddField(
            model_name="adjustmentrequest",
            name="side_post",
            field=models.ForeignKey(
                blank=True,
                help_text="申请第二办公室时，从人员名录中登记的本人在任兼职岗位中选择。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="datahub.sidepost",
                verbose_name="兼职岗位",
            ),
        ),
        # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
        migrations.RunPython(typed_posts_to_the_directory, directory_posts_back_to_text, elidable=True),
        migrations.RemoveField("adjustmentrequest", "side_post_text"),
    ]
