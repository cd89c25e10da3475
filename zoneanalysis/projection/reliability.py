"""Is P(meet target) calibrated? Backtest cases binned by the probability they were given.

The backtest has no targets of its own, so every tested row is scored against growth targets
over last year's year-end (``settings.reliability_growths_pct``, e.g. 0 %, 5 % … 20 %): the
projection's P(year-end ≥ target) from its out-of-sample predictive law, and whether the year-end
actually reached it. In a calibrated projection, of the cases given p ≈ 0.2, about one in five met
the target; the gap is |mean p − share met| per bin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zoneanalysis.projection.backtest import predictive_cdf
from zoneanalysis.projection.settings import DEFAULT_SETTINGS, ProjectionSettings


def p_meet_cases(
    combined: pd.DataFrame, settings: ProjectionSettings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """One case per backtest row × growth target: the projected P(meet) and whether it was met.

    Parameters
    ----------
    combined
        The combined method's backtest rows (with ``prev_end``, ``sigma_log``, ``sd_abs``).
    settings
        ``reliability_growths_pct``.

    Returns
    -------
    pandas.DataFrame
        ``indicator``, ``year``, ``month``, ``growth_pct``, ``p_meet``, ``met``.
    """
    rows = combined[np.isfinite(combined["prev_end"]) & (combined["prev_end"] > 0)]
    parts = []
    for g in settings.reliability_growths_pct:
        target = rows["prev_end"].to_numpy(float) * (1.0 + g / 100.0)
        p = 1.0 - predictive_cdf(rows, target)
        parts.append(
            rows[["indicator", "year", "month"]].assign(
                growth_pct=g, p_meet=p, met=rows["actual"].to_numpy(float) >= target
            )
        )
    if not parts:
        return pd.DataFrame(columns=["indicator", "year", "month", "growth_pct", "p_meet", "met"])
    out = pd.concat(parts, ignore_index=True)
    return out[np.isfinite(out["p_meet"])]


def reliability_table(
    cases: pd.DataFrame, settings: ProjectionSettings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Per bin of P(meet): ``n``, ``mean_p``, ``share_met`` and ``gap`` (|mean_p − share_met|).

    Parameters
    ----------
    cases
        From :func:`p_meet_cases`.
    settings
        ``reliability_bins`` (edges; the last bin includes 1).
    """
    edges = np.asarray(settings.reliability_bins, float)
    idx = np.clip(
        np.searchsorted(edges, cases["p_meet"].to_numpy(float), side="right") - 1, 0, len(edges) - 2
    )
    frame = cases.assign(bin=idx)
    out = frame.groupby("bin").agg(
        n=("p_meet", "size"), mean_p=("p_meet", "mean"), share_met=("met", "mean")
    )
    out = out.reindex(range(len(edges) - 1))
    out["n"] = out["n"].fillna(0).astype(int)
    out.insert(0, "p_range", [f"{edges[i]:.1f}–{edges[i + 1]:.1f}" for i in out.index])
    out["gap"] = (out["mean_p"] - out["share_met"]).abs()
    return out.reset_index(drop=True)
