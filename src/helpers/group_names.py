"""Group names spelled out for prose and alt text; the data's short labels are for tables.

The datasets label race and ethnicity groups briefly (``"AIAN"``, ``"NHPI"``,
``"Hispanic/Latino"``) so that tables stay narrow. Sentences a reader hears from a screen
reader, and prose in general, use the full names of the US federal (OMB) categories.

* :data:`GROUP_NAMES` - short label → full name.
* :func:`spell_out` - the full name of one label (labels it does not know, such as "Overall", are
  returned unchanged; :func:`helpers.categories.spell_out` does the same for a whole Series and
  refuses unknown labels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from helpers.categories import GROUP_NAMES as _CATEGORY_NAMES

__all__ = ["GROUP_NAMES", "spell_out"]

#: Short labels of the workbook's data → the names used in prose and alt text (one list for the
#: whole workbook: the same mapping as :data:`helpers.categories.GROUP_NAMES`).
GROUP_NAMES: Mapping[str, str] = _CATEGORY_NAMES


def spell_out(label: Any, names: Mapping[str, str] | None = None) -> str:
    """The full name of a group label, for prose and alt text.

    Parameters
    ----------
    label
        A group label as it appears in the data (``"AIAN"``).
    names : mapping, optional
        Your own label → name mapping (default :data:`GROUP_NAMES`).

    Returns
    -------
    str
        The full name, or the label itself (as text) when the mapping does not know it.

    Examples
    --------
    >>> spell_out("NHPI")
    'Native Hawaiian or Other Pacific Islander'
    >>> spell_out("Hispanic/Latino")
    'Hispanic or Latino'
    >>> spell_out("Medicaid")
    'Medicaid'
    """
    table = GROUP_NAMES if names is None else names
    text = str(label)
    return str(table.get(text, text))
