"""Write output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success.

    Parameters
    ----------
    target
        The final file path. Its folder is created if needed.

    Yields
    ------
    Path
        A temporary file in the same folder (so the final rename is atomic).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; give the output the usual permissions of new files.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _write_atomic(target: str | Path, write: Callable[[Path], None]) -> Path:
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)


def write_parquet_atomic(frame: pd.DataFrame, target: str | Path) -> Path:
    """Write ``frame`` as parquet to ``target`` atomically."""
    return _write_atomic(target, lambda p: frame.to_parquet(p, index=False))


def write_csv_atomic(frame: pd.DataFrame, target: str | Path) -> Path:
    """Write ``frame`` as UTF-8 CSV with BOM (opens cleanly in Excel) to ``target`` atomically."""
    return _write_atomic(target, lambda p: frame.to_csv(p, index=False, encoding="utf-8-sig"))


def write_text_atomic(text: str, target: str | Path) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    return _write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))
