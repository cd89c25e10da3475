"""Sentences that state a rule to the reader, written from the rule's configured value.

Notebooks show these instead of restating a number in markdown, so a changed rule can never
leave a stale sentence behind.
"""

from __future__ import annotations

from zoneanalysis.labels import AT_RISK
from zoneanalysis.rules.report import ReportRules, load_report_rules


def _number(x: float) -> str:
    return f"{x:g}"


def describe_count_lag(rules: ReportRules | None = None) -> str:
    """What “滞后” means for project and count targets.

    Examples
    --------
    >>> describe_count_lag()
    '“滞后”表示任务进度落后时间进度 5 个百分点以上。'
    """
    rules = rules or load_report_rules()
    return f"“滞后”表示任务进度落后时间进度 {_number(rules.ledger.count_lag_pp)} 个百分点以上。"


def describe_project_counts(rules: ReportRules | None = None) -> str:
    """The paragraph under the city overview's 重大项目 heading."""
    return "全市今年新开工和竣工投产的重大项目个数，对照全年目标和时间进度；" + describe_count_lag(
        rules
    )


def describe_investment_lag(rules: ReportRules | None = None) -> str:
    """What “滞后” means for one project's investment."""
    rules = rules or load_report_rules()
    lag = _number(rules.ledger.investment_lag_pp)
    return f"项目本年投资完成率落后时间进度 {lag} 个百分点以上的，标为“滞后”。"


def describe_big_project_rule(rules: ReportRules | None = None) -> str:
    """The plan's newly-introduced big-project rule with the configured thresholds (亿元).

    Examples
    --------
    >>> describe_big_project_rule()[:44]
    '计划要求每个省级产业集聚区新引进至少 1 个 10 亿元以上项目、每个市级工业专业园区至少 1 个 5 亿元以上项目'
    """
    rules = rules or load_report_rules()
    limits = rules.ledger.big_project_min_investment
    parts = []
    if "provincial" in limits:
        parts.append(
            f"每个省级产业集聚区新引进至少 1 个 {_number(limits['provincial'])} 亿元以上项目"
        )
    if "city_park" in limits:
        parts.append(f"每个市级工业专业园区至少 1 个 {_number(limits['city_park'])} 亿元以上项目")
    return (
        f"计划要求{'、'.join(parts)}；计划把这类项目的开工作为考核评先的前置条件，所以只有"
        "“已引进且已开工”才算完成；已引进但未开工的标为“已引进、未开工”，不计入完成数"
        "（下方“数量类目标”中的同名一行用同一口径）。尚未完成的排在前面。"
    )


def describe_rank_head_rule(rules: ReportRules | None = None) -> str:
    """How many ranks each list shows (the rankings page's opening paragraph)."""
    rules = rules or load_report_rules()
    margin, minimum = rules.display.rank_head_margin, rules.display.rank_head_minimum
    return (
        f"每个榜单只列出前若干名（前 N 名再往后 {margin} 名，至少前 {minimum} 名）和郑州的全部"
        "集聚区，郑州的集聚区以蓝色加粗标出；中间略去的名次用灰色“⋯ 略去第 a–b 名（k 个）”一行"
        "标明。图按略去处分段，每段有自己的横轴（名次刻度），以免靠后的郑州集聚区把前几名挤在一角；"
        "段与段之间刻度不同，请看各段横轴标注。区间超出横轴的，在边缘以 ▸ 标出，完整区间见提示和表格。"
    )


def describe_star_risk(rules: ReportRules | None = None) -> str:
    """When a star target counts as at risk."""
    rules = rules or load_report_rules()
    p = rules.stars.at_risk_probability
    return f"达到目标星级的概率低于 {p * 100:g}% 时标“{AT_RISK}”。"


def describe_missing_targets(year: int) -> str:
    """The note shown when the projected year has no targets file.

    Examples
    --------
    >>> describe_missing_targets(2015)
    '2015 年：该年没有目标文件，预测不与目标比较（完成概率、所需增速、任务进度为空）。'
    """
    return f"{year} 年：该年没有目标文件，预测不与目标比较（完成概率、所需增速、任务进度为空）。"
