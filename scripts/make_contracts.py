"""Write the table sections of docs/contracts.md from the field dictionary.

Usage: ``python scripts/make_contracts.py`` (rewrite the marked block) or ``--check`` (exit 1 if
the file disagrees with the dictionary).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zoneanalysis.schema.contracts import contracts_text

CONTRACTS = Path(__file__).resolve().parents[1] / "docs" / "contracts.md"


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` compare) the generated block of docs/contracts.md."""
    parser = argparse.ArgumentParser(description="由字段字典生成 docs/contracts.md 的表格部分")
    parser.add_argument("--check", action="store_true", help="只检查文件是否与字段字典一致")
    parser.add_argument("--file", type=Path, default=CONTRACTS, help="contracts.md 的路径")
    args = parser.parse_args(argv)
    try:
        wanted = contracts_text(args.file)
    except (OSError, ValueError) as exc:
        print(f"错误：{args.file}：{exc}", file=sys.stderr)
        return 1
    if args.check:
        if args.file.read_text(encoding="utf-8") != wanted:
            print(
                f"{args.file} 与字段字典不一致：请运行 python scripts/make_contracts.py",
                file=sys.stderr,
            )
            return 1
        return 0
    args.file.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
