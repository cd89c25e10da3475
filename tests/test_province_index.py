"""The index of a province-scope run: zone links grouped by city with counts, a search box that
works offline, every link in the markup; the manifest names the scope and each zone's city."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pandas as pd

from zoneanalysis.registry import load_zones
from zoneanalysis.reporting.index import (
    SEARCH_SCRIPT,
    ManifestEntry,
    attach_cities,
    render_index,
    write_manifest,
)


def _entries(zone_ids: list[str], failed: str | None = None) -> list[ManifestEntry]:
    names = load_zones().set_index("zone_id")["zone_name"]
    out = [
        ManifestEntry("overview", "overview", "全市总览 · 示例", "overview.html", None, "ok", 1.0),
        ManifestEntry("rankings", "rankings", "排名 · 示例", "rankings.html", None, "ok", 1.0),
        ManifestEntry("province", "province", "全省总览 · 示例", "province.html", None, "ok", 1.0),
    ]
    for z in zone_ids:
        ok = z != failed
        out.append(
            ManifestEntry(
                f"zones/{z}",
                "zone",
                f"{names[z]} · 2016年1-6月",
                f"zones/{z}.html" if ok else None,
                None,
                "ok" if ok else "failed",
                1.0,
                None if ok else "示例错误",
            )
        )
    return out


class _Links(HTMLParser):
    """Collects hrefs, the city groups (heading text → links) and script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.groups: dict[str, list[str]] = {}
        self.scripts: list[str] = []
        self._group: str | None = None
        self._in_h3 = False
        self._in_script = False
        self.search_attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self._group is not None and a["href"].startswith("zones/"):
                self.groups[self._group].append(a["href"])
        if tag == "div" and a.get("class") == "city-group":
            self._group = ""
        if tag == "h3" and self._group == "":
            self._in_h3 = True
        if tag == "li" and "data-search" in a:
            self.search_attrs.append(a["data-search"])
        if tag == "script":
            self._in_script = True
            if "src" in a:
                self.scripts.append("src=" + a["src"])

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_h3 = False
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_h3:  # the city's name is the heading's first text (its count follows)
            self._group = data.strip()
            self.groups.setdefault(self._group, [])
            self._in_h3 = False
        if self._in_script:
            self.scripts.append(data)


def _parse(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


def test_province_index_groups_every_zone_link_by_city_with_counts():
    zones = load_zones()
    ids = list(zones["zone_id"])
    page = render_index(
        _entries(ids), period_label="2016年1-6月", is_sample=True, zones=zones, scope="province"
    )
    links = _parse(page)
    zone_links = [h for h in links.hrefs if h.startswith("zones/")]
    assert sorted(zone_links) == sorted(f"zones/{z}.html" for z in ids)  # each exactly once
    expected = zones.groupby("city", sort=False)["zone_id"].apply(list)
    assert list(links.groups) == list(expected.index)  # registry order, Zhengzhou first
    for city, members in expected.items():
        assert links.groups[city] == [f"zones/{z}.html" for z in members]
        assert f'{city} <span class="n">{len(members)} 个</span>' in page
    assert f"共 {len(ids)} 个，分布在 {len(expected)} 个市" in page
    assert "province.html" in links.hrefs and "全省产业集聚区月度报告" in page


def test_search_box_is_inline_offline_and_hidden_without_scripts():
    zones = load_zones()
    page = render_index(
        _entries(["zz_jingkai", "xinxiang_gaoxin"]),
        period_label="2016年1-6月",
        is_sample=True,
        zones=zones,
        scope="province",
    )
    links = _parse(page)
    assert SEARCH_SCRIPT.strip() in page
    assert not [s for s in links.scripts if s.startswith("src=")]  # nothing loaded from anywhere
    assert not re.search(r"https?://", "".join(links.scripts))
    # the box is hidden in the markup and shown by the script, so without scripts it is absent
    assert re.search(r'<div class="zone-search[^"]*" id="zone-search-box" hidden>', page)
    assert "box.hidden = false" in SEARCH_SCRIPT
    # each link carries what the box searches: name, short name, city, id
    assert "郑州经济技术产业集聚区 经开区 郑州市 zz_jingkai" in links.search_attrs
    assert "新乡高新技术产业集聚区 新乡高新技术 新乡市 xinxiang_gaoxin" in links.search_attrs


def test_a_failed_zone_stays_in_its_city_group_without_a_link():
    zones = load_zones()
    page = render_index(
        _entries(["zz_jingkai", "zz_gaoxin"], failed="zz_gaoxin"),
        period_label="2016年1-6月",
        is_sample=True,
        zones=zones,
        scope="province",
    )
    links = _parse(page)
    assert links.groups["郑州市"] == ["zones/zz_jingkai.html"]
    assert (
        '郑州高新技术产业集聚区 <span class="short">高新区</span> <span class="status-failed">'
        in page
    )


def test_city_index_stays_a_plain_list():
    zones = load_zones()
    page = render_index(
        _entries(["zz_jingkai", "zz_gaoxin"]),
        period_label="2016年1-6月",
        is_sample=True,
        zones=zones,
    )
    assert 'class="city-group"' not in page and "<script>" not in page
    assert "郑州市产业集聚区月度报告" in page
    assert '<a href="zones/zz_jingkai.html">郑州经济技术产业集聚区 · 2016年1-6月</a>' in page


def test_manifest_names_the_scope_and_each_zones_city(tmp_path):
    zones = load_zones()
    entries = attach_cities(_entries(["zz_jingkai", "xinxiang_gaoxin"]), zones)
    write_manifest(entries, tmp_path, period="2016-06", is_sample=True, scope="province")
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert data["scope"] == "province"
    by_key = {r["report"]: r for r in data["reports"]}
    assert by_key["province"]["html"] == "province.html"
    assert by_key["zones/xinxiang_gaoxin"]["city"] == "新乡市"
    assert by_key["zones/zz_jingkai"]["city"] == "郑州市"
    assert by_key["overview"]["city"] is None
    assert pd.Series([r["kind"] for r in data["reports"]]).tolist().count("province") == 1
