"""Compare two report folders page by page, byte for byte, masking only the generation time.

Every page carries ``生成于 YYYY-MM-DD HH:MM`` (``exporter.describe_provenance``); that stamp is
replaced by a fixed text before comparing, nothing else. Exit status 1 if any page differs or a
page is in one folder only.

Usage: python bench/compare_reports.py BEFORE_DIR AFTER_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STAMP = re.compile(
    rb"\xe7\x94\x9f\xe6\x88\x90\xe4\xba\x8e \d{4}-\d{2}-\d{2} \d{2}:\d{2}"
)  # 生成于 …


def compare(before: Path, after: Path) -> tuple[int, int, list[str]]:
    """(pages byte-identical, identical once the stamp is masked, the differing or unpaired pages)."""
    pages_a = {p.relative_to(before) for p in before.rglob("*.html")}
    pages_b = {p.relative_to(after) for p in after.rglob("*.html")}
    bad = sorted(str(p) for p in pages_a ^ pages_b)
    same = masked = 0
    for rel in sorted(pages_a & pages_b):
        x, y = (before / rel).read_bytes(), (after / rel).read_bytes()
        if x == y:
            same += 1
        if STAMP.sub(b"<time>", x) == STAMP.sub(b"<time>", y):
            masked += 1
        else:
            bad.append(str(rel))
    return same, masked, bad


def main(argv: list[str] | None = None) -> int:
    before, after = (Path(a) for a in (argv or sys.argv[1:]))
    same, masked, bad = compare(before, after)
    print(f"逐字节相同 {same} 页；屏蔽生成时间后相同 {masked} 页；不同或只在一边 {len(bad)} 页")
    for rel in bad:
        print("  ", rel)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
