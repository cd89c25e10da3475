"""Synthetic sample data (示例数据): the truth and the bureau-style files written from it."""

from zoneanalysis.sample.bureau_files import write_bureau_files
from zoneanalysis.sample.truth import make_truth

__all__ = ["make_truth", "write_bureau_files"]
