"""Run charts and control charts: did a change narrow the gap, or is it random variation?

Modules 03–09 of the workbook plot equity measures over time. A team reads these charts to
decide whether a PDSA cycle worked, so the rules here are the published ones, each with its
source, and every function says plainly when there are too few points to apply a rule
(``None`` plus a note) instead of returning a quiet "no signal".

What is here
------------
* :func:`run_chart_signals` – the IHI run-chart rules (Perla, Provost & Murray 2011) or the
  Anhøj rules (Anhøj & Olesen 2014, as in the R package qicharts2) for one series.
* :func:`runs_limits`, :func:`runs_table`, :func:`anhoej_limits` – the thresholds behind them.
  The IHI runs limits are Perla et al.'s printed Table 1 (the table IHI teaches), shipped with
  the package; the exact Swed–Eisenhart test is an option (``rules="ihi-exact"``).
* :func:`run_chart_signals_by_group` – the same rules applied to every group of a tidy frame.
* :func:`gap_series` – the difference between two groups' proportions over time, with a
  Newcombe (1998) interval, ready to be run-charted itself.
* :func:`i_chart`, :func:`p_chart`, :func:`u_chart`, :func:`laney_p_chart`,
  :func:`laney_u_chart` – Shewhart charts with limits that follow each point's denominator,
  a frozen baseline or limits recalculated after documented change points.

Drawing lives in :mod:`helpers.plots`; nothing in this module draws or prints.

Positions in results
--------------------
Positions (``shift_points``, ``outside`` …) are 0-based positions in the series you passed,
even when ``missing="drop"`` left some points out. Sentences written for people
(:meth:`RunChartSignals.describe`) count points from 1.
"""

from __future__ import annotations

import decimal
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from helpers._docs import CONTROL_PARAMS, RUN_PARAMS, share_docs
from helpers._validation import require_columns, require_dataframe, require_group, require_level
from helpers.measures import _newcombe_difference

__all__ = [
    "D2",
    "D4",
    "E2_EXACT",
    "E2_ROUNDED",
    "IHI_RULE_SETS",
    "PERLA_TABLE_RANGE",
    "RULE_SETS",
    "ControlChart",
    "RunChartSignals",
    "anhoej_limits",
    "gap_series",
    "i_chart",
    "laney_p_chart",
    "laney_u_chart",
    "p_chart",
    "run_chart_signals",
    "run_chart_signals_by_group",
    "runs_limits",
    "runs_table",
    "u_chart",
]

#: Bias-correction constant d2 for moving ranges of two points (Montgomery, *Introduction to
#: Statistical Quality Control*, Appendix Table VI): sigma is estimated as MR-bar / 1.128.
D2 = 1.128
#: 3 / d2: individuals-chart limits are mean ± E2 × MR-bar. Computed, not rounded (2.6596…).
E2_EXACT = 3 / D2
#: The rounded constant printed in many tables (2.66). Gives limits that differ from
#: :data:`E2_EXACT` in the fourth significant digit; pass ``e2=E2_ROUNDED`` to match them.
E2_ROUNDED = 2.66
#: Upper limit factor for a moving range of two points (Montgomery Table VI): moving ranges
#: above D4 × MR-bar are screened out when ``screen_moving_ranges=True`` (Nelson 1982).
D4 = 3.267
#: Median of the range of two normal observations in sigma units (Wheeler & Chambers 1992):
#: sigma ≈ median moving range / 0.954. Used only by the astronomical-point screen.
_MEDIAN_MR_CONSTANT = 0.954

IHI_SHIFT_LENGTH = 6  # a shift is 6 or more consecutive points on one side (Perla 2011, rule 1)
IHI_TREND_LENGTH = 5  # a trend is 5 or more consecutive points all up or all down (rule 2)
MIN_USEFUL_FOR_RUNS = 10  # the published runs table and the Anhøj rules start at 10 points

PERLA_TABLE_RANGE = (10, 60)  # useful points covered by Perla, Provost & Murray (2011), Table 1

Rules = Literal["ihi", "ihi-exact", "anhoej"]
RunsTable = Literal["perla2011", "exact"]
Missing = Literal["raise", "drop"]

RULE_SETS = ("ihi", "ihi-exact", "anhoej")
IHI_RULE_SETS = ("ihi", "ihi-exact")
_RULE_NAMES = {
    "ihi": "IHI run-chart rules",
    "ihi-exact": "IHI run-chart rules (exact runs test)",
    "anhoej": "Anhøj rules",
}


# --------------------------------------------------------------------------------------------
# Validation at the public edge
# --------------------------------------------------------------------------------------------


def _check_choice(name: str, value: object, allowed: Sequence[str]) -> None:
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name}={value!r} is not one of {options}.")


def _is_missing(x: object) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    return isinstance(x, float | np.floating) and math.isnan(x)


