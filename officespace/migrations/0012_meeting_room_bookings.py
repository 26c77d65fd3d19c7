"""Meeting-room requests and the booking ledger; on PostgreSQL, no two live bookings of one room overlap.

The exclusion constraint is raw SQL that runs on PostgreSQL only (SQLite has no GiST), as for vehicles'
dispatches; it is not in the model's Meta so that SQLite migrations and ``makemigrations --check`` stay
clean. officespace.meetings.book_room checks the same rule first, so SQLite users get the same error.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

NO_OVERLAP = (
    "ALTER TABLE officespace_roombooking ADD CONSTRAINT booking_room_no_overlap EXCLUDE USING gist "
    "(room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status <> 'cancelled')"
)


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_OVERLAP)


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE officespace_roombooking DROP CONSTRAINT IF EXISTS booking_room_no_overlap")


class Migration(migrations.Migration):

    dependencies = [
        ('datahub', '0012_trail_partitioned_by_month_and_append_only_on_postgresql'),
        ('officespace', '0011_attachment_refusal_in_chinese'),
        ('portal', '0006_close_on_approval_action'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingRoomRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='会议开始')),
                ('ends_at', models.DateTimeField(verbose_name='会议结束')),
                ('topic', models.CharField(max_length=200, verbose_name='会议名称')),
                ('attendees', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1, message='参会人数至少为1。'), django.core.validators.MaxValueValidator(1000, message='参会人数不能超过1000。')], verbose_name='参会人数')),
                ('room', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='officespace.room', verbose_name='会议室')),
                ('ticket', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='portal.ticket', verbose_name='申请')),
            ],
            options={
                'verbose_name': '会议室预订',
                'verbose_name_plural': '会议室预订',
            },
        ),
        migrations.CreateModel(
            name='RoomBooking',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topic', models.CharField(max_length=200, verbose_name='会议名称')),
                ('starts_at', models.DateTimeField(verbose_name='开始')),
                ('ends_at', models.DateTimeField(verbose_name='结束')),
                ('status', models.CharField(choices=[('held', '待确认'), ('confirmed', '已确认'), ('cancelled', '已取消')], default='held', max_length=10, verbose_name='状态')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='预订时间')),
                ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='取消时间')),
                ('cancel_reason', models.CharField(blank=True, max_length=200, verbose_name='取消原因')),
                ('booked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='预订人')),
                ('org_unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='datahub.orgunit', verbose_name='预订单位')),
                ('room', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bookings', to='officespace.room', verbose_name='会议室')),
                ('ticket', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.ticket', verbose_name='预订申请')),
            ],
            options={
                'verbose_name': '会议室预订台账',
                'verbose_name_plural': '会议室预订台账',
                'ordering': ['starts_at', 'pk'],
                'indexes': [models.Index(fields=['room', 'starts_at'], name='officespace_room_id_c438c6_idx'), models.Index(condition=models.Q(('status', 'cancelled'), _negated=True), fields=['starts_at'], name='booking_live_starts')],
                'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='booking_ends_after'), models.UniqueConstraint(condition=models.Q(('status', 'cancelled'), _negated=True), fields=('ticket',), name='booking_one_live_per_ticket')],
            },
        ),
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
