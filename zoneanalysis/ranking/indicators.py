"""The indicator matrix of a period: year-end values per zone, actual or projected, and draws.

For a complete year (month 12) the year-end actuals of ``zone_stats`` are used. For a mid-year
period the year-end values come from the projections table (point and 80/95 % bounds, turned
into a split-normal distribution per zone × indicator); indicators the projections do not cover
(rates such as energy use per unit of value added) keep the latest actual of the year. Derived
indicators (growth, ratios such as tax per km² of built area) are computed from these, per draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zoneanalysis.indicators import load_indicator_catalogue
from zoneanalysis.ranking.criteria import DerivedSpec

Z80 = 1.2815515655446004
Z95 = 1.959963984540054
BASIS_ACTUAL = "actual"
BASIS_PROJECTED = "projected"


@dataclass
class IndicatorInputs:
    """Year-end inputs of the ranking for one period, over a fixed list of zones.

    Attributes
    ----------
    zone_ids
        Row order of every array.
    codes
        Ranking indicator codes (catalogue and derived), column order of :meth:`point_matrix`.
    base_codes
        Catalogue indicators the codes need.
    base_point
        ``(zones, base)`` year-end point values (NaN = missing).
    sigma_lo, sigma_hi
        ``(zones, base)`` split-normal scales below and above the point (0 for actuals).
    floor
        ``(zones, base)`` lower bound of a drawn value (the year-to-date value of a flow).
    growth_point
        Base code → ``(zones,)`` year-end growth in % (reported or projected).
    basis
        Zone → ``actual`` or ``projected``.
    log
        Records of fallbacks (one dict per event).
    """

    zone_ids: list[str]
    codes: list[str]
    derived: dict[str, DerivedSpec]
    base_codes: list[str]
    base_point: np.ndarray
    sigma_lo: np.ndarray
    sigma_hi: np.ndarray
    floor: np.ndarray
    growth_point: dict[str, np.ndarray]
    basis: pd.Series
    log: list[dict] = field(default_factory=list)
    common_share: np.ndarray | None = None
    zone_share: np.ndarray | None = None

    @property
    def has_spread(self) -> bool:
        """True if any input has a projection interval."""
        return bool(np.any(self.sigma_lo > 0) or np.any(self.sigma_hi > 0))

    def point_matrix(self) -> pd.DataFrame:
        """Zones × codes table of the point values (NaN = missing)."""
        m = derive_indicators(self, self.base_point[None, :, :])[0]
        return pd.DataFrame(m, index=pd.Index(self.zone_ids, name="zone_id"), columns=self.codes)

    def draw_matrix(self, n_draws: int, rng) -> np.ndarray:
        """``(n_draws, zones, codes)`` draws of the year-end indicator matrix.

        Year-end values are split-normal around the point (clipped at the year-to-date value),
        correlated across zones (common year factor) and within a zone across indicators as the
        projections table says; derived indicators are recomputed from the drawn values.
        """
        from zoneanalysis.ranking.uncertainty import draw_input_normals, sample

        zeros = np.zeros(self.base_point.shape)
        common = zeros if self.common_share is None else self.common_share
        zone = zeros if self.zone_share is None else self.zone_share
        z = sample(rng, n_draws, lambda g, n: draw_input_normals(n, common, zone, g))
        scale = np.where(z < 0, self.sigma_lo, self.sigma_hi)
        base = np.maximum(self.base_point + z * scale, self.floor)
        return derive_indicators(self, base)


def base_codes_for(codes: list[str], derived: dict[str, DerivedSpec]) -> list[str]:
    """The catalogue indicators needed to compute ``codes``."""
    out: list[str] = []
    for code in codes:
        for base in derived[code].base_codes if code in derived else (code,):
            if base not in out:
                out.append(base)
    return out


def derive_indicators(inputs: IndicatorInputs, base: np.ndarray) -> np.ndarray:
    """Compute the ranking codes from base values shaped ``(draws, zones, base)``.

    Growth in a draw scales the point growth by the drawn level:
    ``(1 + g/100) x_draw / x_point - 1`` (so the comparable-basis growth of the point is kept).
    Ratios with a non-positive denominator are missing.
    """
    col = {c: i for i, c in enumerate(inputs.base_codes)}
    out = np.empty((base.shape[0], base.shape[1], len(inputs.codes)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, code in enumerate(inputs.codes):
            spec = inputs.derived.get(code)
            if spec is None:
                out[..., k] = base[..., col[code]]
            elif spec.kind == "growth":
                j = col[str(spec.of)]
                point = inputs.base_point[:, j]
                g = inputs.growth_point[str(spec.of)]
                ratio = np.where(point > 0, base[..., j] / np.where(point > 0, point, 1.0), 1.0)
                out[..., k] = ((1.0 + g / 100.0) * ratio - 1.0) * 100.0
            else:
                num = base[..., col[str(spec.numerator)]]
                den = base[..., col[str(spec.denominator)]]
                out[..., k] = np.where(den > 0, spec.scale * num / den, np.nan)
    return out


#: Log line of a zone ranked on projected growth at mid-year (no reported growth published).
PROJECTED_GROWTH_DETAIL = (
    "本期报表没有可比口径同比增速，用预测全年增速（按上年年末值计算，非可比口径）"
)


def _mid_year_growth(
    stats: pd.DataFrame,
    proj: pd.DataFrame,
    year: int,
    month: int,
    zone_ids: list[str],
    codes: list[str],
    log: list[dict],
) -> pd.DataFrame:
    """Growth for speed lists at mid-year: reported comparable growth where published, else projected.

    The reported growth is the bureau's year-to-date 同比 of the period (可比口径, ``yoy_pct``);
    a zone × indicator without it uses the projected year-end growth, and each such case is
    logged (``action`` ``basis``) so the page can say which zones rank on which basis.
    """
    now = stats[(stats["year"] == year) & (stats["month"] == month)]
    reported = _pivot(now[now["yoy_pct"].notna()], "yoy_pct", zone_ids, codes)
    projected = _pivot(proj, "projected_growth_pct", zone_ids, codes)
    fill = reported.isna() & projected.notna()
    for zone_id, code in zip(*np.nonzero(fill.to_numpy())):
        log.append(
            {
                "zone_id": zone_ids[zone_id],
                "indicator": codes[code],
                "action": "basis",
                "detail": PROJECTED_GROWTH_DETAIL,
            }
        )
    return reported.fillna(projected)


def _pivot(frame: pd.DataFrame, column: str, zone_ids: list[str], codes: list[str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(np.nan, index=zone_ids, columns=codes)
    wide = frame.pivot_table(index="zone_id", columns="indicator", values=column, aggfunc="last")
    return wide.reindex(index=zone_ids, columns=codes).astype(float)


def _latest_actual(
    stats: pd.DataFrame, year: int, month: int, zone_ids: list[str], codes: list[str]
) -> pd.DataFrame:
    """Latest actual value up to ``month`` of ``year``, else of last year (stocks and rates)."""
    s = stats[((stats["year"] == year) & (stats["month"] <= month)) | (stats["year"] == year - 1)]
    s = s[s["indicator"].isin(codes)].sort_values(["year", "month"])
    return _pivot(s, "value", zone_ids, codes)


def _split_normal_scales(proj: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    p = proj["projected_value"]
    lo = pd.concat([(p - proj["lower_80"]) / Z80, (p - proj["lower_95"]) / Z95], axis=1).mean(
        axis=1
    )
    hi = pd.concat([(proj["upper_80"] - p) / Z80, (proj["upper_95"] - p) / Z95], axis=1).mean(
        axis=1
    )
    return lo.clip(lower=0).fillna(0.0), hi.clip(lower=0).fillna(0.0)


def build_indicator_inputs(
    stats: pd.DataFrame,
    year: int,
    month: int,
    *,
    codes: list[str],
    derived: dict[str, DerivedSpec],
    zone_ids: list[str],
    projections: pd.DataFrame | None = None,
) -> IndicatorInputs:
    """Collect year-end inputs for ``codes`` over ``zone_ids``.

    Parameters
    ----------
    stats
        ``zone_stats`` (columns zone_id, year, month, indicator, value, yoy_pct).
    year, month
        The period. ``month == 12`` uses actuals; otherwise ``projections`` is required.
    codes
        Ranking indicators (catalogue or derived codes).
    derived
        Derived indicator definitions from the criteria.
    zone_ids
        Zones to collect (row order of the result).
    projections
        The projections table of the period (docs/contracts.md), for ``month < 12``.

    Returns
    -------
    IndicatorInputs
        Points, split-normal scales and floors, growth points, basis per zone, a fallback log.
    """
    catalogue = load_indicator_catalogue()
    base_codes = base_codes_for(codes, derived)
    growth_bases = [str(d.of) for c, d in derived.items() if c in codes and d.kind == "growth"]
    shape = (len(zone_ids), len(base_codes))
    log: list[dict] = []
    sigma_lo = np.zeros(shape)
    sigma_hi = np.zeros(shape)
    floor = np.full(shape, -np.inf)
    common_share = np.zeros(shape)
    zone_share = np.zeros(shape)
    basis = pd.Series(BASIS_ACTUAL, index=zone_ids, dtype="string")
    prev = stats[(stats["year"] == year - 1) & (stats["month"] == 12)]
    prev_value = _pivot(prev, "value", zone_ids, base_codes)

    if month == 12:
        now = stats[(stats["year"] == year) & (stats["month"] == 12)]
        point = _pivot(now, "value", zone_ids, base_codes)
        growth = _pivot(now, "yoy_pct", zone_ids, base_codes)
    else:
        if projections is None:
            raise ValueError("a mid-year period needs the projections table")
        mid = _mid_year_inputs(
            stats, projections, year, month, zone_ids, base_codes, growth_bases, log
        )
        point, growth = mid.point, mid.growth
        sigma_lo, sigma_hi, floor = mid.sigma_lo, mid.sigma_hi, mid.floor
        common_share[:], zone_share[:] = mid.common_share, mid.zone_share
        prev_value = prev_value.fillna(mid.prev_value)
        basis[mid.projected_zones] = BASIS_PROJECTED

    # Stocks and rates missing at year end: keep the latest actual of the year (logged).
    slow = [c for c in base_codes if catalogue[c].kind in ("stock", "rate", "count")]
    if slow:
        _fill_slow_with_latest(point, stats, year, month, zone_ids, slow, log)
    growth_point = _fill_growth(point, growth, prev_value, growth_bases, log)

    return IndicatorInputs(
        zone_ids=list(zone_ids),
        codes=list(codes),
        derived={c: d for c, d in derived.items() if c in codes},
        base_codes=base_codes,
        base_point=point.to_numpy(dtype=float),
        sigma_lo=np.asarray(sigma_lo, dtype=float),
        sigma_hi=np.asarray(sigma_hi, dtype=float),
        floor=np.asarray(floor, dtype=float),
        growth_point=growth_point,
        basis=basis,
        log=log,
        common_share=common_share,
        zone_share=zone_share,
    )


@dataclass
class _MidYear:
    """A mid-year period's inputs read from the projections table."""

    point: pd.DataFrame
    growth: pd.DataFrame
    sigma_lo: np.ndarray
    sigma_hi: np.ndarray
    floor: np.ndarray
    common_share: np.ndarray
    zone_share: np.ndarray
    prev_value: pd.DataFrame
    projected_zones: np.ndarray