def _as_numbers(values: object, name: str) -> np.ndarray:
    """Return a 1-D float array (NaN for missing), or raise naming the first bad element."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{name} must be a sequence of numbers, not the text {values!r}.")
    if isinstance(values, pd.DataFrame):
        raise ValueError(
            f"{name} must be one column of numbers, not a table with columns "
            f"{', '.join(map(str, values.columns))}; pass e.g. data['rate']."
        )
    if isinstance(values, Mapping):
        raise ValueError(f"{name} must be a sequence of numbers in time order, not a mapping.")
    items = values.tolist() if isinstance(values, pd.Series | pd.Index | np.ndarray) else values
    try:
        items = list(items)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be a sequence of numbers, not {type(values).__name__}.") from None
    if np.ndim(np.asarray(items, dtype=object)) > 1:
        raise ValueError(f"{name} must be one-dimensional (one value per time point).")
    out = np.empty(len(items), dtype=float)
    for i, x in enumerate(items):
        if _is_missing(x):
            out[i] = np.nan
        elif isinstance(x, bool | np.bool_) or not isinstance(x, numbers.Real | decimal.Decimal):
            raise ValueError(
                f"{name}[{i}] is {_show(x)}, which is not a number. Convert the column first, "
                "e.g. pd.to_numeric(column, errors='coerce'), and decide what the missing "
                "values mean before charting."
            )
        else:
            out[i] = float(x)
            if math.isinf(out[i]):
                raise ValueError(f"{name}[{i}] is infinite; check the calculation that produced it.")
    return out


def _check_no_missing(arr: np.ndarray, name: str, missing: Missing) -> np.ndarray:
    """Positions to keep. Raises on NaN unless missing='drop'."""
    _check_choice("missing", missing, ("raise", "drop"))
    nan = np.isnan(arr)
    if nan.any() and missing == "raise":
        where = ", ".join(str(i) for i in np.flatnonzero(nan)[:5])
        raise ValueError(
            f"{name} has missing values (NaN) at position(s) {where}. The run-chart rules count "
            "consecutive points, so a gap would silently join the points on either side. Fill in "
            "the missing period, or pass missing='drop' to leave it out on purpose (positions in "
            "the result still refer to your original series)."
        )
    keep = np.flatnonzero(~nan)
    if keep.size == 0:
        raise ValueError(f"{name} has no non-missing values; there is nothing to chart.")
    return keep


def _show(value: object) -> str:
    """repr() of a value as a reader would type it (numpy scalars shown as Python ones)."""
    item = getattr(value, "item", None)
    if callable(item) and np.ndim(value) == 0:  # type: ignore[arg-type]
        value = item()
    return repr(value)


def _require_columns(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    require_dataframe(data, what=what)
    require_columns(data, columns, what=what)


# --------------------------------------------------------------------------------------------
# Thresholds: the runs table (IHI) and the Anhøj limits
# --------------------------------------------------------------------------------------------


def _runs_pmf(n1: int, n2: int) -> np.ndarray:
    """Exact distribution of the number of runs R for n1 and n2 points on the two sides.

    ``pmf[r]`` is P(R = r) when every arrangement is equally likely (Swed & Eisenhart 1943):
    P(R = 2k) = 2 C(n1-1, k-1) C(n2-1, k-1) / C(n, n1) and
    P(R = 2k+1) = [C(n1-1, k-1) C(n2-1, k) + C(n1-1, k) C(n2-1, k-1)] / C(n, n1).
    """
    n = n1 + n2
    total = math.comb(n, n1)
    pmf = np.zeros(n + 1)
    if n1 == 0 or n2 == 0:
        pmf[1] = 1.0
        return pmf
    for r in range(2, n + 1):
        k, odd = divmod(r, 2)
        if odd:
            ways = math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k) + math.comb(n1 - 1, k) * math.comb(
                n2 - 1, k - 1
            )
        else:
            ways = 2 * math.comb(n1 - 1, k - 1) * math.comb(n2 - 1, k - 1)
        pmf[r] = ways / total
    return pmf


@lru_cache(maxsize=1)
def _perla_table() -> dict[int, tuple[int, int]]:
    """Perla, Provost & Murray (2011), Table 1, as shipped in ``helpers/resources``."""
    from importlib.resources import files

    text = files("helpers").joinpath("resources/perla2011_runs_table.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.strip().splitlines()[1:]]
    return {int(n): (int(lower), int(upper)) for n, lower, upper in rows}


@lru_cache(maxsize=512)
def _exact_runs_limits(n_useful: int, alpha: float) -> tuple[int, int]:
    n1 = n_useful // 2
    pmf = _runs_pmf(n1, n_useful - n1)
    tail = alpha / 2
    eps = 1e-12  # exact ties with the tail size count as inside the critical region
    lower_cdf = np.cumsum(pmf)
    lower = 2
    for r in range(2, n_useful + 1):
        if lower_cdf[r] <= tail + eps:
            lower = r + 1
        else:
            break
    upper_cdf = np.cumsum(pmf[::-1])[::-1]  # P(R >= r)
    upper = n_useful
    for r in range(n_useful, 1, -1):
        if upper_cdf[r] <= tail + eps:
            upper = r - 1
        else:
            break
    return lower, upper


def runs_limits(n_useful: int, *, table: RunsTable = "perla2011", alpha: float = 0.05) -> tuple[int, int]:
    """Fewest and most runs that are *not* a signal, for ``n_useful`` points off the median.

    The IHI rule: there are **too few** runs when ``runs < lower`` and **too many** when
    ``runs > upper``.

    * ``table="perla2011"`` (default): the limits IHI teaches, read from Table 1 of Perla,
      Provost & Murray (2011) for 10–60 useful points, exactly as printed (shipped as
      ``helpers/resources/perla2011_runs_table.csv``). The printed table stops at 60 useful
      points; for longer series the limits come from the exact test below (a run chart of
      more than 60 points is better read as a control chart anyway).
    * ``table="exact"``: derived from the exact distribution of the number of runs (Swed &
      Eisenhart 1943) for a median that splits the useful points as evenly as possible
      (``n_useful // 2`` on one side), with at most ``alpha / 2`` false-signal risk in each
      tail: ``lower`` = 1 + the largest r with P(R ≤ r) ≤ alpha/2, ``upper`` = the smallest
      r with P(R ≥ r) ≤ alpha/2, minus 1.

    Parameters
    ----------
    n_useful : int
        Number of points not on the centre line; at least 10, where the published table starts.
    table : {"perla2011", "exact"}, default "perla2011"
        Which limits; see above.
    alpha : float, default 0.05
        Total false-signal risk of the exact test (``table="exact"``, and the exact limits
        used beyond 60 points), split equally between the two tails.

    Returns
    -------
    tuple of int
        ``(lower, upper)``.

    Raises
    ------
    ValueError
        If ``n_useful`` is below 10 (the test has almost no power there and the published
        table does not cover it), ``alpha`` is not between 0 and 1, or ``table`` is unknown.

    Notes
    -----
    The two agree at 33 of the 51 lengths from 10 to 60. Where they differ, the printed table
    is usually one run wider on one side: for even lengths its limits are the one-sided 5%
    critical values (0.2%–2.5% risk per tail); several odd lengths carry more than 2.5% in
    one tail (worst: 56 points, upper limit 35, 3.95%; the 56-point row also breaks the
    symmetry of the other even rows and is probably a misprint, kept as printed). Example:
    20 useful points, printed 6–16, exact 7–15 — a random series has 6 runs with probability
    0.019, so the exact test calls 6 runs too few and the printed table does not.
    :func:`runs_table` lists both with the exact tail probabilities.

    References
    ----------
    Perla RJ, Provost LP, Murray SK (2011). The run chart: a simple analytical tool for
    learning from variation in healthcare processes. BMJ Qual Saf 20:46–51 (Table 1).
    Swed FS, Eisenhart C (1943). Tables for testing randomness of grouping in a sequence of
    alternatives. Ann Math Stat 14(1):66–87.

    Examples
    --------
    >>> runs_limits(10)
    (3, 9)
    >>> runs_limits(20), runs_limits(20, table="exact")
    ((6, 16), (7, 15))
    """
    if isinstance(n_useful, bool) or not isinstance(n_useful, numbers.Integral):
        raise ValueError(f"n_useful must be a whole number, got {n_useful!r}.")
    if n_useful < MIN_USEFUL_FOR_RUNS:
        raise ValueError(
            f"the runs test needs at least {MIN_USEFUL_FOR_RUNS} points off the median, got {n_useful}."
        )
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}.")
    _check_choice("table", table, ("perla2011", "exact"))
    if table == "perla2011" and n_useful <= PERLA_TABLE_RANGE[1]:
        return _perla_table()[int(n_useful)]
    return _exact_runs_limits(int(n_useful), float(alpha))


def runs_table(
    n_min: int = 10, n_max: int = 60, *, table: RunsTable = "perla2011", alpha: float = 0.05
) -> pd.DataFrame:
    """The too-few / too-many runs table, with each limit's exact false-signal risk.

    One row per number of useful points (points not on the median), with the limits of
    :func:`runs_limits` and the actual risk of each tail for a random series (Swed &
    Eisenhart's exact distribution, median splitting the points as evenly as possible).

    Parameters
    ----------
    n_min, n_max : int, default 10 and 60
        Range of useful points (the published IHI table covers 10–60).
    table : {"perla2011", "exact"}, default "perla2011"
        Perla et al.'s printed Table 1, or the exact test; see :func:`runs_limits`.
    alpha : float, default 0.05
        Total risk of the exact test, shared equally between the tails.

    Returns
    -------
    pandas.DataFrame
        Columns ``n_useful``, ``lower`` (fewer runs than this is too few), ``upper`` (more
        runs than this is too many), ``p_too_few`` and ``p_too_many`` (exact probabilities),
        and ``source`` ("Perla et al. 2011, Table 1" or "exact test").

    Raises
    ------
    ValueError
        If ``n_min`` is below 10 or ``n_max < n_min``.

    References
    ----------
    Perla, Provost & Murray (2011), Table 1; Swed & Eisenhart (1943).

    Examples
    --------
    >>> table = runs_table(10, 12)
    >>> table[["n_useful", "lower", "upper"]].to_numpy().tolist()
    [[10, 3, 9], [11, 3, 10], [12, 3, 11]]
    >>> runs_table(10, 12, table="exact")[["lower", "upper"]].to_numpy().tolist()
    [[3, 9], [4, 9], [4, 10]]
    """
    if n_max < n_min:
        raise ValueError(f"n_max ({n_max}) must be at least n_min ({n_min}).")
    rows = []
    for n in range(n_min, n_max + 1):
        lower, upper = runs_limits(n, table=table, alpha=alpha)
        pmf = _runs_pmf(n // 2, n - n // 2)
        printed = table == "perla2011" and n <= PERLA_TABLE_RANGE[1]
        rows.append(
            {
                "n_useful": n,
                "lower": lower,
                "upper": upper,
                "p_too_few": float(pmf[:lower].sum()),
                "p_too_many": float(pmf[upper + 1 :].sum()),
                "source": "Perla et al. 2011, Table 1" if printed else "exact test",
            }
        )
    return pd.DataFrame(rows)


def anhoej_limits(n_useful: int) -> tuple[int, int]:
    """Longest-run and crossings limits of the Anhøj rules for ``n_useful`` useful points.

    A run is a signal when it is **longer than** ``round(log2(n) + 3)`` points (Schilling
    2012); the series has **too few crossings** when it crosses the centre line fewer times
    than the lower 5th percentile of Binomial(n − 1, 0.5) (Chen 2010). A run exactly as long
    as the limit, or exactly as many crossings as the limit, is not a signal. These are the
    rules of the R package qicharts2.

    Parameters
    ----------
    n_useful : int
        Number of points not on the centre line (at least 1).

    Returns
    -------
    tuple of int
        ``(longest_run_limit, crossings_limit)``.

    Raises
    ------
    ValueError
        If ``n_useful`` is not a positive whole number.

    References
    ----------
    Anhøj J, Olesen AV (2014). Run charts revisited: a simulation study of run chart rules
    for detection of non-random variation in health care processes. PLoS ONE 9(11):e113825.
    Anhøj J (2024). qicharts2: Quality Improvement Charts (R package), ``runs.analysis()``.

    Examples
    --------
    >>> anhoej_limits(24)
    (8, 8)
    >>> anhoej_limits(10)
    (6, 2)
    """
    if isinstance(n_useful, bool) or not isinstance(n_useful, numbers.Integral) or n_useful < 1:
        raise ValueError(f"n_useful must be a positive whole number, got {n_useful!r}.")
    longest = math.floor(math.log2(n_useful) + 3 + 0.5)  # log2(n) is never exactly x.5
    crossings = int(stats.binom.ppf(0.05, int(n_useful) - 1, 0.5))
    return longest, crossings


# --------------------------------------------------------------------------------------------
# The result of a runs analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunChartSignals:
    """What the run-chart rules found in one series.

    ``shift``, ``trend`` and ``runs_signal`` are ``True`` (the rule fired), ``False`` (tested,
    did not fire) or ``None`` (too few points to apply the rule, or not part of the chosen
    rule set; ``notes`` says which). ``signal`` is ``True`` if any rule fired, ``False`` if
    every rule of the set was tested and none fired, and ``None`` otherwise.

    Limits are stated as the largest value that is still *not* a signal, so for both rule
    sets ``shift == (longest_run > longest_run_limit)`` and too few crossings means
    ``crossings < crossings_limit``. Under the IHI rules the runs test is two-sided:
    ``runs_signal == (runs < runs_range[0] or runs > runs_range[1])``; the Anhøj rules test
    only too few crossings, so their ``runs_range`` upper end is ``n_useful``.

    Attributes
    ----------
    rules : str
        ``"ihi"``, ``"ihi-exact"`` or ``"anhoej"``.
    n : int
        Points analysed (missing points dropped on request are not counted).
    center : float
        The centre line: median of all points, of the baseline, or a control chart's centre.
    baseline : int or None
        Number of leading points the centre line was frozen on.
    n_useful : int
        Points not on the centre line.
    longest_run, longest_run_limit, crossings, crossings_limit, runs : int or None
    runs_range : tuple of int or None
    shift, trend, runs_signal, signal : bool or None
    shift_points, trend_points, runs_points, astronomical_points : tuple of int
        0-based positions of the points that make each signal.
    shifts : tuple of (int, int, str)
        Each shift as (first position, last position, ``"above"`` or ``"below"``).
    trends : tuple of (int, int, str)
        Each trend as (first position, last position, ``"up"`` or ``"down"``); two trends in
        one series are two entries, never merged.
    center_kind : str
        What the centre line is: ``"median"``, ``"baseline median"`` or ``"centre line"``.
    notes : tuple of str
        Why a rule could not be applied, and other things a reader should know.
    """

    rules: str
    n: int
    center: float
    baseline: int | None
    n_useful: int
    longest_run: int | None
    longest_run_limit: int | None
    crossings: int | None
    crossings_limit: int | None
    runs: int | None
    runs_range: tuple[int, int] | None
    shift: bool | None
    trend: bool | None
    runs_signal: bool | None
    signal: bool | None
    shift_points: tuple[int, ...] = ()
    trend_points: tuple[int, ...] = ()
    runs_points: tuple[int, ...] = ()
    astronomical_points: tuple[int, ...] = ()
    shifts: tuple[tuple[int, int, str], ...] = ()
    trends: tuple[tuple[int, int, str], ...] = ()
    center_kind: str = "median"
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (tuples kept), e.g. for one row of a table.

        Examples
        --------
        >>> run_chart_signals([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).to_dict()["n_useful"]
        10
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def findings(self, *, label: Callable[[int], str] | None = None) -> list[str]:
        """A short phrase for each rule that fired (empty if none did).

        Parameters
        ----------
        label : callable, optional
            Turns a 0-based position into the text a reader sees; points count from 1 by default.

        Returns
        -------
        list of str

        Examples
        --------
        >>> run_chart_signals([48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58], baseline=7).findings()
        ['a shift of 6 points above the baseline median (points 6–12)']
        """
        return _findings(self, label)

    def describe(self, *, label: Callable[[int], str] | None = None) -> str:
        """One plain-language sentence saying what the rules found.

        Parameters
        ----------
        label : callable, optional
            Turns a 0-based position into the text a reader sees (e.g. a month name).
            By default points are counted from 1 ("point 14").

        Returns
        -------
        str

        Examples
        --------
        >>> values = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]
        >>> run_chart_signals(values, baseline=7).describe()
        'Signal (IHI run-chart rules): a shift of 6 points above the baseline median (points 6–12).'
        """
        name = _RULE_NAMES.get(self.rules, self.rules)
        if self.n_useful == 0:
            return f"Not enough data ({name}): all {self.n} points are on the {self.center_kind}."
        found = _findings(self, label)
        if found:
            text = f"Signal ({name}): " + "; ".join(found) + "."
        elif self.signal is None:
            untested = [n for n in self.notes if n.startswith("not enough data")]
            reason = untested[0] if untested else "not every rule could be applied"
            text = f"No signal found, but {reason} ({name})."
        else:
            text = f"No signal ({name}): the variation looks random."
        if self.astronomical_points:
            pts = ", ".join(_point_label(i, label) for i in self.astronomical_points)
            text = (
                text[:-1]
                + f"; possible astronomical point(s) at {pts}: judge whether they are clearly unusual."
            )
        return text


def _point_label(i: int, label: Callable[[int], str] | None) -> str:
    return label(i) if label is not None else str(i + 1)


def _span(first: int, last: int, label: Callable[[int], str] | None) -> str:
    """'points 17–22' for numbered points, 'May 2023–Oct 2023' for dates or other labels."""
    a, b = _point_label(first, label), _point_label(last, label)
    return f"points {a}–{b}" if a.isdigit() and b.isdigit() else f"{a}–{b}"


def _findings(sig: RunChartSignals, label: Callable[[int], str] | None) -> list[str]:
    """Plain-language phrases for each rule that fired."""
    found: list[str] = []
    for first, last, side in sig.shifts:
        k = sum(1 for p in sig.shift_points if first <= p <= last)
        found.append(f"a shift of {k} points {side} the {sig.center_kind} ({_span(first, last, label)})")
    if sig.trend:
        for first, last, direction in sig.trends:  # each trend on its own, never merged
            k = sum(1 for p in sig.trend_points if first <= p <= last)
            found.append(f"a trend of {k} points {direction} ({_span(first, last, label)})")
    if sig.runs_signal:
        if sig.rules in IHI_RULE_SETS and sig.runs is not None and sig.runs_range is not None:
            few = sig.runs < sig.runs_range[0]
            found.append(
                f"too {'few' if few else 'many'} runs ({sig.runs}; expected "
                f"{sig.runs_range[0]}–{sig.runs_range[1]})"
            )
        else:
            found.append(f"too few crossings ({sig.crossings}; fewest expected {sig.crossings_limit})")
    return found


# --------------------------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------------------------


def _sign_runs(signs: np.ndarray) -> list[tuple[int, int, int]]:
    """Run-length encoding of a ±1 sequence: (start, stop, sign) in positions of ``signs``."""
    out: list[tuple[int, int, int]] = []
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            out.append((start, i, int(signs[start])))
            start = i
    return out


def _trend_spans(values: np.ndarray, min_length: int) -> list[tuple[int, int]]:
    """Spans (start, stop) of trends of at least ``min_length`` points, ties ignored."""
    return [(a, b) for a, b, _ in _trend_runs(values, min_length)]


def _trend_runs(values: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """Trends of at least ``min_length`` points as (start, stop, +1 up / -1 down), ties ignored.

    Consecutive equal values are one point for counting: they neither add to nor break a
    trend (Perla et al. 2011, rule 2). A span runs from the first to the last of the tied
    values at its ends, so tied points inside it are highlighted too.
    """
    if len(values) < 2:
        return []
    # collapse ties: block b covers positions [starts[b], ends[b])
    change = np.flatnonzero(np.diff(values) != 0) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(values)]))
    levels = values[starts]
    if len(levels) < min_length:
        return []
    direction = np.sign(np.diff(levels))
    spans: list[tuple[int, int, int]] = []
    for a, b, sign in _sign_runs(direction):
        n_points = (b - a) + 1  # k steps in one direction join k + 1 distinct values
        if n_points >= min_length:
            spans.append((int(starts[a]), int(ends[b]), int(sign)))
    return spans


def _astronomical(values: np.ndarray, center: float) -> np.ndarray:
    """Screen for astronomical points: beyond centre ± 3 sigma, sigma from the median MR."""
    if len(values) < 3:
        return np.array([], dtype=int)
    mr = np.abs(np.diff(values))
    sigma = float(np.median(mr)) / _MEDIAN_MR_CONSTANT
    if sigma == 0:
        return np.array([], dtype=int)
    return np.flatnonzero(np.abs(values - center) > 3 * sigma)


@dataclass(frozen=True)
class _Runs:
    """The runs of a series about its centre line (made by :func:`_runs_about`)."""

    n: int  # points analysed
    useful_pos: np.ndarray  # positions of the points off the centre line
    encoded: tuple[tuple[int, int, int], ...]  # runs as (start, stop, +1 above / -1 below), in useful points

    @property
    def n_useful(self) -> int:
        return len(self.useful_pos)

    @property
    def longest(self) -> int | None:
        return max((b - a for a, b, _ in self.encoded), default=None)

    @property
    def runs(self) -> int | None:
        return len(self.encoded) if self.encoded else None

    @property
    def crossings(self) -> int | None:
        return len(self.encoded) - 1 if self.encoded else None


def _runs_about(values: np.ndarray, positions: np.ndarray, center: float) -> _Runs:
    """Drop the points on the centre line and encode the runs of the rest (pure).

    A point is on the line when it is within 1e-9 of it (relative to the largest value).

    >>> r = _runs_about(np.array([1.0, 3, 2, 3, 1]), np.arange(5), 2.0)
    >>> r.useful_pos.tolist(), r.encoded, r.longest, r.crossings
    ([0, 1, 3, 4], ((0, 1, -1), (1, 3, 1), (3, 4, -1)), 2, 2)
    """
    n = len(values)
    scale = max(1.0, float(np.max(np.abs(values))) if n else 1.0)
    diff = values - center
    on_line = np.abs(diff) <= 1e-9 * scale
    signs = np.sign(diff)[~on_line].astype(int)
    encoded = tuple(_sign_runs(signs)) if signs.size else ()
    return _Runs(n=n, useful_pos=positions[~on_line], encoded=encoded)


@dataclass(frozen=True)
class _RuleFindings:
    """What one rule set found (made by :func:`_ihi_rules` or :func:`_anhoej_rules`)."""

    longest_limit: int | None = None
    crossings_limit: int | None = None
    runs_range: tuple[int, int] | None = None
    shift: bool | None = None
    trend: bool | None = None
    runs_signal: bool | None = None
    trend_points: tuple[int, ...] = ()
    trends: tuple[tuple[int, int, str], ...] = ()
    applicable: tuple[bool | None, ...] = ()  # the flags that make up ``signal``
    notes: tuple[str, ...] = ()


def _ihi_rules(values: np.ndarray, positions: np.ndarray, r: _Runs, *, rules: Rules) -> _RuleFindings:
    """Shift, trend and runs rules of Perla, Provost & Murray (2011) (pure).

    >>> f = _ihi_rules(np.arange(12.0), np.arange(12), _runs_about(np.arange(12.0), np.arange(12), 5.5),
    ...                rules="ihi")
    >>> f.shift, f.trend, f.runs_signal, f.runs_range, f.trends
    (True, True, True, (3, 11), ((0, 11, 'up'),))
    """
    notes: list[str] = []
    n, n_useful = r.n, r.n_useful
    longest_limit = IHI_SHIFT_LENGTH - 1
    shift: bool | None = None
    if n_useful >= IHI_SHIFT_LENGTH:
        shift = r.longest is not None and r.longest > longest_limit
    elif n_useful:
        notes.append(
            f"not enough data for the shift rule: it needs at least {IHI_SHIFT_LENGTH} points off "
            f"the median, there are {n_useful}"
        )
    trend: bool | None = None
    trend_points: list[int] = []
    trends: list[tuple[int, int, str]] = []
    if n >= IHI_TREND_LENGTH:
        spans = _trend_runs(values, IHI_TREND_LENGTH)
        trend = bool(spans)
        trend_points = sorted({int(positions[i]) for a, b, _ in spans for i in range(a, b)})
        trends = [
            (int(positions[a]), int(positions[b - 1]), "up" if sign > 0 else "down") for a, b, sign in spans
        ]
    else:
        notes.append(
            f"not enough data for the trend rule: it needs at least {IHI_TREND_LENGTH} points, there are {n}"
        )
    runs_range: tuple[int, int] | None = None
    crossings_limit: int | None = None
    runs_signal: bool | None = None
    if n_useful >= MIN_USEFUL_FOR_RUNS and r.runs is not None:
        runs_range = runs_limits(n_useful, table="perla2011" if rules == "ihi" else "exact")
        crossings_limit = runs_range[0] - 1
        if rules == "ihi" and n_useful > PERLA_TABLE_RANGE[1]:
            notes.append(
                f"{n_useful} useful points is beyond Perla et al.'s table (10–{PERLA_TABLE_RANGE[1]}); "
                "the runs limits come from the exact Swed–Eisenhart test (at most 2.5% per tail)"
            )
        runs_signal = r.runs < runs_range[0] or r.runs > runs_range[1]
    elif n_useful:
        notes.append(
            f"not enough data for the runs test: it needs at least {MIN_USEFUL_FOR_RUNS} points off "
            f"the median, there are {n_useful}"
        )
    return _RuleFindings(
        longest_limit=longest_limit,
        crossings_limit=crossings_limit,
        runs_range=runs_range,
        shift=shift,
        trend=trend,
        runs_signal=runs_signal,
        trend_points=tuple(trend_points),
        trends=tuple(trends),
        applicable=(shift, trend, runs_signal),
        notes=tuple(notes),
    )


def _anhoej_rules(r: _Runs) -> _RuleFindings:
    """Longest run and crossings rules of Anhøj & Olesen (2014); no trend rule (pure).

    >>> f = _anhoej_rules(_runs_about(np.arange(12.0), np.arange(12), 5.5))
    >>> f.longest_limit, f.crossings_limit, f.shift, f.runs_signal, f.trend
    (7, 3, False, True, None)
    """
    notes = ["the Anhøj rules do not use a trend rule (Anhøj & Olesen 2014 found it adds only false signals)"]
    n_useful = r.n_useful
    if n_useful < MIN_USEFUL_FOR_RUNS:
        if n_useful:
            notes.append(
                f"not enough data for the Anhøj rules: they need at least {MIN_USEFUL_FOR_RUNS} points off "
                f"the centre line, there are {n_useful}"
            )
        return _RuleFindings(applicable=(None, None), notes=tuple(notes))
    longest_limit, crossings_limit = anhoej_limits(n_useful)
    shift = r.longest is not None and r.longest > longest_limit
    runs_signal = r.crossings is not None and r.crossings < crossings_limit
    return _RuleFindings(
        longest_limit=longest_limit,
        crossings_limit=crossings_limit,
        runs_range=(crossings_limit + 1, n_useful),
        shift=shift,
        runs_signal=runs_signal,
        applicable=(shift, runs_signal),
        notes=tuple(notes),
    )


def _shift_spans(r: _Runs, limit: int | None) -> tuple[list[int], list[tuple[int, int, str]]]:
    """The points of every run longer than ``limit``, and each such run as (first, last, side).

    >>> r = _runs_about(np.array([1.0, 1, 1, 3, 3, 3, 3, 3, 3, 2]), np.arange(10), 2.0)
    >>> _shift_spans(r, 5)
    ([3, 4, 5, 6, 7, 8], [(3, 8, 'above')])
    """
    points: list[int] = []
    spans: list[tuple[int, int, str]] = []
    for a, b, sign in r.encoded:
        if b - a > (limit or 0):
            points.extend(int(r.useful_pos[i]) for i in range(a, b))
            spans.append((int(r.useful_pos[a]), int(r.useful_pos[b - 1]), "above" if sign > 0 else "below"))
    return points, spans


def _combined_signal(flags: Sequence[bool | None]) -> bool | None:
    """True if any rule fired, False if every rule was applied and none fired, else None.

    >>> [_combined_signal(flags) for flags in ([False, True, None], [False, False], [False, None])]
    [True, False, None]
    """
    if any(flag is True for flag in flags):
        return True
    if all(flag is False for flag in flags):
        return False
    return None


def _analyse(
    values: np.ndarray,
    positions: np.ndarray,
    center: float,
    *,
    rules: Rules,
    baseline: int | None,
    astronomical: bool,
    center_kind: str = "median",
    extra_notes: Sequence[str] = (),
) -> RunChartSignals:
    """Apply one rule set to ``values`` (no NaN) against ``center``.

    The steps are pure and tested alone: the runs about the centre line (:func:`_runs_about`),
    the rule set (:func:`_ihi_rules` or :func:`_anhoej_rules`), the points of each shift
    (:func:`_shift_spans`) and the overall verdict (:func:`_combined_signal`); the words are
    :meth:`RunChartSignals.describe`.
    """
    r = _runs_about(values, positions, center)
    notes = list(extra_notes)
    if not r.n_useful:
        notes.append(f"not enough data: all {r.n} points are on the centre line, so no run can be counted")
    found = _ihi_rules(values, positions, r, rules=rules) if rules in IHI_RULE_SETS else _anhoej_rules(r)
    notes += found.notes
    shift_points, shifts = _shift_spans(r, found.longest_limit) if found.shift else ([], [])
    runs_points = tuple(int(p) for p in r.useful_pos) if found.runs_signal else ()
    astro = tuple(int(positions[i]) for i in _astronomical(values, center)) if astronomical else ()
    if astronomical:
        notes.append(
            "astronomical points are a judgement aid (beyond centre ± 3 sigma, sigma from the median "
            "moving range); they are not part of `signal`"
        )
    return RunChartSignals(
        rules=rules,
        n=r.n,
        center=float(center),
        baseline=baseline,
        n_useful=r.n_useful,
        longest_run=r.longest,
        longest_run_limit=found.longest_limit,
        crossings=r.crossings,
        crossings_limit=found.crossings_limit,
        runs=r.runs,
        runs_range=found.runs_range,
        shift=found.shift,
        trend=found.trend,
        runs_signal=found.runs_signal,
        signal=_combined_signal(found.applicable),
        shift_points=tuple(shift_points),
        trend_points=found.trend_points,
        runs_points=runs_points,
        astronomical_points=astro,
        shifts=tuple(shifts),
        trends=found.trends,
        center_kind=center_kind,
        notes=tuple(notes),
    )


@share_docs(runs=RUN_PARAMS)
def run_chart_signals(
    values: Sequence[float] | np.ndarray | pd.Series,
    rules: Rules = "ihi",
    *,
    baseline: int | None = None,
    astronomical: bool = False,
    missing: Missing = "raise",
) -> RunChartSignals:
    """Apply the run-chart rules to a series in time order.

    The centre line is the median of all points, or of the first ``baseline`` points
    (a frozen baseline median, extended over the whole chart). Points exactly on the centre
    line are not "useful": they neither add to nor break a run and are not counted.

    **IHI rules** (``rules="ihi"``, Perla, Provost & Murray 2011):

    1. *Shift*: 6 or more consecutive useful points all above or all below the median.
    2. *Trend*: 5 or more consecutive points all going up or all going down. Consecutive
       equal values count once: like values neither make nor break a trend.
    3. *Runs*: too few or too many runs (needs 10 or more useful points); limits from
       :func:`runs_limits`: Perla et al.'s printed Table 1 for 10–60 useful points (the
       table IHI teaches; the exact test beyond 60, with a note). ``rules="ihi-exact"``
       uses the exact Swed–Eisenhart test at 5% (2.5% per tail) for every length instead.
    4. *Astronomical point*: a judgement ("anyone would agree it is unusual"). With
       ``astronomical=True`` candidates beyond centre ± 3 sigma (sigma from the median
       moving range) are listed in ``astronomical_points`` for you to judge; they do not
       set ``signal``.

    **Anhøj rules** (``rules="anhoej"``, Anhøj & Olesen 2014; qicharts2): a run *longer than*
    ``round(log2(n) + 3)`` points, or *fewer* crossings of the centre line than the lower
    5th percentile of Binomial(n − 1, 0.5), where n is the number of useful points (at least
    10). A run equal to the limit is not a signal. There is no trend rule.

    Parameters
    ----------
    values : sequence of float or pandas.Series
        The measure in time order, one value per period (e.g. a monthly rate).
    {runs.rules}
    {runs.baseline}
    {runs.astronomical}
    {runs.missing}

    Returns
    -------
    RunChartSignals
        ``center``, ``n_useful``, ``longest_run`` and its limit, ``crossings`` and its limit,
        ``runs`` and ``runs_range``, the flags ``shift``, ``trend``, ``runs_signal`` and
        ``signal``, the positions that make each signal, and ``notes``.

    Raises
    ------
    ValueError
        For non-numeric or infinite values, missing values (unless ``missing="drop"``), an
        unknown rule set, or a baseline that is not between 1 and the number of points.

    References
    ----------
    Perla RJ, Provost LP, Murray SK (2011). The run chart: a simple analytical tool for
    learning from variation in healthcare processes. BMJ Qual Saf 20:46–51.
    Provost LP, Murray SK (2011). The Health Care Data Guide. San Francisco: Jossey-Bass.
    Swed FS, Eisenhart C (1943). Ann Math Stat 14(1):66–87.
    Anhøj J, Olesen AV (2014). PLoS ONE 9(11):e113825.

    Examples
    --------
    Twelve months of a measure; a change was tested after month 7:

    >>> values = [48, 52, 47, 53, 49, 51, 50, 54, 56, 55, 57, 58]
    >>> r = run_chart_signals(values)
    >>> r.center, r.n_useful, r.longest_run, r.runs, r.runs_range, r.signal
    (52.5, 12, 5, 4, (3, 11), False)

    Against the median of the first 7 months (the baseline), the last six useful points are
    all above it: a shift. Month 7 sits on the median and is skipped, not counted:

    >>> r = run_chart_signals(values, baseline=7)
    >>> r.center, r.shift, r.shift_points
    (50.0, True, (5, 7, 8, 9, 10, 11))

    With fewer than 10 useful points the runs test is not applied, and says so:

    >>> short = run_chart_signals([3, 1, 4, 1, 5, 9, 2])
    >>> short.runs_signal is None, short.signal
    (True, None)
    """
    _check_choice("rules", rules, RULE_SETS)
    arr = _as_numbers(values, "values")
    keep = _check_no_missing(arr, "values", missing)
    kept = arr[keep]
    notes: list[str] = []
    if len(keep) < len(arr):
        notes.append(f"{len(arr) - len(keep)} missing point(s) left out on request (missing='drop')")
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, numbers.Integral):
            raise ValueError(f"baseline must be a whole number of points, got {baseline!r}.")
        if not 1 <= baseline <= len(kept):
            raise ValueError(f"baseline={baseline} must be between 1 and the number of points ({len(kept)}).")
        if baseline < 10:
            notes.append(f"the baseline median rests on only {baseline} points and may move a lot")
        center = float(np.median(kept[:baseline]))
    else:
        center = float(np.median(kept))
    return _analyse(
        kept,
        keep,
        center,
        rules=rules,
        baseline=int(baseline) if baseline is not None else None,
        astronomical=astronomical,
        center_kind="median" if baseline is None else "baseline median",
        extra_notes=notes,
    )


@share_docs(runs=RUN_PARAMS)
def run_chart_signals_by_group(
    data: pd.DataFrame,
    value: str,
    group: str | Sequence[str],
    *,
    time: str | None = None,
    rules: Rules = "ihi",
    baseline: int | None = None,
    astronomical: bool = False,
    missing: Missing = "raise",
) -> pd.DataFrame:
    """Apply the run-chart rules to every group of a tidy frame in one call.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy data: one row per group and time point.
    value : str
        Column with the measure (e.g. ``"rate"``).
    group : str or list of str
        Column(s) that define the groups (e.g. ``"race_ethnicity"``).
    time : str, optional
        Column to sort by within each group; without it rows are taken in their order.
    {runs.rules}
    {runs.baseline}
    {runs.astronomical}
    {runs.missing}

    Returns
    -------
    pandas.DataFrame
        One row per group: the group column(s), ``n``, ``center``, ``n_useful``,
        ``longest_run``, ``longest_run_limit``, ``crossings``, ``crossings_limit``, ``runs``,
        ``runs_low``, ``runs_high``, ``shift``, ``trend``, ``runs_signal``, ``signal``
        (nullable booleans: missing means "not enough data"), the signal positions within the
        group, ``notes`` and a plain-language ``description``.

    Raises
    ------
    KeyError
        If a named column is missing.
    ValueError
        If a group has a repeated time point, or its values fail :func:`run_chart_signals`
        (the message names the group).

    References
    ----------
    Perla, Provost & Murray (2011); Anhøj & Olesen (2014).

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "month": list(range(1, 13)) * 2,
    ...     "group": ["A"] * 12 + ["B"] * 12,
    ...     "rate": [5, 6, 5, 7, 6, 5, 9, 10, 11, 10, 9, 10] + [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6],
    ... })
    >>> out = run_chart_signals_by_group(df, "rate", "group", time="month")
    >>> out[["group", "n_useful", "shift", "runs_signal", "signal"]]
      group  n_useful  shift  runs_signal  signal
    0     A        12   True         True    True
    1     B        12  False         True    True
    """
    groups = [group] if isinstance(group, str) else list(group)
    _require_columns(data, [value, *groups, *([time] if time else [])])
    rows = []
    for key, part in data.groupby(groups, sort=False, observed=True, dropna=False):
        keys = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{g}={_show(k)}" for g, k in zip(groups, keys, strict=True))
        if time is not None:
            dup = part[time].duplicated()
            if dup.any():
                raise ValueError(
                    f"group {label} has more than one row for {time}={_show(part.loc[dup, time].iloc[0])}; "
                    "aggregate to one value per time point first."
                )
            part = part.sort_values(time)
        try:
            res = run_chart_signals(
                part[value], rules, baseline=baseline, astronomical=astronomical, missing=missing
            )
        except ValueError as err:
            raise ValueError(f"group {label}: {err}") from None
        row = dict(zip(groups, keys, strict=True))
        d = res.to_dict()
        runs_range = d.pop("runs_range")
        row.update(
            {
                "n": d["n"],
                "center": d["center"],
                "n_useful": d["n_useful"],
                "longest_run": d["longest_run"],
                "longest_run_limit": d["longest_run_limit"],
                "crossings": d["crossings"],
                "crossings_limit": d["crossings_limit"],
                "runs": d["runs"],
                "runs_low": runs_range[0] if runs_range else None,
                "runs_high": runs_range[1] if runs_range else None,
                "shift": d["shift"],
                "trend": d["trend"],
                "runs_signal": d["runs_signal"],
                "signal": d["signal"],
                "shift_points": d["shift_points"],
                "trend_points": d["trend_points"],
                "astronomical_points": d["astronomical_points"],
                "notes": "; ".join(d["notes"]),
                "description": res.describe(),
            }
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        raise ValueError("data has no rows; there is nothing to chart.")
    for col in (
        "longest_run",
        "longest_run_limit",
        "crossings",
        "crossings_limit",
        "runs",
        "runs_low",
        "runs_high",
    ):
        out[col] = out[col].astype("Int64")
    for col in ("shift", "trend", "runs_signal", "signal"):
        out[col] = out[col].astype("boolean")
    return out


# --------------------------------------------------------------------------------------------
# Gap series: the difference between two groups over time
# --------------------------------------------------------------------------------------------


def gap_series(
    data: pd.DataFrame,
    *,
    group: str,
    time: str,
    focus: object,
    reference: object,
    numerator: str = "numerator",
    denominator: str = "denominator",
    level: float = 0.95,
) -> pd.DataFrame:
    """The gap between two groups' proportions at each time point, with its interval.

    Rows are summed within each time point and group first (e.g. over clinics or languages),
    then the gap is ``rate − reference_rate`` (the focus group minus the reference group, in
    proportion units: −0.14 is 14 percentage points lower). Its interval is Newcombe's hybrid
    score interval for a difference of independent proportions (method 10), built from the
    two Wilson score intervals ``(l1, u1)`` and ``(l2, u2)`` of
    :func:`helpers.measures.proportion_ci`:
    ``d − sqrt((p1 − l1)² + (u2 − p2)²)`` to ``d + sqrt((u1 − p1)² + (p2 − l2)²)``.
    It stays inside [−1, 1] and behaves well with zero counts, unlike the Wald interval.

    The result can itself be run-charted: ``run_chart_signals(gaps["abs_diff"])``.

    Parameters
    ----------
    data : pandas.DataFrame
        Tidy counts: a time column, a group column, numerators and denominators.
    group, time : str
        Column names.
    focus, reference : object
        The two values of ``group`` to compare (e.g. ``"Black"`` and ``"White"``).
    numerator, denominator : str, default "numerator", "denominator"
        Count columns.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per time point (sorted): ``time``, ``group``, ``reference_group``,
        ``numerator``, ``denominator``, ``rate``, ``reference_numerator``,
        ``reference_denominator``, ``reference_rate``, ``abs_diff``, ``abs_diff_ci_low``,
        ``abs_diff_ci_high`` (the same names :func:`helpers.disparities.gaps` uses).

    Raises
    ------
    KeyError
        If a column is missing (:class:`helpers._validation.ColumnNotFoundError`).
    ValueError
        If a group is absent at some time point, a denominator is zero or negative, a
        numerator is negative, larger than its denominator or not a number, or ``level`` is
        not between 0 and 1.

    References
    ----------
    Newcombe RG (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. Stat Med 17(8):873–890.
    Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 22:209–212.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "month": [1, 1, 2, 2],
    ...     "race": ["Black", "White", "Black", "White"],
    ...     "numerator": [56, 48, 9, 3],
    ...     "denominator": [70, 80, 10, 10],
    ... })
    >>> g = gap_series(df, group="race", time="month", focus="Black", reference="White")
    >>> g[["month", "abs_diff", "abs_diff_ci_low", "abs_diff_ci_high"]].round(4)
       month  abs_diff  abs_diff_ci_low  abs_diff_ci_high
    0      1       0.2           0.0524            0.3339
    1      2       0.6           0.1705            0.8090
    """
    _require_columns(data, [group, time, numerator, denominator])
    level = require_level(level)
    if focus == reference:
        raise ValueError(f"focus and reference are both {focus!r}; choose two different groups.")
    present = sorted(set(data[group].dropna().tolist()), key=str)
    for role, g in (("focus", focus), ("reference", reference)):
        if g not in present:
            require_group(g, present, column=group, role=f"{role} group")
    counts = {}
    for col in (numerator, denominator):
        counts[col] = _as_numbers(data[col], col)
        bad = np.flatnonzero(np.isnan(counts[col]))
        if bad.size:
            raise ValueError(
                f"{col} is missing in row {_show(data.index[bad[0]])}; counts cannot be missing."
            )
    frame = pd.DataFrame(
        {
            "time": data[time].to_numpy(),
            "group": data[group].to_numpy(),
            "x": counts[numerator],
            "n": counts[denominator],
        }
    )
    frame = frame[frame["group"].isin([focus, reference])]
    summed = frame.groupby(["time", "group"], sort=True, observed=True)[["x", "n"]].sum()
    times = sorted(frame["time"].unique().tolist())
    rows = []
    for t in times:
        vals = {}
        for role, g in (("focus", focus), ("reference", reference)):
            if (t, g) not in summed.index:
                raise ValueError(
                    f"group {_show(g)} has no rows at {time}={_show(t)}; a gap needs both groups at "
                    "every time point."
                )
            x, n = summed.loc[(t, g)]
            if n <= 0:
                raise ValueError(
                    f"denominator for group {_show(g)} at {time}={_show(t)} is {n:g}; a proportion needs a "
                    "positive denominator (drop that time point or check the data)."
                )
            if x < 0 or x > n:
                raise ValueError(
                    f"numerator for group {_show(g)} at {time}={_show(t)} is {x:g} with denominator {n:g}; "
                    "it must be between 0 and the denominator."
                )
            vals[role] = (x, n)
        rows.append((t, *vals["focus"], *vals["reference"]))
    arr = np.array([r[1:] for r in rows], dtype=float)
    d, low, high = _newcombe_difference(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], level)
    out = pd.DataFrame(
        {
            time: [r[0] for r in rows],
            "group": focus,
            "reference_group": reference,
            "numerator": arr[:, 0],
            "denominator": arr[:, 1],
            "rate": arr[:, 0] / arr[:, 1],
            "reference_numerator": arr[:, 2],
            "reference_denominator": arr[:, 3],
            "reference_rate": arr[:, 2] / arr[:, 3],
            "abs_diff": d,
            "abs_diff_ci_low": low,
            "abs_diff_ci_high": high,
        }
    )
    out.attrs = {  # the rates-table contract: what the plots read (helpers._rates.table_settings)
        "by": ["group"],
        "measure": {"function": "gap_series", "level": float(level), "method": "wilson"},
        "gaps": {
            "reference": reference,
            "focus": focus,
            "level": float(level),
            "difference_interval": "Newcombe hybrid score (MOVER with Wilson intervals)",
        },
    }
    return out


# --------------------------------------------------------------------------------------------
# Control charts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ControlChart:
    """A Shewhart chart: centre line, limits, points outside them and run-test signals.

    Attributes
    ----------
    chart : str
        ``"i"`` (individuals/XmR), ``"p"``, ``"p'"`` (Laney), ``"u"`` or ``"u'"`` (Laney).
    data : pandas.DataFrame
        One row per point: ``position``, ``value``, ``numerator`` and ``denominator`` (p and
        u charts), ``center``, ``lcl``, ``ucl``, ``period`` (0, 1, … after each change
        point), ``in_limits_calculation`` (the point helped set the limits), ``outside``
        (beyond a limit) and ``run_signal`` (part of a run-test signal).
    periods : tuple of (int, int)
        ``(start, stop)`` positions of each period.
    centers : tuple of float
        Centre line of each period.
    run_signals : tuple of RunChartSignals
        The run tests of ``rules`` applied to each period against its centre line.
    outside : tuple of int
        Positions of points beyond the limits.
    signal : bool or None
        True if any point is outside or any run test fired; None if nothing fired but some
        test lacked data.
    sigma_constant : str
        How sigma was estimated, e.g. ``"sigma = MR-bar / 1.128 (limits ± 2.6596 × MR-bar)"``.
    sigma_z : tuple of float
        Laney's between-subgroup inflation factor for each period (empty otherwise).
    per : float
        Multiplier applied to u-chart rates (e.g. 1000 for "per 1,000 patient-days").
    rules, baseline, change_points, notes
        As given, plus notes for the reader.
    """

    chart: str
    data: pd.DataFrame
    periods: tuple[tuple[int, int], ...]
    centers: tuple[float, ...]
    run_signals: tuple[RunChartSignals, ...]
    outside: tuple[int, ...]
    signal: bool | None
    sigma_constant: str
    rules: str
    baseline: int | None = None
    change_points: tuple[int, ...] = ()
    sigma_z: tuple[float, ...] = ()
    per: float = 1.0
    notes: tuple[str, ...] = ()

    @property
    def center(self) -> float:
        """Centre line of the last period (the current process)."""
        return self.centers[-1]

    def describe(self, *, label: Callable[[int], str] | None = None) -> str:
        """One plain-language sentence saying what the chart shows.

        Examples
        --------
        >>> p_chart([10, 12, 11, 30], [100, 100, 100, 100]).describe()
        'p-chart: 1 point outside the control limits (point 4); runs tests: not enough data.'
        """

        parts = []
        if self.outside:
            k = len(self.outside)
            where = ", ".join(_point_label(i, label) for i in self.outside[:6]) + (" …" if k > 6 else "")
            noun = "point" if k == 1 else "points"
            parts.append(f"{k} {noun} outside the control limits ({noun} {where})")
        run_found = [s for s in self.run_signals if s.signal]
        for s in run_found:
            parts.extend(_findings(s, label))
        name = {
            "i": "I-chart",
            "p": "p-chart",
            "p'": "Laney p'-chart",
            "u": "u-chart",
            "u'": "Laney u'-chart",
        }[self.chart]
        text = f"{name}: " + "; ".join(parts) if parts else f"{name}: no point outside the control limits"
        if any(s.signal is None for s in self.run_signals) and not run_found:
            text += "; runs tests: not enough data"
        elif not run_found:
            text += f"; no run-test signal ({_RULE_NAMES[self.rules]})"
        return text + "."


def _periods(n: int, change_points: Sequence[int], min_points: int) -> list[tuple[int, int]]:
    cps = list(change_points)
    for cp in cps:
        if isinstance(cp, bool) or not isinstance(cp, numbers.Integral):
            raise ValueError(f"change points must be whole-number positions, got {_show(cp)}.")
    if sorted(set(cps)) != cps:
        raise ValueError(f"change points must be strictly increasing, got {cps}.")
    bounds = [0, *cps, n]
    periods = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    for k, (a, b) in enumerate(periods):
        if not 0 <= a < b <= n:
            raise ValueError(f"change point {cps[k - 1] if k else a} is outside the series of {n} points.")
        if b - a < min_points:
            raise ValueError(
                f"period {k} (positions {a}–{b - 1}) has {b - a} point(s); control limits need at least "
                f"{min_points}. Move or remove the change point."
            )
    return periods


def _chart_periods(
    n: int, *, baseline: int | None, change_points: Sequence[int], min_points: int
) -> tuple[list[tuple[int, int]], list[np.ndarray]]:
    """The periods of a control chart and, for each, the positions its limits are estimated from.

    A frozen ``baseline`` gives one period whose limits rest on its first points; documented
    ``change_points`` give one period each, estimated from its own points (pure).

    >>> _chart_periods(6, baseline=3, change_points=(), min_points=2)
    ([(0, 6)], [array([0, 1, 2])])
    >>> _chart_periods(6, baseline=None, change_points=[3], min_points=2)[0]
    [(0, 3), (3, 6)]
    """
    if baseline is not None and change_points:
        raise ValueError(
            "use either baseline= (freeze limits on the first points and extend them) or "
            "change_points= (recalculate limits after each documented change), not both."
        )
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, numbers.Integral):
            raise ValueError(f"baseline must be a whole number of points, got {baseline!r}.")
        if not min_points <= baseline <= n:
            raise ValueError(
                f"baseline={baseline} must be between {min_points} and the number of points ({n})."
            )
        return [(0, n)], [np.arange(baseline)]
    periods = _periods(n, change_points, min_points)
    return periods, [np.arange(a, b) for a, b in periods]


def _control_chart(
    chart: str,
    values: np.ndarray,
    numerators: np.ndarray | None,
    denominators: np.ndarray | None,
    limits: Callable[[np.ndarray], tuple[float, np.ndarray, float | None]],
    *,
    baseline: int | None,
    change_points: Sequence[int],
    rules: Rules,
    sigma_constant: str,
    bounds: tuple[float | None, float | None],
    min_points: int,
    per: float = 1.0,
    notes: Sequence[str] = (),
) -> ControlChart:
    """Shared machinery: periods, limits per period, outside points and run tests.

    ``limits(est)`` receives the positions used to estimate the limits and returns
    ``(center, sigma_per_point_for_all_positions, sigma_z_or_None)``.
    """
    _check_choice("rules", rules, RULE_SETS)
    n = len(values)
    notes = list(notes)
    periods, estimation = _chart_periods(
        n, baseline=baseline, change_points=change_points, min_points=min_points
    )
    center = np.empty(n)
    lcl = np.empty(n)
    ucl = np.empty(n)
    period_of = np.empty(n, dtype=int)
    used = np.zeros(n, dtype=bool)
    centers: list[float] = []
    sigma_zs: list[float] = []
    run_signals: list[RunChartSignals] = []
    for k, ((a, b), est) in enumerate(zip(periods, estimation, strict=True)):
        c, sigma, sigma_z = limits(est)
        idx = np.arange(a, b)
        center[idx] = c
        lo = c - 3 * sigma[idx]
        hi = c + 3 * sigma[idx]
        if bounds[0] is not None:
            lo = np.maximum(lo, bounds[0])
        if bounds[1] is not None:
            hi = np.minimum(hi, bounds[1])
        lcl[idx], ucl[idx] = lo, hi
        period_of[idx] = k
        used[est] = True
        centers.append(float(c))
        if sigma_z is not None:
            sigma_zs.append(float(sigma_z))
        run_signals.append(
            _analyse(
                values[idx],
                idx,
                c,
                rules=rules,
                baseline=baseline,
                astronomical=False,
                center_kind="centre line",
            )
        )
        if len(est) < 20:
            notes.append(
                f"period {k}: limits rest on {len(est)} points; treat them as trial limits "
                "(Provost & Murray recommend 20 or more)"
            )
    scale = max(1.0, float(np.nanmax(np.abs(values))))
    tol = 1e-12 * scale
    outside = (values > ucl + tol) | (values < lcl - tol)
    run_pts = {p for s in run_signals for p in (*s.shift_points, *s.trend_points, *s.runs_points)}
    frame = pd.DataFrame(
        {
            "position": np.arange(n),
            "value": values * per,
        }
    )
    if numerators is not None and denominators is not None:
        frame["numerator"] = numerators
        frame["denominator"] = denominators
    frame["center"] = center * per
    frame["lcl"] = lcl * per
    frame["ucl"] = ucl * per
    frame["period"] = period_of
    frame["in_limits_calculation"] = used
    frame["outside"] = outside
    frame["run_signal"] = np.isin(np.arange(n), sorted(run_pts))
    signal = _combined_signal([bool(outside.any()), *(s.signal for s in run_signals)])
    scaled_signals = tuple(replace(s, center=s.center * per) for s in run_signals)
    return ControlChart(
        chart=chart,
        data=frame,
        periods=tuple(periods),
        centers=tuple(c * per for c in centers),
        run_signals=scaled_signals,
        outside=tuple(int(i) for i in np.flatnonzero(outside)),
        signal=signal,
        sigma_constant=sigma_constant,
        rules=rules,
        baseline=int(baseline) if baseline is not None else None,
        change_points=tuple(int(c) for c in change_points),
        sigma_z=tuple(sigma_zs),
        per=per,
        notes=tuple(notes),
    )


def _counts(
    numerators: object, denominators: object, *, what: str, name_x: str, name_n: str, proportion: bool
) -> tuple[np.ndarray, np.ndarray]:
    x = _as_numbers(numerators, name_x)
    n = _as_numbers(denominators, name_n)
    if len(x) != len(n):
        raise ValueError(
            f"{name_x} has {len(x)} values but {name_n} has {len(n)}; they must pair up one-to-one."
        )
    if len(x) == 0:
        raise ValueError(f"{name_x} is empty; there is nothing to chart.")
    for arr, name in ((x, name_x), (n, name_n)):
        bad = np.flatnonzero(np.isnan(arr))
        if bad.size:
            raise ValueError(
                f"{name}[{bad[0]}] is missing; a control chart needs every period's count. "
                "Fill it in or remove that period from both inputs."
            )
    bad = np.flatnonzero(n <= 0)
    if bad.size:
        raise ValueError(
            f"{name_n}[{bad[0]}] is {n[bad[0]]:g}; every {what} must be positive (a period with no "
            "patients has no rate — remove it from both inputs)."
        )
    bad = np.flatnonzero(x < 0)
    if bad.size:
        raise ValueError(f"{name_x}[{bad[0]}] is {x[bad[0]]:g}; counts cannot be negative.")
    if proportion:
        bad = np.flatnonzero(x > n)
        if bad.size:
            raise ValueError(
                f"{name_x}[{bad[0]}] ({x[bad[0]]:g}) is larger than {name_n}[{bad[0]}] ({n[bad[0]]:g}); "
                "a proportion's numerator cannot exceed its denominator."
            )
    return x, n


def _proportion_counts(numerators: object, denominators: object) -> tuple[np.ndarray, np.ndarray]:
    """Validated numerators and denominators of a p or p' chart."""
    return _counts(
        numerators,
        denominators,
        what="denominator",
        name_x="numerators",
        name_n="denominators",
        proportion=True,
    )


