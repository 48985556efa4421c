"""Group names spelled out for prose and alt text; the data's short labels are for tables.

The one source of the workbook's group names: :mod:`helpers.categories` (``GROUP_NAMES``,
``spell_out``) and :mod:`helpers.dashboard` (``FULL_GROUP_NAMES``, ``spell_out_groups``,
``group_name``, ``name_list``) read the mapping from here.

The datasets label race and ethnicity groups briefly (``"AIAN"``, ``"NHPI"``,
``"Hispanic/Latino"``) so that tables stay narrow. Sentences a reader hears from a screen
reader, and prose in general, use the full names of the US federal (OMB) categories.

Only race and ethnicity labels are spelled out this way: ``"Other"`` is "Some other race" in
a race/ethnicity column but stays "Other" for a language or payer. Pass ``column=`` when the
label may come from another column.

* :data:`GROUP_NAMES` - short label → full name (race and ethnicity).
* :func:`spell_out` - the full name of one label (labels it does not know, such as "Overall", are
  returned unchanged; :func:`helpers.categories.spell_out` does the same for a whole Series and
  refuses unknown labels).
* :func:`is_race_ethnicity_column` - whether a column's labels are race/ethnicity groups.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["GROUP_NAMES", "is_race_ethnicity_column", "spell_out"]

#: Short labels of the workbook's race and ethnicity data → the names used in prose, figures
#: and alt text (one list for the whole workbook).
GROUP_NAMES: Mapping[str, str] = {
    "AIAN": "American Indian or Alaska Native",
    "Asian": "Asian",
    "Black": "Black",
    "Hispanic/Latino": "Hispanic or Latino",
    "NHPI": "Native Hawaiian or Other Pacific Islander",
    "White": "White",
    "Multiracial": "Multiracial",
    "Other": "Some other race",
    "Unknown": "Unknown race or ethnicity",
}


def is_race_ethnicity_column(column: Any) -> bool:
    """Whether a column's labels are race or ethnicity groups (its name mentions race or ethnicity).

    >>> is_race_ethnicity_column("race_ethnicity"), is_race_ethnicity_column("preferred_language")
    (True, False)
    >>> is_race_ethnicity_column(None)
    True
    """
    if column is None:
        return True
    name = str(column).lower()
    return "race" in name or "ethnic" in name


def spell_out(label: Any, names: Mapping[str, str] | None = None, *, column: Any = None) -> str:
    """The full name of a group label, for prose and alt text.

    Parameters
    ----------
    label
        A group label as it appears in the data (``"AIAN"``).
    names : mapping, optional
        Your own label → name mapping (default :data:`GROUP_NAMES`); used for any column.
    column : optional
        The column the label comes from. The default mapping applies only to race/ethnicity
        columns (see :func:`is_race_ethnicity_column`); for any other column the label is
        returned as it is. Leave out for race/ethnicity labels.

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
    >>> spell_out("Other"), spell_out("Other", column="preferred_language")
    ('Some other race', 'Other')
    """
    text = str(label)
    if names is None:
        if not is_race_ethnicity_column(column):
            return text
        names = GROUP_NAMES
    return str(names.get(text, text))
