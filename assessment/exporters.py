"""The round's score table as an Excel export (datahub.exports: at once when small, a background job when large)."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from datahub.exports import Export, exporter
from datahub.params import as_id

from . import rules, selectors

ROUND_SCORES = "assessment.round_scores"
SCORE_HEADERS = (
    gettext_lazy("排名"),
    gettext_lazy("评估对象"),
    gettext_lazy("单位编码"),
    gettext_lazy("成熟度指数"),
    gettext_lazy("等级"),
    gettext_lazy("技术"),
    gettext_lazy("组织"),
    gettext_lazy("环境"),
    gettext_lazy("最强维度"),
    gettext_lazy("最弱维度"),
    gettext_lazy("改进建议"),
)


@exporter(ROUND_SCORES)
def round_scores_export(user, params: QueryDict) -> Export:
    """The scores of round ``params["round"]`` the user reads, narrowed like the page (``q``, ``level``);
    a round the user no longer reads gives an empty file."""
    round_ = selectors.round_for(user, as_id(params.get("round")))
    if round_ is None:
        return Export(_("成熟度评估.xlsx"), SCORE_HEADERS, list, 0)
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

    return Export(_("成熟度评估_%(year)s.xlsx") % {"year": round_.year}, SCORE_HEADERS, rows, scores.count())