def _rate_counts(counts: object, exposure: object, per: float) -> tuple[np.ndarray, np.ndarray]:
    """Validated counts and exposure of a u or u' chart, after checking the display unit ``per``."""
    c, a = _counts(counts, exposure, what="exposure", name_x="counts", name_n="exposure", proportion=False)
    if not per > 0:
        raise ValueError(f"per must be positive (e.g. 1000), got {per!r}.")
    return c, a


def _mr_bar(values: np.ndarray, screen: bool) -> float:
    """Average moving range, optionally screening ranges of D4 × MR-bar or more (Nelson 1982).

    The screen keeps the ranges strictly below 3.267 × MR-bar, as qicharts2's ``qic.i`` does.
    """
    mr = np.abs(np.diff(values))
    mr_bar = float(mr.mean())
    if screen:
        kept = mr[mr < D4 * mr_bar]
        mr_bar = float(kept.mean())
    return mr_bar


@share_docs(control=CONTROL_PARAMS)
def i_chart(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    baseline: int | None = None,
    change_points: Sequence[int] = (),
    e2: float = E2_EXACT,
    screen_moving_ranges: bool = True,
    rules: Rules = "anhoej",
) -> ControlChart:
    """Individuals (XmR) chart: mean ± E2 × average moving range.

    Sigma is estimated from the average moving range of consecutive points:
    sigma = MR-bar / d2 with d2 = 1.128, so the limits are mean ± 3/1.128 × MR-bar =
    mean ± 2.6596 × MR-bar (``e2=E2_EXACT``, the default, as in qicharts2). Many printed
    tables round this to 2.66 (``e2=E2_ROUNDED``); the limits then differ in the fourth
    significant digit.

    By default (``screen_moving_ranges=True``) moving ranges of 3.267 × MR-bar or more are
    dropped and MR-bar recomputed once before the limits are set (Nelson 1982; Provost &
    Murray 2011), so one wild point does not widen the limits: this is what qicharts2's
    ``qic(chart = "i")`` always does, so the limits match the package analysts compare
    against. ``screen_moving_ranges=False`` uses every moving range (Montgomery's textbook
    chart); the two agree whenever no moving range is that large. ``sigma_constant`` says
    which was used.

    Parameters
    ----------
    values : sequence of float
        Measurements in time order.
    {control.baseline}
    {control.change_points}
    e2 : float, default E2_EXACT (3 / 1.128)
    screen_moving_ranges : bool, default True
        Screen out large moving ranges before estimating sigma, as qicharts2 does.
    {control.rules}

    Returns
    -------
    ControlChart

    Raises
    ------
    ValueError
        For non-numeric or missing values, fewer than 2 points in a period, or bad
        ``baseline`` / ``change_points``.

    References
    ----------
    Montgomery DC (2019). Introduction to Statistical Quality Control, 8th ed., Wiley:
    individuals chart (sigma = MR-bar/d2, d2 = 1.128 for n = 2).
    Nelson LS (1982). Control charts for individual measurements. J Qual Technol 14(3):172–173.
    Provost LP, Murray SK (2011). The Health Care Data Guide. Jossey-Bass.
    Anhøj J. qicharts2: Quality Improvement Charts (R package), function ``qic.i``:
    ``mr <- mr[mr < 3.267 * amr]`` before ``stdev <- amr / 1.128``.

    Examples
    --------
    Mean 11.375 and MR-bar 10/7 = 1.4286, so UCL = 11.375 + 2.6596 × 1.4286:

    >>> chart = i_chart([10, 12, 11, 13, 12, 11, 10, 12])
    >>> chart.center, chart.data.loc[0, ["lcl", "ucl"]].round(4).tolist()
    (11.375, [7.5756, 15.1744])
    >>> i_chart([10, 12, 11, 13, 12, 11, 10, 12], e2=E2_ROUNDED).data.loc[0, ["lcl", "ucl"]].round(4).tolist()
    [7.575, 15.175]
    """
    arr = _as_numbers(values, "values")
    _check_no_missing(arr, "values", "raise")
    if not e2 > 0:
        raise ValueError(f"e2 must be positive, got {e2!r}.")

    def limits(est: np.ndarray) -> tuple[float, np.ndarray, None]:
        seg = arr[est]
        c = float(seg.mean())
        mr_bar = _mr_bar(seg, screen_moving_ranges)
        sigma = e2 * mr_bar / 3  # so that ±3 sigma = ± e2 × MR-bar
        return c, np.full(len(arr), sigma), None

    constant = (
        f"sigma = MR-bar / {D2} (limits ± {e2:.4f} × MR-bar)"
        if math.isclose(e2, E2_EXACT)
        else f"limits ± {e2:g} × MR-bar (sigma = MR-bar × {e2 / 3:.5f})"
    )
    if screen_moving_ranges:
        constant += f"; moving ranges of {D4} × MR-bar or more screened out (as qicharts2)"
    return _control_chart(
        "i",
        arr,
        None,
        None,
        limits,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        sigma_constant=constant,
        bounds=(None, None),
        min_points=2,
    )


