"""Rankings 十强/十快/十先 (and the city's 两强/两快), rank uncertainty and stars."""

from zoneanalysis.ranking.criteria import Criteria, ListCriteria, load_criteria
from zoneanalysis.ranking.run import RankingResult, rank_zones, run_ranking

__all__ = [
    "Criteria",
    "ListCriteria",
    "RankingResult",
    "load_criteria",
    "rank_zones",
    "run_ranking",
]
