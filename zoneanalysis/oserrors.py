"""Operating-system errors (disk full, read-only folder, …) said in the reader's words.

The CLI catches every :class:`OSError` at its boundary and prints :func:`describe_os_error`'s
message instead of a traceback: which path, what went wrong, what to do.
"""

from __future__ import annotations

import errno
from pathlib import Path

# errno → (what happened, what to do); ``{path}`` is the path named in the message
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        "磁盘空间不足，文件没有写完",
        "请清理该磁盘上的空间，或用 --out/--processed 指向空间充足的目录，然后重新运行。",
    ),
    errno.EDQUOT: (
        "超出磁盘配额，文件没有写完",
        "请清理空间或请管理员提高配额，然后重新运行。",
    ),
    errno.EFBIG: (
        "文件超过了系统允许的单个文件大小上限",
        "请检查文件大小限制（ulimit -f）或换一个文件系统的目录，然后重新运行。",
    ),
    errno.EROFS: (
        "该位置在只读的文件系统上，无法写入",
        "请用 --out/--processed 指定一个可写的目录。",
    ),
    errno.EACCES: (
        "没有读写权限",
        "请用 --out/--processed 换一个有写权限的目录，或请管理员修改该目录的权限。",
    ),
    errno.EPERM: (
        "操作不被允许（权限不足）",
        "请换一个有写权限的目录，或请管理员修改权限。",
    ),
    errno.EEXIST: (
        "该路径已存在，但它是一个文件，不是目录",
        "输出位置必须是目录：请指定一个目录，或先移走这个同名文件。",
    ),
    errno.ENOTDIR: (
        "路径中有一段是文件，不是目录",
        "输出位置必须是目录：请检查路径，或先移走路径中的同名文件。",
    ),
    errno.EISDIR: (
        "这里需要一个文件，但该路径是目录",
        "请指定文件路径，或移走同名的目录。",
    ),
    errno.ENOENT: (
        "找不到该文件或目录",
        "请检查路径是否写对、文件是否存在。",
    ),
    errno.ENAMETOOLONG: ("路径太长", "请换一个较短的目录。"),
    errno.EMFILE: (
        "同时打开的文件太多",
        "请减少 --jobs，或提高系统的打开文件数限制（ulimit -n）。",
    ),
}


def _shown_path(name: object) -> str:
    """A path for the message; our hidden working files are shown as the folder they sit in."""
    path = Path(str(name))
    if path.name.startswith(".") and (path.name.endswith(".tmp") or ".partial-" in path.name):
        return str(path.parent)
    return str(path)


def describe_os_error(exc: OSError, fallback: str | Path | None = None) -> str:
    """One Chinese message for an OS error: the path, what went wrong, what to do.

    Parameters
    ----------
    exc
        The error; ``exc.filename`` names the path when the system gave one.
    fallback
        The folder the command was writing to, named when the error carries no path (a write
        that fails with ENOSPC or EFBIG usually has none).

    Returns
    -------
    str
        For example ``reports/2016-06：磁盘空间不足，文件没有写完``, then a line ``处理办法：…``.
    """
    name = exc.filename if exc.filename is not None else fallback
    where = _shown_path(name) if name is not None else "输出位置"
    if exc.filename2 is not None:
        where += f" → {_shown_path(exc.filename2)}"
    what, todo = _REASONS.get(
        exc.errno or -1,
        (f"系统错误：{exc.strerror or exc}", "请检查该路径与磁盘，然后重新运行。"),
    )
    return f"{where}：{what}\n  处理办法：{todo}"
