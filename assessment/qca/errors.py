"""Errors raised by the fsQCA engine.

Every error is a :class:`ValueError` subclass whose message is written in Chinese for the
person who prepared the data (a civil servant, not a statistician): it names the column,
the case or the truth-table row that is wrong and says what to do about it.

The engine imports no Django, so it cannot translate. An error keeps its message as a code (the
untranslated ``%(name)s`` template, the msgid of the platform's catalogue) and its values; ``str()`` is the
Chinese sentence, and the platform's boundary (``assessment.analyses.qca_message``) reads it in the
reader's language. An error raised with a plain sentence (no values) keeps that sentence as its code.
"""


def gettext_noop(message: str) -> str:
    """Marks a message for the platform's catalogue (its extraction looks for this name); returns it as is."""
    return message


class QCAError(ValueError):
    """Base class of every error the engine raises on bad input."""

    def __init__(self, code: str = "", /, **values):
        self.code = code
        self.values = values
        super().__init__(code % values if values else code)


class DataError(QCAError):
    """The data cannot be read: unknown column, wrong shape, duplicated names."""


class MissingValueError(DataError):
    """A value needed by the analysis is empty (None, NaN or a blank string)."""


class NonNumericError(DataError):
    """A value is not a number."""


class MembershipRangeError(DataError):
    """A set membership score lies outside [0, 1] (the column was not calibrated)."""


class AnchorError(QCAError):
    """Calibration anchors in the wrong order, or otherwise unusable."""


class TooFewCasesError(QCAError):
    """Fewer than two cases."""


class TooManyConditionsError(QCAError):
    """More conditions than the engine allows (see ``MAX_CONDITIONS``)."""


class ParameterError(QCAError):
    """A cut-off or another parameter is out of its range."""


class NothingToExplainError(QCAError):
    """The truth table has no row with OUT = 1, or every row is positive."""


class TooComplexError(QCAError):
    """The prime implicant chart has more equally minimal models than the engine will list."""