@share_docs(control=CONTROL_PARAMS)
def p_chart(
    numerators: Sequence[float] | np.ndarray | pd.Series,
    denominators: Sequence[float] | np.ndarray | pd.Series,
    *,
    baseline: int | None = None,
    change_points: Sequence[int] = (),
    rules: Rules = "anhoej",
) -> ControlChart:
    """p-chart for a proportion: limits p̄ ± 3 √(p̄(1 − p̄)/nᵢ) that follow each denominator.

    p̄ is the pooled proportion Σx / Σn of the points used for the limits. Limits are clipped
    to [0, 1]. A point is outside when it is strictly beyond a limit.

    Parameters
    ----------
    {control.counts}
    {control.baseline}
    {control.change_points}
    {control.rules}

    Returns
    -------
    ControlChart

    Raises
    ------
    ValueError
        If the inputs differ in length, contain missing or non-numeric values, a denominator
        is zero or negative, or a numerator is negative or above its denominator.

    References
    ----------
    Provost LP, Murray SK (2011). The Health Care Data Guide, ch. 5 (p-chart).
    Montgomery DC (2019). Introduction to Statistical Quality Control, ch. 7.

    Examples
    --------
    >>> chart = p_chart([45, 50, 38, 60], [100, 120, 80, 150])
    >>> round(chart.center, 4)
    0.4289
    >>> chart.data[["lcl", "ucl"]].round(4).iloc[2].tolist()  # n = 80: wider limits
    [0.2629, 0.5949]
    """
    x, n = _proportion_counts(numerators, denominators)

    def limits(est: np.ndarray) -> tuple[float, np.ndarray, None]:
        p_bar = float(x[est].sum() / n[est].sum())
        return p_bar, np.sqrt(p_bar * (1 - p_bar) / n), None

    return _control_chart(
        "p",
        x / n,
        x,
        n,
        limits,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        sigma_constant="sigma_i = sqrt(p-bar (1 − p-bar) / n_i) (binomial)",
        bounds=(0.0, 1.0),
        min_points=1,
    )


