"""Which rows a rankings list shows: the top ranks, every Zhengzhou zone, and labelled gaps."""

import pandas as pd
import pytest

from zoneanalysis.reporting import charts, views


def _list(n: int = 12, zhengzhou=(2, 7, 12), changes=None) -> pd.DataFrame:
    """A fake list of ``n`` zones (示例), ranks 1..n; ``zhengzhou`` are the Zhengzhou ranks."""
    ranks = list(range(1, n + 1))
    return pd.DataFrame(
        {
            "list": "shiqiang",
            "list_name_zh": "十强（示例）",
            "zone_id": [f"z{r:02d}" for r in ranks],
            "zone_name": [f"示例区{r:02d}" for r in ranks],
            "score": [100.0 - r for r in ranks],
            "rank": ranks,
            "rank_p05": [max(1, r - 1) for r in ranks],
            "rank_p95": [r + 1 for r in ranks],
            "p_top_n": [1.0 if r <= 3 else 0.0 for r in ranks],
            "top_n": 3,
            "is_zhengzhou": [r in zhengzhou for r in ranks],
            "rank_change": changes if changes is not None else [0] * n,
            "basis": "projected",
        }
    )


def test_top_ranks_and_every_zhengzhou_zone_with_gap_rows():
    out = views.select_rank_rows(_list(), head=3)
    assert list(out["row_label"]) == [
        "示例区01",
        "示例区02",
        "示例区03",
        "⋯ 略去第 4–6 名（3 个）",
        "示例区07",
        "⋯ 略去第 8–11 名（4 个）",
        "示例区12",
    ]
    assert list(out["is_gap"]) == [False, False, False, True, False, True, False]
    assert out.loc[out["is_gap"], "rank"].isna().all()
    assert not out.loc[out["is_gap"], "is_zhengzhou"].any()


def test_trailing_gap_and_single_rank_gap():
    out = views.select_rank_rows(_list(n=6, zhengzhou=(5,)), head=3)
    assert list(out["row_label"]) == [
        "示例区01",
        "示例区02",
        "示例区03",
        "⋯ 略去第 4 名（1 个）",
        "示例区05",
        "⋯ 略去第 6 名（1 个）",
    ]


def test_ties_at_the_edge_are_kept_and_short_lists_have_no_gap():
    frame = _list(n=5, zhengzhou=())
    frame.loc[3, "rank"] = 3  # two zones share rank 3
    out = views.select_rank_rows(frame, head=3)
    assert list(out["row_label"])[:4] == ["示例区01", "示例区02", "示例区03", "示例区04"]
    assert views.select_rank_rows(_list(n=4), head=20)["is_gap"].sum() == 0


@pytest.mark.parametrize(
    ("change", "text"),
    [(3, "↑ 上升 3 位"), (-2, "↓ 下降 2 位"), (0, "持平"), (None, "—"), (1.0, "↑ 上升 1 位")],
)
def test_rank_change_in_plain_chinese(change, text):
    # rank_change = last year's rank − this year's: positive means moved up (better)
    assert views.describe_rank_change(change) == text


def test_head_is_top_n_plus_margin_at_least_twenty():
    assert views.count_rank_head(10) == 20
    assert views.count_rank_head(20) == 30
    assert views.count_rank_head(2) == 20


def test_rankings_table_is_compact_and_explains_change():
    frame = _list(changes=[1, -2] + [0] * 10)
    out = views.build_rankings_view(frame, pd.DataFrame(), "shiqiang", head=3)
    assert len(out) == 7  # 3 top + 2 Zhengzhou beyond + 2 gap rows
    assert list(out[views.RANK_COLUMN])[:4][3] == "⋯"
    assert list(out[views.RANK_COLUMN])[0].startswith("第 1 名（")
    assert list(out["较上年"])[:2] == ["↑ 上升 1 位", "↓ 下降 2 位"]
    assert out.loc[3, "较上年"] == "" and pd.isna(out.loc[3, "得分"])
    full = views.build_rankings_view(frame, pd.DataFrame(), "shiqiang")
    assert len(full) == 12


def test_zone_rank_table_uses_the_same_wording():
    frame = _list(changes=[0, -4] + [0] * 10)
    out = views.build_rank_table(frame, "z02")
    assert list(out["较上年"]) == ["↓ 下降 4 位"]


