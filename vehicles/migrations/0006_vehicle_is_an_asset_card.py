"""一数一源: a vehicle is an asset card (GB/T 14885 A0203 车辆). Every vehicle is linked to its card —
an existing card of its institution naming its plate or VIN, or with its purchase price and date — or
a card is booked from its purchase price and date; then the vehicle's own copies of the two facts go.
A vehicle left without a card (no category loaded, no user to book it) is listed for the asset administrator."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

WAY = {"auction": "sale", "take_back": "exchange", "scrap": "scrap"}


def _month(day: date, n: int = 0) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return date(y, m + 1, 1)


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def link_cards(apps, schema_editor):
    Vehicle = apps.get_model("vehicles", "Vehicle")
    Disposal = apps.get_model("vehicles", "Disposal")
    Asset = apps.get_model("assets", "Asset")
    Category = apps.get_model("assets", "Category")
    Sequence = apps.get_model("assets", "AssetNumberSequence")
    Movement = apps.get_model("assets", "Movement")
    OrgUnit = apps.get_model("datahub", "OrgUnit")
    User = apps.get_model("datahub", "User")
    vehicles = list(Vehicle.objects.filter(asset__isnull=True).select_related("org_unit"))
    if not vehicles:
        return
    category = Category.objects.filter(code="A0203").first()
    actor = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.order_by("pk").first()
    same_month = True  # depreciation from the month the card is booked (assets.rules, 应用指南)
    today = timezone.localdate()
    taken = set(Vehicle.objects.filter(asset__isnull=False).values_list("asset_id", flat=True))
    for v in vehicles:
        prefixes = [v.org_unit.path[:end] for end in range(4, len(v.org_unit.path) + 1, 4)]
        home = (
            OrgUnit.objects.filter(path__in=prefixes, level="institution").order_by("-depth").first() or v.org_unit
        )
        cards = Asset.objects.filter(
            org_unit__path__startswith=home.path, category__code__startswith="A0203"
        ).exclude(pk__in=taken)
        card = (
            cards.filter(Q(spec__icontains=v.plate) | Q(spec__icontains=v.vin) | Q(name__icontains=v.plate)).first()
            or cards.filter(original_value=v.purchase_price, acquired_on=v.purchase_date).first()
        )
        if card is None and category is not None and actor is not None and v.purchase_price > 0:
            disposal = Disposal.objects.filter(vehicle=v).first()
            life = category.min_life_months or 96
            first = _month(v.purchase_date, 0 if same_month else 1)
            end = _month(disposal.date, 0 if same_month else 1) if disposal else _month(today)
            done = max(0, min(_months(first, end), life))
            base = (v.purchase_price / life).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            accumulated = v.purchase_price if done >= life else min(base * done, v.purchase_price)
            seq, _ = Sequence.objects.get_or_create(prefix=f"ZC{v.purchase_date.year}")
            seq.last += 1
            seq.save(update_fields=["last"])
            card = Asset.objects.create(
                asset_number=f"ZC{v.purchase_date.year}{seq.last:08d}",
                name=f"{v.brand} {v.model_name}".strip()[:100],
                category=category,
                spec=f"{v.plate} VIN {v.vin}",
                unit_of_measure="辆",
                original_value=v.purchase_price,
                acquired_on=v.purchase_date,
                booked_on=v.purchase_date,
                org_unit=home,
                user_department=v.org_unit if v.org_unit_id != home.pk else None,
                status="disposed" if disposal else "in_use",
                disposed_on=disposal.date if disposal else None,
                disposal_way=WAY.get(disposal.method, "scrap") if disposal else "",
                depreciation_end=end if disposal else None,
                depreciates=True,
                useful_life_months=life,
                accumulated_depreciation=accumulated,
                depreciated_months=done,
                next_depreciation_month=None if disposal or done >= life else _month(first, done),
                note="公务用车登记入账（迁移建卡）",
            )
            Movement.objects.create(
                asset=card, kind="book", actor=actor, to_unit=home, to_status="in_use",
                amount=card.original_value, note="公务用车台账迁移建卡",
            )
        if card is not None:
            taken.add(card.pk)
            v.asset = card
            v.save(update_fields=["asset"])



class Migration(migrations.Migration):

    dependencies = [
        ('assets', '0007_card_building_and_early_disposal'),
        ('portal', '0005_account_handover'),
        ('vehicles', '0005_vehicle_use_and_versioned_renewal_share'),
    ]

    operations = [
        migrations.AddField(
            model_name='disposal',
            name='ticket',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='portal.ticket', verbose_name='资产处置申请'),
        ),
        migrations.AddField(
            model_name='historicaldisposal',
            name='ticket',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='portal.ticket', verbose_name='资产处置申请'),
        ),
        migrations.AddField(
            model_name='historicalvehicle',
            name='asset',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assets.asset', verbose_name='资产卡片'),
        ),
        migrations.AddField(
            model_name='vehicle',
            name='asset',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='assets.asset', verbose_name='资产卡片'),
        ),
        # elidable: it only converts rows that existed before; a fresh database has none, so the squash leaves it out.
        migrations.RunPython(link_cards, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(
            model_name='historicalvehicle',
            name='purchase_date',
        ),
        migrations.RemoveField(
            model_name='historicalvehicle',
            name='purchase_price',
        ),
        migrations.RemoveField(
            model_name='vehicle',
            name='purchase_date',
        ),
        migrations.RemoveField(
            model_name='vehicle',
            name='purchase_price',
        ),
    ]