@share_docs(control=CONTROL_PARAMS)
def u_chart(
    counts: Sequence[float] | np.ndarray | pd.Series,
    exposure: Sequence[float] | np.ndarray | pd.Series,
    *,
    per: float = 1.0,
    baseline: int | None = None,
    change_points: Sequence[int] = (),
    rules: Rules = "anhoej",
) -> ControlChart:
    """u-chart for a rate: limits ū ± 3 √(ū / aᵢ) that follow each period's exposure.

    ū is Σcounts / Σexposure. With ``per=1000`` values, centre and limits are expressed per
    1,000 units of exposure (e.g. infections per 1,000 patient-days). Lower limits are
    clipped at 0.

    Parameters
    ----------
    counts : sequence of numbers
        Events per period (e.g. infections).
    exposure : sequence of numbers
        Area of opportunity per period (e.g. patient-days); must be positive.
    per : float, default 1
        Multiplier for display units.
    {control.baseline}
    {control.change_points}
    {control.rules}

    Returns
    -------
    ControlChart

    Raises
    ------
    ValueError
        If lengths differ, values are missing or non-numeric, exposure is not positive or a
        count is negative.

    References
    ----------
    Provost & Murray (2011), ch. 5 (u-chart); Montgomery (2019), ch. 7.

    Examples
    --------
    >>> chart = u_chart([3, 5, 2, 4], [1200, 1500, 900, 1100], per=1000)
    >>> round(chart.center, 3)
    2.979
    >>> chart.data[["lcl", "ucl"]].round(3).iloc[0].tolist()
    [0.0, 7.705]
    """
    c, a = _rate_counts(counts, exposure, per)

    def limits(est: np.ndarray) -> tuple[float, np.ndarray, None]:
        u_bar = float(c[est].sum() / a[est].sum())
        return u_bar, np.sqrt(u_bar / a), None

    return _control_chart(
        "u",
        c / a,
        c,
        a,
        limits,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        sigma_constant="sigma_i = sqrt(u-bar / a_i) (Poisson)",
        bounds=(0.0, None),
        min_points=1,
        per=float(per),
    )


