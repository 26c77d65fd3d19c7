"""The round's score table as an Excel export (datahub.exports: at once when small, a background job when large)."""

from django.http import QueryDict

from datahub.exports import Export, exporter
from datahub.params import as_id

from . import rules, selectors

ROUND_SCORES = "assessment.round_scores"
SCORE_HEADERS = (
    "排名",
    "评估对象",
    "单位编码",
    "成熟度指数",
    "等级",
    "技术",
    "组织",
    "环境",
    "最强维度",
    "最弱维度",
    "改进建议",
)


@exporter(ROUND_SCORES)
def round_scores_export(user, params: QueryDict) -> Export:
    """The scores of round ``params["round"]`` the user reads, narrowed like the page (``q``, ``level``);
    a round the user no longer reads gives an empty file."""
    round_ = selectors.round_for(user, as_id(params.get("round")))
    if round_ is None:
        return Export("成熟度评估.xlsx", SCORE_HEADERS, list, 0)
    scores = selectors.scores_for(
        user, round_=round_, search=(params.get("q") or "").strip(), level=params.get("level") or ""
    )

    def rows():
        for s in scores.iterator(chunk_size=2000):
            yield (
                s.rank,
                s.case.name,
                s.case.code,
                s.index,
                s.level_name,
                s.score_t,
                s.score_o,
                s.score_e,
                rules.DIMENSION_NAMES[s.strongest],
                rules.DIMENSION_NAMES[s.weakest],
                s.recommendation,
            )

    return Export(f"成熟度评估_{round_.year}.xlsx", SCORE_HEADERS, rows, scores.count())
