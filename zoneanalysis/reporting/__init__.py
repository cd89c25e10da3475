"""Reports: chart theme, chart and table functions for the notebooks, offline HTML export, batch."""