def _mid_year_inputs(
    stats: pd.DataFrame,
    projections: pd.DataFrame,
    year: int,
    month: int,
    zone_ids: list[str],
    base_codes: list[str],
    growth_bases: list[str],
    log: list[dict],
) -> _MidYear:
    """Projected year-end points, split-normal scales, year-to-date floors and error shares."""
    catalogue = load_indicator_catalogue()
    proj = projections
    if "is_aggregate" in proj.columns:
        proj = proj[~proj["is_aggregate"].astype(bool)]
    proj = proj[(proj["year"] == year) & (proj["month"] == month)]
    proj = proj[proj["indicator"].isin(base_codes) & proj["zone_id"].isin(zone_ids)]
    lo, hi = _split_normal_scales(proj)
    proj = proj.assign(_lo=lo, _hi=hi)
    point = _pivot(proj, "projected_value", zone_ids, base_codes)
    growth = _mid_year_growth(stats, proj, year, month, zone_ids, base_codes, log)
    log[:] = [e for e in log if e["action"] != "basis" or e["indicator"] in growth_bases]
    ytd = _pivot(proj, "ytd_value", zone_ids, base_codes)
    flows = [c for c in base_codes if catalogue[c].kind == "ytd_flow"]
    ytd_flow = ytd[flows].where(ytd[flows] >= 0)
    floor_frame = pd.DataFrame(-np.inf, index=zone_ids, columns=base_codes)
    floor_frame[flows] = ytd_flow.fillna(-np.inf)
    shares = {}
    for col in ("error_common_share", "error_zone_share"):
        shares[col] = np.zeros((len(zone_ids), len(base_codes)))
        if col in proj.columns:
            shares[col][:] = _pivot(proj, col, zone_ids, base_codes).fillna(0.0).to_numpy()
    return _MidYear(
        point=point,
        growth=growth,
        sigma_lo=_pivot(proj, "_lo", zone_ids, base_codes).fillna(0.0).to_numpy(),
        sigma_hi=_pivot(proj, "_hi", zone_ids, base_codes).fillna(0.0).to_numpy(),
        floor=floor_frame.to_numpy(),
        common_share=shares["error_common_share"],
        zone_share=shares["error_zone_share"],
        prev_value=_pivot(proj, "prev_year_value", zone_ids, base_codes),
        projected_zones=point.notna().any(axis=1).to_numpy(),
    )


