"""zoneanalysis: monthly ledger analytics for Zhengzhou's industrial cluster zones (产业集聚区)."""

__version__ = "0.1.0"