def test_rank_chart_draws_only_the_selected_rows_in_rank_order():
    shown = views.select_rank_rows(_list(), head=3)
    spec = charts.chart_rank_intervals(shown, title="示例", top_n=3).to_dict()
    sorts = [p["layer"][0]["encoding"]["y"]["sort"] for p in spec["vconcat"] if "layer" in p]
    assert sorts == [["示例区01", "示例区02", "示例区03"], ["示例区07"], ["示例区12"]]
    drawn = [v for d in spec["datasets"].values() for v in d]
    labels = {r["row_label"] for r in drawn if "row_label" in r}
    assert "示例区05" not in labels and "示例区12" in labels


def test_blocks_split_at_gaps_each_with_its_own_rank_range():
    blocks = views.split_rank_blocks(views.select_rank_rows(_list(), head=3))
    assert [list(b.rows["row_label"]) for b in blocks] == [
        ["示例区01", "示例区02", "示例区03"],
        ["示例区07"],
        ["示例区12"],
    ]
    # head from rank 1 to the widest p95 (rank 3 + 1); later blocks span their intervals
    assert [(b.lo, b.hi) for b in blocks] == [(1, 4), (6, 8), (11, 13)]
    assert [b.gap_after for b in blocks] == [
        "⋯ 略去第 4–6 名（3 个）",
        "⋯ 略去第 8–11 名（4 个）",
        None,
    ]


def test_trailing_gap_and_a_wide_head_interval_is_cut_at_twice_the_last_rank():
    frame = _list(n=6, zhengzhou=(5,))
    frame.loc[1, "rank_p95"] = 6  # rank 2 may fall to 6; the head axis stops at 2 × 3
    blocks = views.split_rank_blocks(views.select_rank_rows(frame, head=3))
    assert (blocks[0].lo, blocks[0].hi) == (1, 6)
    frame.loc[1, "rank_p95"] = 40
    blocks = views.split_rank_blocks(views.select_rank_rows(frame, head=3))
    assert (blocks[0].lo, blocks[0].hi) == (1, 6)
    assert blocks[-1].gap_after == "⋯ 略去第 6 名（1 个）"
    assert list(blocks[-1].rows["row_label"]) == ["示例区05"]


def test_split_chart_gives_each_block_its_own_axis_and_marks_cut_intervals():
    frame = _list()
    frame.loc[1, "rank_p95"] = 40  # cut at the head's edge (rank 6)
    shown = views.select_rank_rows(frame, head=3)
    spec = charts.chart_rank_intervals(shown, title="示例", top_n=3).to_dict()
    parts = spec["vconcat"]
    assert len(parts) == 5  # block, gap, block, gap, block
    texts = [d for d in spec["datasets"].values() if d and "label" in d[0] and "x" not in d[0]]
    assert [t[0]["label"] for t in texts] == ["⋯ 略去第 4–6 名（3 个）", "⋯ 略去第 8–11 名（4 个）"]
    domains = [p["layer"][1]["encoding"]["x"]["scale"]["domain"] for p in parts if "layer" in p]
    # Every block spans as many ranks as the widest (the head's 1–6), so widths compare.
    assert domains == [[0.5, 6.5], [4.5, 10.5], [9.5, 15.5]]
    head = parts[0]["layer"]
    assert len(head) == 4  # whisker, dots, ▸ marker for the cut interval, top-N line
    assert head[2]["mark"]["shape"] == "triangle-right"
    assert "▸" in head[1]["encoding"]["x"]["title"]
    assert all(len(p["layer"]) == 2 for p in parts[2::2])  # no cut, no top-N line below
    assert "每段横轴同样宽" in parts[2]["layer"][1]["encoding"]["x"]["title"]


def test_unsplit_chart_stays_one_layer_for_a_zone_report():
    rows = _list(zhengzhou=(2, 7, 12))
    rows = rows[rows["is_zhengzhou"]]
    spec = charts.chart_rank_intervals(rows, title="示例", top_n=3, highlight="示例区07").to_dict()
    assert "layer" in spec and "vconcat" not in spec
    assert spec["layer"][1]["encoding"]["x"]["scale"]["domain"] == [0.5, 13.5]
