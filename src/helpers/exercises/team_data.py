"""Your team's own file: the validation report and the stratified equity report, in the notebook.

The capstone (module 09) runs the same code path as ``python -m helpers report``:
``helpers.teamfile.read_table`` → ``helpers.report.load_mapping`` →
``helpers.report.prepare`` → ``helpers.report.build_report`` →
``helpers.report.render_report``. :func:`team_report` is that path as one pure function that
never raises: every problem with the file, the column names or the mapping comes back in
``TeamReport.problems``, in plain words with its fix, all at once.

:func:`team_data_upload` is the widget, a thin view over :func:`team_report`: a file-upload
button (CSV, Excel .xlsx, Parquet), boxes for the outcome, the group columns, an optional date
column, the reference group and an optional mapping (YAML), and a button that saves the report
next to the notebook as one HTML file.

Nothing leaves the machine. Uploaded bytes are written to a private temporary folder (readable
by the participant's account only, never next to the notebook), read, and deleted at once; the
input is only ever opened for reading.

:func:`course_export` writes a practice export from the course's ``patients`` dataset the way an
EHR registry export often arrives (local column names and codes, semicolons, Windows-1252), so
that the mapping step of module 09 is real.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import pandas as pd

from helpers.exercises._base import Exercise, esc, exercise_box
from helpers.exercises._cards import static_card
from helpers.teamfile import BadInputError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from helpers.report import Prepared

__all__ = [
    "COURSE_MAPPING",
    "TeamDataUpload",
    "TeamReport",
    "course_export",
    "team_data_upload",
    "team_report",
]

RACE_CODES: dict[str, str] = {
    "White": "W",
    "Black": "B",
    "Hispanic/Latino": "H",
    "Asian": "A",
    "AIAN": "I",
    "NHPI": "P",
    "Multiracial": "M",
    "Other": "O",
    "Unknown": "U",
}
"""The practice export's local race/ethnicity codes (``race_ethnicity`` label → code)."""

COURSE_MAPPING = """\
columns:                  # the export's column name: the name used in the report
  "Race/Eth": race_ethnicity
  "Pref Lang": language
  "BP <140/90": bp_controlled
values:                   # per column: the local code: the category shown
  race_ethnicity: {W: White, B: Black, H: Hispanic/Latino, A: Asian, I: AIAN, P: NHPI,
                   M: Multiracial, O: Other}
  language: {ENG: English, "Spanish/Español": Spanish}
outcome:                  # how the outcome is coded, besides 1/0, yes/no, true/false
  "yes": [Controlled]
  "no": [Uncontrolled]
missing: [U]              # codes that mean "not recorded"
"""
"""The mapping (YAML) that turns :func:`course_export`'s local names and codes into the report's."""

PENDING_EVERY = 400
"""In :func:`course_export`, every 400th patient's result is written "pending" (not yet a result)."""

_ACCEPT = ".csv,.xlsx,.parquet,.txt,.tsv"
_SUFFIXES = {".csv", ".xlsx", ".parquet", ".txt", ".tsv"}