def _laney(
    chart: str,
    x: np.ndarray,
    n: np.ndarray,
    variance: Callable[[float], float],
    *,
    screen_moving_ranges: bool,
    baseline: int | None,
    change_points: Sequence[int],
    rules: Rules,
    bounds: tuple[float | None, float | None],
    per: float = 1.0,
) -> ControlChart:
    rates = x / n

    def limits(est: np.ndarray) -> tuple[float, np.ndarray, float]:
        centre = float(x[est].sum() / n[est].sum())
        sigma_i = np.sqrt(variance(centre) / n)
        if np.any(sigma_i[est] == 0):
            raise ValueError(
                "every point used for the limits has the same rate (0 or 1 for a proportion), so the "
                "within-period sigma is 0 and Laney's z-scores are undefined; use p_chart/u_chart."
            )
        z = (rates[est] - centre) / sigma_i[est]
        sigma_z = _mr_bar(z, screen_moving_ranges) / D2
        return centre, sigma_i * sigma_z, sigma_z

    note = "sigma_i × sigma_z, sigma_z = MR-bar(z) / 1.128"
    if screen_moving_ranges:
        note += f"; moving ranges of z above {D4} × MR-bar screened out"
    return _control_chart(
        chart,
        rates,
        x,
        n,
        limits,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        sigma_constant=note,
        bounds=bounds,
        min_points=2,
        per=per,
        notes=(
            "Laney's chart widens the limits by sigma_z when the between-period variation exceeds "
            "what the denominators predict (sigma_z > 1), as it usually does for large denominators",
        ),
    )


