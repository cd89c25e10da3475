"""The project ledger (月台账): major projects, industry clusters and the plan's count targets."""