# ============================================================================ the practice export
def course_export(patients: pd.DataFrame, folder: str | os.PathLike[str]) -> Path:
    """Write a practice hypertension-registry export with local names and codes.

    One row per patient with hypertension, columns ``MRN``, ``Clinic``, ``Race/Eth`` (local
    one-letter codes, :data:`RACE_CODES`), ``Pref Lang`` (``ENG``, ``Spanish/Español`` or the
    language's name; blank when unknown) and ``BP <140/90`` (``Controlled`` or
    ``Uncontrolled``; every :data:`PENDING_EVERY`-th row ``pending``), semicolon-separated,
    Windows-1252, Windows line endings: the shape many EHR exports have.
    :data:`COURSE_MAPPING` maps it back.

    Parameters
    ----------
    patients : pandas.DataFrame
        ``load_dataset("patients")`` (synthetic; no real person is in it).
    folder : path
        Where to write ``registry_export.csv`` (use a temporary folder).

    Returns
    -------
    pathlib.Path
        The file written.

    Example
    -------
    >>> import tempfile
    >>> tiny = pd.DataFrame({"patient_id": ["P1", "P2"], "clinic": ["Harbor", "Harbor"],
    ...                      "race_ethnicity": ["Black", "White"],
    ...                      "preferred_language": ["Spanish", "English"],
    ...                      "hypertension": [True, True], "bp_controlled": [1, 0]})
    >>> path = course_export(tiny, tempfile.mkdtemp())
    >>> path.read_bytes().decode("cp1252").splitlines()[1]
    'P1;Harbor;B;Spanish/Español;Controlled'
    """
    registry = patients[patients["hypertension"].astype(bool)].reset_index(drop=True)
    language = registry["preferred_language"].astype(str)
    outcome = pd.Series(
        ["Controlled" if v == 1 else "Uncontrolled" for v in registry["bp_controlled"]], dtype=object
    )
    pending = (registry.index + 1) % PENDING_EVERY == 0
    outcome[pending] = "pending"
    export = pd.DataFrame(
        {
            "MRN": registry["patient_id"].astype(str),
            "Clinic": registry["clinic"].astype(str),
            "Race/Eth": registry["race_ethnicity"].astype(str).map(RACE_CODES),
            "Pref Lang": language.replace({"English": "ENG", "Spanish": "Spanish/Español", "Unknown": ""}),
            "BP <140/90": outcome,
        }
    )
    path = Path(folder) / "registry_export.csv"
    text = export.to_csv(sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(text.encode("cp1252"))
    return path


# ============================================================================ the pure function
@dataclass
class TeamReport:
    """What :func:`team_report` returns: the report, or every problem that stopped it.

    Attributes
    ----------
    source : str
        The file's name (as uploaded or given).
    problems : list of Problem
        Everything that stopped the report (empty when it was made).
    html : str or None
        The whole report as one self-contained HTML page (as ``python -m helpers report``
        writes it), or None.
    report : object or None
        The computed report (a ``helpers.report.Report``): ``report.rates``, ``report.gaps``,
        ``report.summaries``, ``report.figures`` and ``report.prepared`` (what was read and set
        aside).
    temporary_file : pathlib.Path or None
        Where uploaded bytes were written while they were read (already deleted).
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    html: str | None = None
    report: Any = None  # a helpers.report.Report
    temporary_file: Path | None = None

    @property
    def ok(self) -> bool:
        """True when the report was made."""
        return self.html is not None and not self.problems

    @property
    def prepared(self) -> Prepared | None:
        """The rows as mapped and checked, with those set aside (``None`` without a report)."""
        return None if self.report is None else self.report.prepared

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The stratified tables, one per ``by`` column (and their combination)."""
        return {} if self.report is None else dict(self.report.rates)

    @property
    def gaps(self) -> dict[str, pd.DataFrame]:
        """The gap tables against the named reference group, one per ``by`` column."""
        return {} if self.report is None else dict(self.report.gaps)

    def problems_text(self) -> str:
        """Every problem, one per line, in plain words with its fix.

        Example
        -------
        >>> empty = Problem("the file is empty (0 bytes)", "export it again")
        >>> print(TeamReport("t.csv", [empty]).problems_text())
        t.csv: 1 problem found
        - the file is empty (0 bytes). Fix: export it again
        """
        return str(BadInputError(self.source, self.problems)) if self.problems else ""

    def body_html(self) -> str:
        """The report's content without the page around it, headings two levels down (for a notebook)."""
        if self.html is None:
            return ""
        start, end = self.html.find("<main>"), self.html.rfind("</main>")
        body = self.html[start + len("<main>") : end]
        # One level down, so that the report's headings nest under the notebook's own.
        for level in (3, 2, 1):
            body = body.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
        return body

    def to_html(self) -> str:
        """The problems (if any) or the validation part of the report, for display."""
        if self.problems:
            n = len(self.problems)
            items = "".join(f"<li>{esc(p)}</li>" for p in self.problems)
            return (
                f'<div class="pe-team-report pe-problems" role="alert"><p><strong>{esc(self.source)}: '
                f"{n} problem{'s' if n != 1 else ''} found.</strong> Nothing was made; fix "
                f"{'them' if n != 1 else 'it'} and run again.</p><ol>{items}</ol></div>"
            )
        return self.validation_html()

    def validation_html(self) -> str:
        """What was read, the rows set aside, missing or unknown groups and unmapped values."""
        body = self.body_html()
        if self.prepared is not None:
            cut = body.find(f"<h4>{esc(self.prepared.outcome)} by ")
            body = body if cut < 0 else body[:cut]
        return f'<div class="pe-team-report">{body}</div>'

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as one HTML file (atomically; ``.html`` is added if missing).

        Raises
        ------
        ValueError
            If there is no report to save (the problems say why).
        """
        from helpers.report import _atomic_write

        if self.html is None:
            raise ValueError("there is no report to save: " + (self.problems_text() or "make it first"))
        out = Path(path).expanduser()
        if out.suffix.lower() not in (".html", ".htm"):
            out = out.with_name(out.name + ".html")
        _atomic_write(out, self.html)
        return out.absolute()

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        if self.problems:
            return self.problems_text()
        return f"TeamReport({self.source!r}: report made)"


def _safe_name(filename: str | None) -> str:
    name = Path(str(filename or "")).name.strip() or "team_file.csv"
    keep = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in name).strip(" .") or "team_file"
    return keep if Path(keep).suffix.lower() in _SUFFIXES else keep + ".csv"


def _as_list(by: str | Sequence[str]) -> list[str]:
    if isinstance(by, str):
        return [b.strip() for b in by.split(",") if b.strip()]
    return [str(b).strip() for b in by if str(b).strip()]


def team_report(
    data: bytes | bytearray | memoryview | str | os.PathLike[str],
    filename: str | None = None,
    *,
    outcome: str,
    by: str | Sequence[str],
    date: str | None = None,
    reference: str | None = None,
    mapping_text: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
    dayfirst: bool = False,
    title: str | None = None,
) -> TeamReport:
    """Make the stratified equity report for a team's file, or list every problem that stops it.

    The same steps as ``python -m helpers report``, with the same messages: read the file
    (``helpers.teamfile.read_table``), read the mapping (``helpers.report.load_mapping``),
    map and check the rows (``helpers.report.prepare``), compute
    (``helpers.report.build_report``) and lay out (``helpers.report.render_report``).
    Never raises for bad input: problems come back in ``problems``.

    Parameters
    ----------
    data : bytes or path
        The file's content (from an upload) or its path. Bytes are written to a private
        temporary folder, read, and deleted before this function returns.
    filename : str, optional
        The file's name as uploaded (shown in messages; its folder part is ignored).
    outcome : str
        The 0/1 outcome column (after the mapping's renames).
    by : str or sequence of str
        The column(s) to stratify by; a string may list several, separated by commas.
    date : str, optional
        A date column, for monthly run charts per group.
    reference : str, optional
        The reference group for the gaps; without it the best group is the reference, and
        the report names it.
    mapping_text : str, optional
        A mapping in YAML (see ``helpers.report.load_mapping``).
    sheet, strict, dayfirst :
        As for ``python -m helpers report``.
    title : str, optional
        The report's heading.

    Returns
    -------
    TeamReport

    Example
    -------
    >>> rows = ["race;bp"] + ["B;Y"] * 30 + ["B;N"] * 20 + ["W;Y"] * 40 + ["W;N"] * 15
    >>> result = team_report(("\\n".join(rows) + "\\n").encode(), "team.csv", outcome="bp", by="race",
    ...                      reference="White", mapping_text='values: {race: {B: Black, W: White}}\\n'
    ...                      'outcome: {"yes": [Y], "no": [N]}')
    >>> result.ok, result.report.references["race"], result.temporary_file.exists()
    (True, 'White', False)
    >>> bad = team_report(b"race;bp\\nB;Y\\n", "team.csv", outcome="BP", by="Race")
    >>> print(bad.problems_text().splitlines()[0])
    team.csv: 2 problems found
    """
    from helpers.report import build_report, load_mapping, prepare, render_report
    from helpers.teamfile import read_table

    is_bytes = isinstance(data, bytes | bytearray | memoryview)
    name = _safe_name(filename) if is_bytes or filename else Path(str(data)).name
    result = TeamReport(source=name)
    by_list = _as_list(by)
    outcome = (outcome or "").strip()
    date = (date or "").strip() or None
    reference = (reference or "").strip() or None
    early: list[Problem] = []
    if not outcome:
        early.append(Problem("no outcome column was given", "type the name of the 0/1 outcome column"))
    if not by_list:
        early.append(
            Problem("no column to stratify by was given", "type one or more column names, e.g. race")
        )
    if isinstance(data, bytes | bytearray | memoryview) and len(data) == 0:
        early.append(Problem("the file is empty (0 bytes)", "export the data again"))
    if early:
        result.problems = early
        return result

    folder = Path(tempfile.mkdtemp(prefix="pe-team-"))  # private: mode 0700, outside the notebook folder
    try:
        if isinstance(data, bytes | bytearray | memoryview):
            path = folder / name
            with open(path, "wb") as handle:
                handle.write(bytes(data))
            result.temporary_file = path
        else:
            path = Path(data)
        mapping = load_mapping(None)
        if mapping_text and mapping_text.strip():
            mapping_file = folder / "mapping.yaml"
            mapping_file.write_text(mapping_text, encoding="utf-8")
            mapping = load_mapping(mapping_file)
        theirs = {ours: mine for mine, ours in mapping["columns"].items()}
        wanted = [outcome, *by_list, *([date] if date else [])]
        raw = read_table(path, sheet=sheet, usecols={theirs.get(n, n) for n in wanted})
        raw.source = name
        prepared = prepare(
            raw, outcome=outcome, by=by_list, date=date, mapping=mapping, strict=strict, dayfirst=dayfirst
        )
        report = build_report(prepared, reference=reference, title=title)
        result.report = report
        result.html = render_report(report).replace(
            "Made on this computer by <code>python -m helpers report</code>",
            "Made on this computer by <code>helpers.exercises.team_report</code> (the same steps as "
            "<code>python -m helpers report</code>)",
        )
    except BadInputError as exc:
        result.problems = list(exc.problems)
    except Exception as exc:  # the last resort: a short message, never a traceback for a participant
        result.problems = [
            Problem(
                f"unexpected failure ({type(exc).__name__}: {exc})",
                "nothing was made; please report this with the settings you used (not the data)",
            )
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return result


# ============================================================================ the widget
class TeamDataUpload(Exercise):
    """The file-upload widget of module 09 (returned by :func:`team_data_upload`).

    Attributes
    ----------
    upload : ipywidgets.FileUpload
    outcome, by, date, reference, save_as : ipywidgets.Text
    mapping : ipywidgets.Textarea
    make_button, save_button : ipywidgets.Button
    output : ipywidgets.HTML
        The problems, or the validation report and the tables.
    status : ipywidgets.HTML
        Where the report was saved, or why not.
    result : TeamReport or None
        The last result.
    """

    kind = "team-data"
    upload: widgets.FileUpload
    outcome: widgets.Text
    by: widgets.Text
    date: widgets.Text
    reference: widgets.Text
    mapping: widgets.Textarea
    save_as: widgets.Text
    make_button: widgets.Button
    save_button: widgets.Button
    output: widgets.HTML
    status: widgets.HTML
    result: TeamReport | None = None
    folder: Path

    def make_report(self) -> TeamReport:
        """Run :func:`team_report` on the uploaded file and the settings typed (as the button does)."""
        files = list(self.upload.value)
        if not files:
            self.result = TeamReport(
                "(no file)", [Problem("no file has been chosen", "click Upload and choose your file")]
            )
        else:
            chosen = files[0]
            self.result = team_report(
                bytes(chosen["content"]),
                chosen.get("name") or "team_file.csv",
                outcome=self.outcome.value,
                by=self.by.value,
                date=self.date.value or None,
                reference=self.reference.value or None,
                mapping_text=self.mapping.value or None,
            )
        result = self.result
        self.output.value = result.to_html() if result.problems else result.body_html()
        self.status.value = ""
        self.save_button.disabled = not result.ok
        return result

    def save_report(self) -> Path | None:
        """Save the last report next to the notebook under the name typed (as the button does)."""
        if self.result is None or not self.result.ok:
            self.status.value = (
                '<div class="pe-save pe-save-failed" role="alert">Make the report first.</div>'
            )
            return None
        name = Path(self.save_as.value.strip() or "equity-report.html").name
        try:
            path = self.result.save(self.folder / name)
        except (OSError, ValueError) as exc:
            self.status.value = (
                f'<div class="pe-save pe-save-failed" role="alert">⚠ Not saved: {esc(exc)}</div>'
            )
            return None
        self.status.value = (
            f'<div class="pe-save" role="status">Saved as {esc(path.name)} next to this notebook. '
            "Check with your organisation before sharing it outside your team.</div>"
        )
        return path


_STATIC = (
    "<p><strong>Make the equity report for your own file.</strong> In JupyterLab this box has an "
    "<em>Upload</em> button for a CSV, Excel (.xlsx) or Parquet file, boxes for the outcome column, the "
    "column(s) to stratify by, an optional date column (for monthly run charts), the reference group "
    "and an optional mapping of local column names and codes (YAML), and a <em>Make the report</em> "
    "button. It runs the same steps as <code>python -m helpers report</code>: every problem with the "
    "file is listed at once, each with its fix; otherwise it shows what was read, the rows set aside "
    "and why, the stratified table with intervals and small counts suppressed, the gaps against the "
    "reference group you name, the summary measures and the figures. <em>Save the report</em> writes "
    "it as one HTML file next to the notebook.</p>"
    "<p><strong>Nothing leaves this computer.</strong> The uploaded file is copied to a private "
    "temporary folder only while it is read, then deleted. Run it only where your organisation allows "
    "its data: never on a public service such as Binder or Google Colab with patient-level data.</p>"
)


def team_data_card() -> str:
    """The static card of the team-data upload (pure): what the live widget does, and where not to run it.

    Nothing is saved to the workbook (the report is a file), so the card's note does not say so.

    Example
    -------
    >>> card = team_data_card()
    >>> "Nothing leaves this computer." in card, "Run this cell (Shift+Enter) to answer here." in card
    (True, True)
    """
    return static_card("team-data", None, _STATIC, saving=False)


def team_data_upload(*, folder: str | os.PathLike[str] = ".") -> TeamDataUpload:
    """A file-upload widget that makes the stratified equity report for a team's own file.

    A thin view over :func:`team_report`. The report is shown under the widget; *Save the
    report* writes it as one HTML file in ``folder`` (the notebook's own folder by default).
    On the published book (no kernel) a static description of the widget is shown.

    Parameters
    ----------
    folder : path, default "."
        Where *Save the report* writes the HTML file.

    Returns
    -------
    TeamDataUpload

    Example
    -------
    >>> rows = ["race,bp"] + ["Black,1"] * 30 + ["Black,0"] * 20 + ["White,1"] * 40 + ["White,0"] * 15
    >>> import datetime
    >>> content = ("\\n".join(rows) + "\\n").encode()
    >>> w = team_data_upload()
    >>> w.upload.value = ({"name": "team.csv", "type": "text/csv", "size": len(content),
    ...                    "last_modified": datetime.datetime(2025, 1, 1), "content": memoryview(content)},)
    >>> w.outcome.value, w.by.value, w.reference.value = "bp", "race", "White"
    >>> w.make_report().ok, "Gaps against White" in w.output.value
    (True, True)
    """
    wide = {"description_width": "12em"}
    layout = widgets.Layout(width="36em")
    title = widgets.HTML(
        '<p class="pe-question"><strong>Make the equity report for your own file</strong> '
        "(CSV, Excel .xlsx or Parquet). Nothing leaves this computer.</p>"
    )
    upload = widgets.FileUpload(accept=_ACCEPT, multiple=False, description="Upload")
    outcome = widgets.Text(
        description="Outcome column:", placeholder="e.g. bp_controlled", style=wide, layout=layout
    )
    by = widgets.Text(
        description="Stratify by:", placeholder="e.g. race_ethnicity, language", style=wide, layout=layout
    )
    date = widgets.Text(
        description="Date column (optional):", placeholder="e.g. visit_date", style=wide, layout=layout
    )
    reference = widgets.Text(
        description="Reference group:", placeholder="e.g. White", style=wide, layout=layout
    )
    mapping = widgets.Textarea(
        description="Mapping (YAML, optional):",
        placeholder='columns:\n  "Race/Eth": race_ethnicity\nvalues:\n  race_ethnicity: {W: White, B: Black}',
        rows=6,
        style=wide,
        layout=widgets.Layout(width="36em"),
    )
    make_button = widgets.Button(description="Make the report", layout=widgets.Layout(width="auto"))
    save_as = widgets.Text(value="equity-report.html", description="Save as:", style=wide, layout=layout)
    save_button = widgets.Button(
        description="Save the report", disabled=True, layout=widgets.Layout(width="auto")
    )
    output = widgets.HTML("")
    status = widgets.HTML("")
    box = exercise_box(
        [title, upload, outcome, by, date, reference, mapping, make_button, output,
         widgets.HBox([save_as, save_button]), status]
    )  # fmt: skip
    ex = TeamDataUpload(
        box,
        static_html=team_data_card(),
        static_text="File upload: make the equity report for your own file (run in JupyterLab).",
        check=team_report,
    )
    ex.upload, ex.outcome, ex.by, ex.date, ex.reference = upload, outcome, by, date, reference
    ex.mapping, ex.save_as, ex.make_button, ex.save_button = mapping, save_as, make_button, save_button
    ex.output, ex.status, ex.folder = output, status, Path(folder)
    make_button.on_click(lambda _b: ex.make_report())
    save_button.on_click(lambda _b: ex.save_report())
    upload.observe(lambda _c: setattr(status, "value", ""), names="value")
    return ex
