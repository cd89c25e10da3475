"""docs/backtest.md, generated from the rolling backtest of the sample truth (示例数据).

Run ``python -m zoneanalysis.projection.backtest --write-docs``. Besides accuracy (MAPE by month,
indicator and family of methods) the page publishes the calibration: the mean signed error by
month and year, the misses above and below the 80 % interval, a reliability table of P(meet
target), the correlation estimates (common year factor, zone factor) with their uncertainty, and
the aggregate lines' coverage with correlated and with independent draws.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zoneanalysis.projection.aggregate import backtest_aggregate_coverage
from zoneanalysis.projection.backtest import (
    CANDIDATES,
    COMBINED,
    ETS,
    BacktestResult,
    run_backtest,
)
from zoneanalysis.projection.correlation import estimate_zone_share
from zoneanalysis.projection.history import build_panel
from zoneanalysis.projection.methods import (
    CARRY_GROWTH,
    METHOD_NAMES_ZH,
    REMAINDER_GROWTH,
    RUN_RATE,
    SEASONAL_SHARE,
)
from zoneanalysis.projection.reliability import p_meet_cases, reliability_table
from zoneanalysis.projection.settings import DEFAULT_SETTINGS
from zoneanalysis.projection.spread import split_family

NAMES = {
    "month": "月份",
    "indicator": "指标",
    "year": "年份",
    "n": "预测个数",
    "coverage_80": "80%区间覆盖率",
    "coverage_95": "95%区间覆盖率",
    "bias_pct": "平均误差%",
    "miss_above_80": "高于80%上限%",
    "miss_below_80": "低于80%下限%",
    f"mape_raw_{SEASONAL_SHARE}": "MAPE 基准：历年同期完成比例（未校正）",
    **{f"mape_{k}": f"MAPE {v}" for k, v in METHOD_NAMES_ZH.items()},
}


def markdown_table(frame: pd.DataFrame, floatfmt: str = "{:.1f}") -> str:
    """A Markdown table; floats with ``floatfmt``, NaN as —."""
    cols = list(frame.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [
            ("—" if np.isnan(v) else floatfmt.format(v)) if isinstance(v, float) else str(v)
            for v in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _month_table(frame: pd.DataFrame) -> str:
    first = ["month", "indicator", "n", "coverage_80", "coverage_95"]
    calib = ["bias_pct", "miss_above_80", "miss_below_80"]
    names = (COMBINED, RUN_RATE, ETS, SEASONAL_SHARE, CARRY_GROWTH, REMAINDER_GROWTH)
    methods = [f"mape_{k}" for k in names]
    order = [*first, *calib, *methods, f"mape_raw_{SEASONAL_SHARE}"]
    cols = [c for c in order if c in frame]
    return markdown_table(frame[cols].rename(columns=NAMES))


def _by_year(result: BacktestResult) -> str:
    comb = result.rows[result.rows["method"] == COMBINED]
    table = comb.pivot_table(index="indicator", columns="year", values="pe", aggfunc="mean")
    table.columns = [f"{c}年" for c in table.columns]
    table = table.reset_index().rename(columns={"indicator": "指标"})
    return markdown_table(table, "{:+.2f}")


def _families(result: BacktestResult) -> str:
    families = result.summary_by_family()
    families["family"] = [
        "＋".join(METHOD_NAMES_ZH.get(m, m) for m in split_family(f)) for f in families["family"]
    ]
    families["frequency"] = families["frequency"].map({"monthly": "月度", "quarterly": "季度"})
    return markdown_table(
        families.rename(columns={**NAMES, "frequency": "频率", "family": "参与组合的方法"})
    )


def _reliability(result: BacktestResult) -> str:
    comb = result.rows[result.rows["method"] == COMBINED]
    table = reliability_table(p_meet_cases(comb))
    table = table.rename(
        columns={
            "p_range": "完成概率区间",
            "n": "个数",
            "mean_p": "平均完成概率",
            "share_met": "实际完成比例",
            "gap": "差距",
        }
    )
    return markdown_table(table, "{:.3f}")


def _common_shares(result: BacktestResult) -> pd.DataFrame:
    """ρ per indicator × frequency, with its leave-one-year-out range (jackknife)."""
    comb = result.rows[result.rows["method"] == COMBINED]
    rows = []
    for (ind, freq), g in comb.groupby(["indicator", "frequency"]):
        years = sorted(g["year"].unique())
        jack = [result.common_share(ind, freq, y) for y in years]
        rows.append(
            {
                "indicator": ind,
                "frequency": {"monthly": "月度", "quarterly": "季度"}[freq],
                "rho": result.common_share(ind, freq),
                "rho_min": float(np.min(jack)),
                "rho_max": float(np.max(jack)),
                "years": len(years),
            }
        )
    return pd.DataFrame(rows)


def _aggregates(result: BacktestResult, zones: pd.DataFrame, kappa: float) -> str:
    comb = result.rows[result.rows["method"] == COMBINED]
    sims = DEFAULT_SETTINGS.aggregate_backtest_sims
    corr = backtest_aggregate_coverage(
        comb, zones, lambda i, f, y: result.common_share(i, f, y), kappa, n_sims=sims
    )
    indep = backtest_aggregate_coverage(
        comb, zones, lambda *a: 0.0, 0.0, n_sims=sims, independent=True
    )
    table = corr.groupby(["agg", "indicator"]).agg(
        n=("covered_80", "size"), coverage_80=("covered_80", "mean")
    )
    table["coverage_80_independent"] = indep.groupby(["agg", "indicator"])["covered_80"].mean()
    table[["coverage_80", "coverage_80_independent"]] *= 100.0
    total = pd.DataFrame(
        {
            "n": [len(corr)],
            "coverage_80": [corr["covered_80"].mean() * 100.0],
            "coverage_80_independent": [indep["covered_80"].mean() * 100.0],
        },
        index=pd.MultiIndex.from_tuples([("全部", "全部")], names=["agg", "indicator"]),
    )
    table = pd.concat([table, total]).reset_index()
    return markdown_table(
        table.rename(
            columns={
                "agg": "合计口径",
                "indicator": "指标",
                "n": "个数",
                "coverage_80": "80%覆盖率（相关抽样）",
                "coverage_80_independent": "80%覆盖率（按独立抽样，旧做法）",
            }
        )
    )


INTRO = (
    "数据：`zoneanalysis.sample.truth.make_truth()` 的示例数据（2012-2016，非真实统计）。"
    "滚动起点：对 2013-2015 年的每个月（2-11月），只用当时可得的数据预测年末值，与实际年末值比较。"
    "MAPE 为平均绝对百分比误差（%），平均误差为带符号的 (预测 − 实际)/实际（%，正数偏高）。\n\n"
    "**偏差校正**：每种方法按 指标 × 月度/季度 × 月份 测出的偏差（使平均百分比误差为零的剩余部分"
    "系数，取对数）先乘以 n/(n+k) 向零收缩（n 为测得偏差的年数，k 按指标用留一年交叉验证从"
    "{0, 0.5, 1, 2, 4, ∞} 中选定），给某一年打分时只用其他年份测出的偏差。"
    "**组合权重** ∝ 1/损失²，损失 = MAPE + |平均误差|，同样留一年外推。"
    "区间、覆盖率、完成概率都是样本外的。statsmodels 指数平滑（ETS，Holt-Winters 阻尼趋势 + 季节）"
    "只用于月度序列，需要至少两个完整往年。月度序列的组合区间用 ETS 模拟路径的形状，宽度按回测校准；"
    "其他序列的对数正态区间按“参与组合的方法”（历史长短）分别校准。"
    "只有一个完整往年时用沿用累计增速与一年的同期完成比例；没有可回测的年份时两者各半，"
    "区间按两种方法的分歧放宽（见 `zoneanalysis/projection/settings.py`）。"
)


def write_docs(out: Path, *, with_ets: bool = True) -> Path:
    """Regenerate docs/backtest.md from the sample truth (示例数据) of 2012-2016.

    Parameters
    ----------
    out
        The Markdown file to write.
    with_ets
        Include the statsmodels ETS method (as in the monthly projection).

    Returns
    -------
    Path
        ``out``.
    """
    from zoneanalysis.atomic import write_text_atomic
    from zoneanalysis.sample.truth import make_truth

    panel = build_panel(make_truth(), until=(2016, 9))
    candidates = CANDIDATES if with_ets else tuple(c for c in CANDIDATES if c != ETS)
    result = run_backtest(panel, panel.year_index(2016), candidates=candidates)
    comb = result.rows[result.rows["method"] == COMBINED]
    kappa = estimate_zone_share(comb)
    text = ["# 年末预测回测（示例数据）", ""]
    text += ["由 `python -m zoneanalysis.projection.backtest --write-docs` 生成，请勿手改。", ""]
    text += [INTRO, "", "## 按月份（全部指标、全部序列）", ""]
    text += [
        "“平均误差%”“高于/低于80%上限/下限%”是校准情况（目标：平均误差绝对值 ≤ 1%，"
        "两侧各 5%-15%）；最后一列是未经偏差校正的历年同期完成比例，作为基准。"
        "“MAPE 指数平滑（ETS）”一列只含 ETS 有预测的月度序列。",
        "",
        _month_table(result.summary()),
    ]
    if with_ets:
        text += ["", "## 月度序列中 ETS 有预测的部分（各方法同一批预测）", ""]
        text += [_month_table(result.summary_ets_rows())]
    text += ["", "## 平均误差按指标与年份（%，样本外）", "", _by_year(result)]
    text += ["", "## 按指标（全部月份）", "", _month_table(result.summary_by_indicator())]
    text += ["", "## 完成概率的可靠性", ""]
    text += [
        "回测中没有目标，所以以上年实际值增长 "
        + "、".join(f"{g:g}%" for g in DEFAULT_SETTINGS.reliability_growths_pct)
        + " 作为目标，对每个回测预测计算“完成概率”，按概率分组后与实际完成的比例比较"
        "（目标：个数 ≥ 20 的组差距 ≤ 0.08）。",
        "",
        _reliability(result),
    ]
    text += _correlation_section(result, kappa)
    text += ["", "## 按序列频率与参与组合的方法（全部月份）", "", _families(result)]
    return write_text_atomic("\n".join(text) + "\n", out)


def _correlation_section(result: BacktestResult, kappa) -> list[str]:
    from zoneanalysis.registry import load_zones

    rho = _common_shares(result).rename(
        columns={
            "indicator": "指标",
            "frequency": "频率",
            "rho": "共同年度因子 ρ",
            "rho_min": "留一年最小",
            "rho_max": "留一年最大",
            "years": "回测年数",
        }
    )
    return [
        "",
        "## 误差的相关性与合计口径的区间",
        "",
        "同一年里各集聚区的误差常同向：ρ 是误差方差中所有集聚区共有的部分（按 年 × 月 的平均误差，"
        "以零为中心的矩估计，误差已是样本外校正后的），括号外为全部年份的估计，"
        "“留一年”两列为依次去掉一个年份后的范围（回测年份少，ρ 的不确定性主要来自这里）。",
        "",
        markdown_table(rho, "{:.3f}"),
        "",
        f"同一集聚区各指标之间（去掉共同部分后）共有的误差份额 κ = {kappa.value:.3f}"
        f"（按集聚区自助抽样 10%-90% 范围 {kappa.low:.3f}-{kappa.high:.3f}，{kappa.n_cases} 个误差）。"
        "模拟时第 i 条序列的标准正态抽样为 √ρ·C + √((1−ρ)κ)·Z_集聚区 + √((1−ρ)(1−κ))·ε_i，"
        "C 为全部序列共有，Z 为同一集聚区各指标共有；预测表的 `error_common_share`、"
        "`error_zone_share` 两列给出每行的两个份额，排名的蒙特卡洛按同样方式抽样。",
        "",
        "合计口径（省级集聚区、市级园区、全部）的 80% 区间覆盖率：成员按各自样本外的预测分布、"
        "带共同因子与集聚区因子抽样后逐条加总（目标 65%-95%）；对比列为按独立抽样（旧做法）。",
        "",
        _aggregates(result, load_zones(), kappa.value),
    ]
