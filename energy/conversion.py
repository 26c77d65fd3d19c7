"""Reads a coefficient version and applies it: (base quantity, kgce, kgCO₂) of a reported quantity.
The unit arithmetic itself is ``rules.to_base``; this module only brings the version's rows to it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Coefficient, CoefficientVersion, GridFactor
from .rules import EnergyType

Q4 = Decimal("0.0001")


def current_version() -> CoefficientVersion:
    version = CoefficientVersion.objects.filter(is_current=True).first()
    if version is None:
        raise ValidationError({"coefficient_version": _("尚未设置当前使用的折算系数版本，请管理员在后台设置。")})
    return version


class Converter:
    """Applies one coefficient version: (base quantity, kgce, kgCO₂) of a reported quantity."""

    def __init__(self, version: CoefficientVersion):
        self.version = version
        self.coefficients = {c.energy_type: c for c in Coefficient.objects.filter(version=version)}
        self.grid: dict[int, dict[str, Decimal]] = {}
        for g in GridFactor.objects.filter(version=version):
            self.grid.setdefault(g.year, {})[g.region] = g.kgco2_per_kwh

    def grid_factor(self, year: int, region: str = rules.GridRegion.NATIONAL) -> Decimal:
        if not self.grid:
            raise ValidationError(
                {"coefficient_version": _("折算系数版本“%(version)s”没有电网排放因子。") % {"version": self.version}}
            )
        factors = self.grid[rules.pick_grid_year(sorted(self.grid), year)]
        return factors.get(region) or factors[rules.GridRegion.NATIONAL]

    def density(self, energy_type: str) -> Decimal | None:
        c = self.coefficients.get(energy_type)
        return c.density if c else None

    def convert(self, energy_type: str, quantity: Decimal, unit: str, year: int, region: str = "national"):
        c = self.coefficients.get(energy_type)
        if c is None:
            raise ValidationError(
                {
                    "energy_type": _("折算系数版本“%(version)s”缺少“%(label)s”的系数。")
                    % {"version": self.version, "label": EnergyType(energy_type).label}
                }
            )
        try:
            base = rules.to_base(Decimal(quantity), energy_type, unit, c.density)
        except ValueError as exc:
            raise ValidationError(
                {
                    "unit": _("“%(label)s”不能使用计量单位“%(unit)s”或缺少密度。")
                    % {"label": EnergyType(energy_type).label, "unit": unit}
                }
            ) from exc
        co2 = self.grid_factor(year, region) if energy_type == EnergyType.ELECTRICITY else c.kgco2_per_unit
        return base.quantize(Q4), (base * c.kgce_per_unit).quantize(Q4), (base * co2).quantize(Q4)


def record_values(conv: Converter, energy_type, clean: dict, year: int, region: str, source) -> dict:
    """A checked line (``rules.validate_entry``) as stored: the figures entered plus their conversion."""
    base, kgce, kgco2 = conv.convert(energy_type, clean["quantity"], clean["unit"], year, region)
    return {
        **clean,
        "source": source,
        "base_quantity": base,
        "kgce": kgce,
        "kgco2": kgco2,
        "coefficient_version": conv.version,
    }