def _fill_slow_with_latest(
    point: pd.DataFrame,
    stats: pd.DataFrame,
    year: int,
    month: int,
    zone_ids: list[str],
    slow: list[str],
    log: list[dict],
) -> None:
    """Stocks, rates and counts missing at year end take the latest actual (logged), in place."""
    latest = _latest_actual(stats, year, month, zone_ids, slow)
    gap = point[slow].isna() & latest.notna()
    for zone_id, code in zip(*np.nonzero(gap.to_numpy())):
        log.append(
            {
                "zone_id": zone_ids[zone_id],
                "indicator": slow[code],
                "action": "fallback",
                "detail": "年末值缺失（或预测未覆盖），沿用最近实际值（本年或上年）",
            }
        )
    point[slow] = point[slow].fillna(latest)


def _fill_growth(
    point: pd.DataFrame,
    growth: pd.DataFrame,
    prev_value: pd.DataFrame,
    growth_bases: list[str],
    log: list[dict],
) -> dict[str, np.ndarray]:
    """Growth per base indicator; missing reported growth computed from last year's level (logged).

    The computed growth is not on the comparable basis, so each filled cell is logged.
    """
    growth_point: dict[str, np.ndarray] = {}
    for base in growth_bases:
        g = growth[base]
        computed = (point[base] / prev_value[base] - 1.0) * 100.0
        filled = g.isna() & computed.notna() & point[base].notna()
        for zone_id in g.index[filled]:
            log.append(
                {
                    "zone_id": zone_id,
                    "indicator": base,
                    "action": "imputation",
                    "detail": "缺少报告增速，按上年年末值计算（非可比口径）",
                }
            )
        growth_point[base] = g.fillna(computed).to_numpy(dtype=float)
    return growth_point