@share_docs(control=CONTROL_PARAMS)
def laney_p_chart(
    numerators: Sequence[float] | np.ndarray | pd.Series,
    denominators: Sequence[float] | np.ndarray | pd.Series,
    *,
    baseline: int | None = None,
    change_points: Sequence[int] = (),
    screen_moving_ranges: bool = False,
    rules: Rules = "anhoej",
) -> ControlChart:
    """Laney p'-chart: a p-chart whose limits allow for between-period variation.

    With large denominators (thousands of patients a month) the ordinary p-chart limits
    become so narrow that almost every point is "outside" (over-dispersion). Laney (2002)
    standardises each point, zᵢ = (pᵢ − p̄)/σᵢ with σᵢ = √(p̄(1 − p̄)/nᵢ), estimates the
    spread of the z-scores from their average moving range, σ_z = MR-bar(z)/1.128, and sets
    the limits at p̄ ± 3 σᵢ σ_z. When σ_z = 1 this is the ordinary p-chart.

    Parameters
    ----------
    {control.counts}
    {control.baseline}
    {control.change_points}
    {control.rules}
    screen_moving_ranges : bool, default False
        Drop moving ranges of z of 3.267 × MR-bar or more before estimating σ_z. Off by
        default, as in Laney (2002) and qicharts2's ``qic(chart = "pp")``, which screen
        nothing (only the I-chart screens by default).

    Returns
    -------
    ControlChart
        ``sigma_z`` holds σ_z for each period.

    Raises
    ------
    ValueError
        As :func:`p_chart`, and if a period has fewer than 2 points or every rate used for the
        limits is 0 or 1.

    References
    ----------
    Laney DB (2002). Improved control charts for attributes. Quality Engineering
    14(4):531–537.
    Mohammed MA, Laney D (2006). Overdispersion in health care performance data: Laney's
    approach. Qual Saf Health Care 15:383–384.

    Examples
    --------
    With about 10,000 patients a month the ordinary p-chart calls half the months special;
    Laney's limits are 5.7 times wider and call none:

    >>> x = [4150, 4520, 3980, 4460, 4100, 4480]
    >>> n = [10000, 10200, 9900, 10100, 9800, 10050]
    >>> p_chart(x, n).outside
    (1, 2, 5)
    >>> chart = laney_p_chart(x, n)
    >>> round(chart.sigma_z[0], 3), chart.outside
    (5.715, ())
    """
    x, n = _proportion_counts(numerators, denominators)
    return _laney(
        "p'",
        x,
        n,
        lambda p: p * (1 - p),
        screen_moving_ranges=screen_moving_ranges,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        bounds=(0.0, 1.0),
    )


