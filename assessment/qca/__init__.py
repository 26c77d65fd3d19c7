"""fsQCA engine: calibration, necessity, truth table and Boolean minimization.

Pure Python + NumPy, no Django. It reproduces the R package QCA (Adrian Dușa) with its
default settings; see ``assessment/qca/README.md`` for the API and the definitions.
"""

from .calibration import calibrate, calibrate_crisp, quantile_anchors
from .configuration import configuration_table, core_literals
from .cover import DEFAULT_TIME_LIMIT, default_time_limit, set_default_time_limit
from .data import MAX_CONDITIONS, MIN_CASES, Dataset, as_dataset
from .errors import (
    AnchorError,
    DataError,
    MembershipRangeError,
    MissingValueError,
    NonNumericError,
    NothingToExplainError,
    ParameterError,
    QCAError,
    TooComplexError,
    TooFewCasesError,
    TooManyConditionsError,
)
from .minimize import (
    MinimizeResult,
    Model,
    Solution,
    Term,
    minimize,
    parse_directional_expectations,
    row_dominance,
)
from .necessity import NECESSITY_THRESHOLD, NecessityRow, SufficiencyRow, necessity, pofind, sufficiency
from .truth_table import TruthTable, TruthTableRow, minmat, parse_sort_by, truth_table

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "MAX_CONDITIONS",
    "MIN_CASES",
    "NECESSITY_THRESHOLD",
    "AnchorError",
    "DataError",
    "Dataset",
    "MembershipRangeError",
    "MinimizeResult",
    "MissingValueError",
    "Model",
    "NecessityRow",
    "NonNumericError",
    "NothingToExplainError",
    "ParameterError",
    "QCAError",
    "Solution",
    "SufficiencyRow",
    "Term",
    "TooComplexError",
    "TooFewCasesError",
    "TooManyConditionsError",
    "TruthTable",
    "TruthTableRow",
    "as_dataset",
    "calibrate",
    "calibrate_crisp",
    "configuration_table",
    "core_literals",
    "default_time_limit",
    "minimize",
    "minmat",
    "necessity",
    "parse_directional_expectations",
    "parse_sort_by",
    "pofind",
    "quantile_anchors",
    "row_dominance",
    "set_default_time_limit",
    "sufficiency",
    "truth_table",
]