@share_docs(control=CONTROL_PARAMS)
def laney_u_chart(
    counts: Sequence[float] | np.ndarray | pd.Series,
    exposure: Sequence[float] | np.ndarray | pd.Series,
    *,
    per: float = 1.0,
    baseline: int | None = None,
    change_points: Sequence[int] = (),
    screen_moving_ranges: bool = False,
    rules: Rules = "anhoej",
) -> ControlChart:
    """Laney u'-chart: a u-chart whose limits allow for between-period variation.

    As :func:`laney_p_chart` with σᵢ = √(ū / aᵢ): limits ū ± 3 σᵢ σ_z, σ_z = MR-bar(z)/1.128.

    Parameters
    ----------
    counts, exposure : sequence of numbers
        Events and exposure per period.
    per : float, default 1
        Multiplier for display units (e.g. 1000).
    {control.baseline}
    {control.change_points}
    {control.rules}
    screen_moving_ranges : bool, default False
        As in :func:`laney_p_chart`.

    Returns
    -------
    ControlChart

    Raises
    ------
    ValueError
        As :func:`u_chart`, and if a period has fewer than 2 points.

    References
    ----------
    Laney DB (2002). Quality Engineering 14(4):531–537.

    Examples
    --------
    >>> chart = laney_u_chart([30, 52, 41, 25, 60, 38], [10000] * 6, per=1000)
    >>> round(chart.center, 3), round(chart.sigma_z[0], 3)
    (4.1, 2.935)
    """
    c, a = _rate_counts(counts, exposure, per)
    return _laney(
        "u'",
        c,
        a,
        lambda u: u,
        screen_moving_ranges=screen_moving_ranges,
        baseline=baseline,
        change_points=change_points,
        rules=rules,
        bounds=(0.0, None),
        per=float(per),
    )
