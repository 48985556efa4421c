"""The participant's workbook: every answer saved as it is given, and a report to take to the team.

A :class:`Workbook` is one JSON file on the participant's own disk. Each call to
:meth:`Workbook.save` writes the whole file again *atomically* (a temporary file in the same
directory, flushed to disk, then :func:`os.replace`), under a file lock, after re-reading the
file, so that:

* an answer survives a kernel restart, a closed laptop lid or a crash half-way through a write
  (the old file stays whole until the new one is complete);
* two notebooks (two kernels) writing the same workbook never lose each other's answers;
* a file that cannot be read (hand-edited, truncated by a full disk, written by a newer version
  of these helpers) is never overwritten: it is renamed to
  ``<name>.corrupt-<UTC timestamp>.json`` and the problem is recorded in
  ``Workbook.messages`` and ``Workbook.recovered_from`` (nothing is printed and no
  warning is raised, so notebooks stay quiet).

File format (``schema_version`` 1)::

    {
      "schema": "pursuing-equity-workbook",
      "schema_version": 1,
      "answers": {"<module>": {"<key>": {"value": <JSON value>, "saved_at": "<UTC ISO 8601>",
                                         "label": "<question text, optional>"}}},
      "figures": {"<module>": {"<key>": {"png_base64": "<PNG>", "alt_text": "<text>",
                                         "saved_at": "<UTC ISO 8601>"}}}
    }

:meth:`Workbook.export_report` writes one self-contained HTML file (inline CSS, figures as
``data:`` URIs, no scripts, no external resources) with the answers grouped by module.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import html
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "DEFAULT_FILENAME",
    "ENV_VAR",
    "MODULE_TITLES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Workbook",
    "default_path",
    "export_report",
]

#: Environment variable that, when set, names the workbook file used by ``Workbook()``.
ENV_VAR = "PE_WORKBOOK"
#: File name used in the home directory when :data:`ENV_VAR` is not set.
DEFAULT_FILENAME = "pursuing-equity-workbook.json"
#: Identifies the file type inside the JSON.
SCHEMA = "pursuing-equity-workbook"
#: Version of the JSON layout written by this module.
SCHEMA_VERSION = 1

#: Report headings for the modules of the curriculum; pass ``module_titles`` to change them.
MODULE_TITLES: dict[str, str] = {
    "00": "Orientation",
    "01": "Make equity a strategic priority",
    "02": "Get grounded: history, local context and equity data",
    "03": "Stratify to see gaps",
    "04": "Measure a disparity well",
    "05": "Plan improvement with an equity lens",
    "06": "Test changes and see if the gap narrows",
    "07": "Workforce and institutional racism",
    "08": "Community partnerships and social drivers",
    "09": "Capstone: your team's equity project",
}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LOCK_TIMEOUT_SECONDS = 15.0


def default_path() -> Path:
    """Return the workbook path used when ``Workbook()`` is called without one.

    The environment variable ``PE_WORKBOOK`` wins when it is set (useful on a shared
    JupyterHub, in tests, or to keep one workbook per course run); otherwise the file is
    ``~/pursuing-equity-workbook.json`` in the participant's home directory.

    Returns
    -------
    pathlib.Path
        The absolute path of the workbook file (it may not exist yet).

    Example
    -------
    >>> import os
    >>> os.environ.get("PE_WORKBOOK") is not None or default_path().name == "pursuing-equity-workbook.json"
    True
    """
    env = os.environ.get(ENV_VAR, "").strip()
    path = Path(env) if env else Path("~") / DEFAULT_FILENAME
    return path.expanduser().absolute()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _empty_state() -> dict[str, Any]:
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "answers": {}, "figures": {}}


def _json_default(obj: Any) -> Any:
    """Convert numpy scalars and arrays (and other ``.item()``/``.tolist()`` objects) for JSON."""
    if hasattr(obj, "tolist") and callable(obj.tolist):
        return obj.tolist()
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    raise TypeError(
        f"a {type(obj).__name__} cannot be saved in the workbook; save text, a number, True/False, "
        "or a list/dict of those"
    )


def _to_jsonable(value: Any) -> Any:
    """Return ``value`` as plain JSON data (round-tripped), or raise ``ValueError``."""
    try:
        text = json.dumps(value, default=_json_default, allow_nan=False, ensure_ascii=False)
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    except ValueError:
        raise ValueError(
            "NaN and infinity cannot be saved in the workbook; save None (empty) or a number instead"
        ) from None
    return json.loads(text)


def _check_name(what: str, name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{what} must be a non-empty string such as '03' or 'reflection_1', got {name!r}")
    return name


class _UnreadableError(Exception):
    """The workbook file exists but is not a workbook this version can read."""


def _validate_state(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _UnreadableError("the file does not contain a JSON object")
    if data.get("schema") != SCHEMA:
        raise _UnreadableError(f'the file is not a Pursuing Equity workbook (no "schema": "{SCHEMA}")')
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _UnreadableError("the file has no valid schema_version")
    if version > SCHEMA_VERSION:
        raise _UnreadableError(
            f"the file was written by a newer version of the helpers (schema_version {version}; "
            f"this version reads up to {SCHEMA_VERSION}); upgrade the helpers package"
        )
    for section in ("answers", "figures"):
        block = data.get(section, {})
        if not isinstance(block, dict) or not all(
            isinstance(m, str)
            and isinstance(entries, dict)
            and all(isinstance(e, dict) for e in entries.values())
            for m, entries in block.items()
        ):
            raise _UnreadableError(f'the "{section}" section is not a mapping of module -> key -> entry')
        for entries in block.values():
            for entry in entries.values():
                if section == "answers" and "value" not in entry:
                    raise _UnreadableError('an answer entry has no "value"')
                if section == "figures" and not isinstance(entry.get("png_base64"), str):
                    raise _UnreadableError('a figure entry has no "png_base64" text')
    state = _empty_state()
    state["answers"] = data.get("answers", {})
    state["figures"] = data.get("figures", {})
    return state


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable on POSIX; a no-op where directories cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _atomic_write_text(path: Path, text: str, *, new_file_mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` so that readers see either the old file or the new one, whole.

    The text goes to a temporary file in the same directory (same file system, so the final
    rename is atomic), which is flushed and fsync'ed and then moved over ``path`` with
    :func:`os.replace`. If anything fails before the rename, the temporary file is removed and
    ``path`` is untouched. A new file gets ``new_file_mode`` (the workbook is private:
    0o600); an existing file keeps its permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else new_file_mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(path.parent)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _figure_to_png(figure: Any) -> bytes:
    if isinstance(figure, bytes | bytearray | memoryview):
        png = bytes(figure)
        if not png.startswith(_PNG_SIGNATURE):
            raise ValueError("the bytes given to save_figure are not a PNG image (missing PNG signature)")
        return png
    if hasattr(figure, "savefig"):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
        return buffer.getvalue()
    raise ValueError(
        "save_figure needs a matplotlib Figure, PNG bytes, or a plot result with .fig; "
        f"got {type(figure).__name__}"
    )


# ---------------------------------------------------------------------- the file on disk
# A workbook is three parts, each usable and testable alone:
#   * _WorkbookFile – the file: lock, read and validate, set an unreadable file aside, atomic write;
#   * the answer store – pure functions over the JSON state (no file, no clock);
#   * the report – render_report (pure) and Workbook.export_report (one atomic write).
# Workbook is the public face that joins them.

_State = dict[str, Any]
"""The workbook's JSON content: ``schema``, ``schema_version``, ``answers`` and ``figures``."""


@dataclass(frozen=True)
class _Stamp:
    """What identifies one version of the file on disk (to know when to re-read it)."""

    inode: int
    size: int
    mtime_ns: int


def _stamp(path: Path) -> _Stamp | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return _Stamp(st.st_ino, st.st_size, st.st_mtime_ns)


def _state_text(state: Mapping[str, Any]) -> str:
    """The file's text for ``state``: sorted keys, one-space indent, a final newline (pure).

    >>> _state_text({"answers": {}, "schema": "s"})
    '{\\n "answers": {},\\n "schema": "s"\\n}\\n'
    """
    return json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False) + "\n"


def _parse_state(raw: bytes) -> _State:
    """Decode and validate a workbook file's bytes (pure); ``_UnreadableError`` says why not.

    >>> _parse_state(b'{"schema": "pursuing-equity-workbook", "schema_version": 1}')["answers"]
    {}
    >>> _parse_state(b"{not json")
    Traceback (most recent call last):
    ...
    helpers.workbook._UnreadableError: the file is not valid JSON
    """
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _UnreadableError("the file is not valid JSON") from None
    return _validate_state(data)


def _backup_path(path: Path, moment: datetime, taken: Callable[[Path], bool]) -> Path:
    """Where an unreadable ``path`` is kept: ``<stem>.corrupt-<UTC>.json``, never one ``taken``.

    >>> from datetime import datetime, UTC
    >>> at = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    >>> _backup_path(Path("/x/wb.json"), at, lambda p: False).name
    'wb.corrupt-20250304T050607Z.json'
    >>> _backup_path(Path("/x/wb.json"), at, lambda p: not p.name.endswith("-2.json")).name
    'wb.corrupt-20250304T050607Z-2.json'
    """
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = path.stem if path.suffix == ".json" else path.name
    candidate = path.with_name(f"{stem}.corrupt-{stamp}.json")
    counter = 1
    while taken(candidate):  # never overwrite an earlier backup
        counter += 1
        candidate = path.with_name(f"{stem}.corrupt-{stamp}-{counter}.json")
    return candidate


class _WorkbookFile:
    """One workbook file on disk: its lock, reads, the setting aside of an unreadable file, and
    atomic writes. It knows the file format's envelope, not what an answer is.

    ``stamp`` is the version of the file last read or written (``None``: none yet);
    ``messages`` and ``recovered_from`` record an unreadable file that was moved aside.
    """

    def __init__(self, path: Path, *, clock: Callable[[], datetime], lock_timeout: float) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.stamp: _Stamp | None = None
        self.messages: list[str] = []
        self.recovered_from: Path | None = None
        self._clock = clock

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file lock (``<path>.lock``); ``TimeoutError`` after ``lock_timeout`` seconds."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path, timeout=self.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise TimeoutError(
                f"another program has held the workbook lock {self.lock_path} for more than "
                f"{self.lock_timeout:g} s; close other notebooks using this workbook and try again"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def read(self) -> _State | None:
        """The file's state (the caller holds the lock); ``None`` if there is no readable file.

        An unreadable file is moved aside (see :meth:`set_aside`), never overwritten.
        """
        stamp = _stamp(self.path)
        if stamp is None:
            self.stamp = None
            return None
        try:
            state = _parse_state(self.path.read_bytes())
        except _UnreadableError as exc:
            self.set_aside(str(exc))
            return None
        self.stamp = stamp
        return state

    def load(self) -> _State | None:
        """:meth:`read` under the lock (no lock is taken when there is no file)."""
        if _stamp(self.path) is None:
            return None
        with self.locked():
            return self.read()

    def reread_if_changed(self) -> _State | None:
        """The file's state if another program changed it since the last read or write, else ``None``."""
        current = _stamp(self.path)
        if current is None or current == self.stamp:
            return None
        try:
            state = _parse_state(self.path.read_bytes())
        except _UnreadableError:
            return self.load()  # handle (move aside) under the lock
        self.stamp = current
        return state

    def update(self, change: Callable[[_State], None], known: _State) -> _State:
        """Re-read under the lock, apply ``change`` to the fresh state, write it atomically.

        If the file vanished or was unreadable, ``change`` is applied to a copy of ``known``
        (what this notebook already had), so earlier answers are written back, not lost.
        Returns the state written.
        """
        with self.locked():
            disk = self.read() if self.path.exists() else None
            state = disk if disk is not None else copy.deepcopy(known)
            change(state)
            _atomic_write_text(self.path, _state_text(state))
            self.stamp = _stamp(self.path)
        return state

    def set_aside(self, reason: str) -> None:
        """Move an unreadable file to ``<name>.corrupt-<UTC>.json`` and record why."""
        candidate = _backup_path(self.path, self._clock(), Path.exists)
        os.replace(self.path, candidate)
        _fsync_directory(self.path.parent)
        self.stamp = None
        self.recovered_from = candidate
        self.messages.append(
            f"The workbook file could not be read ({reason}). It was kept, unchanged, as "
            f"{candidate.name} next to the workbook, and a new workbook was started. "
            "Ask your facilitator if you need answers from the old file."
        )


# ---------------------------------------------------------------------- the answer store
# Pure functions over a _State: what an entry holds, where it goes and how it reads back.


def _answer_entry(value: Any, *, saved_at: str, label: str | None = None) -> dict[str, Any]:
    """One answer as stored: its JSON value, when it was saved and the question (pure).

    >>> _answer_entry(3, saved_at="2025-01-02T03:04:05Z", label="Score")
    {'value': 3, 'saved_at': '2025-01-02T03:04:05Z', 'label': 'Score'}
    """
    entry: dict[str, Any] = {"value": _to_jsonable(value), "saved_at": saved_at}
    if label is not None:
        entry["label"] = str(label)
    return entry


def _figure_entry(png: bytes, alt_text: str, *, saved_at: str) -> dict[str, Any]:
    """One figure as stored: base64 PNG, alt text and time (pure).

    >>> _figure_entry(b"PNG", " A chart. ", saved_at="2025-01-02T03:04:05Z")["alt_text"]
    'A chart.'
    """
    return {
        "png_base64": base64.b64encode(png).decode("ascii"),
        "alt_text": alt_text.strip(),
        "saved_at": saved_at,
    }


def _put(state: _State, section: str, module: str, key: str, entry: Mapping[str, Any]) -> None:
    """Store ``entry`` under ``state[section][module][key]`` (replacing an earlier one).

    >>> s = _empty_state()
    >>> _put(s, "answers", "03", "q1", {"value": "B"})
    >>> s["answers"]
    {'03': {'q1': {'value': 'B'}}}
    """
    state[section].setdefault(module, {})[key] = dict(entry)


def _answer(state: Mapping[str, Any], module: str, key: str) -> dict[str, Any] | None:
    """The stored answer entry, or ``None``."""
    entry: dict[str, Any] | None = state["answers"].get(module, {}).get(key)
    return entry


def _saved_moment(entry: Mapping[str, Any] | None) -> datetime | None:
    """An entry's ``saved_at`` as an aware UTC datetime (``None`` if it has none).

    >>> _saved_moment({"saved_at": "2025-01-02T03:04:05Z"}).isoformat()
    '2025-01-02T03:04:05+00:00'
    """
    if entry is None or not isinstance(entry.get("saved_at"), str):
        return None
    return datetime.strptime(entry["saved_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _modules(state: Mapping[str, Any]) -> list[str]:
    """Modules with answers or figures, sorted."""
    return sorted(set(state["answers"]) | set(state["figures"]))


def _answer_rows(state: Mapping[str, Any], module: str | None = None) -> list[dict[str, Any]]:
    """One dict per answer (``module, key, label, value, saved_at``), sorted; values copied (pure).

    >>> s = _empty_state()
    >>> _put(s, "answers", "01", "b", {"value": [1], "saved_at": "t"})
    >>> _put(s, "answers", "00", "a", {"value": "x", "label": "Q"})
    >>> [(r["module"], r["key"], r["label"]) for r in _answer_rows(s)]
    [('00', 'a', 'Q'), ('01', 'b', None)]
    """
    rows = []
    for mod in sorted(state["answers"]):
        if module is not None and mod != module:
            continue
        for key in sorted(state["answers"][mod]):
            entry = state["answers"][mod][key]
            rows.append(
                {
                    "module": mod,
                    "key": key,
                    "label": entry.get("label"),
                    "value": copy.deepcopy(entry["value"]),
                    "saved_at": entry.get("saved_at"),
                }
            )
    return rows


def _answer_values(state: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{module: {key: value}}`` for every answer (copied; pure)."""
    return {
        mod: {key: copy.deepcopy(entry["value"]) for key, entry in entries.items()}
        for mod, entries in state["answers"].items()
    }


# ---------------------------------------------------------------------- the public face


class Workbook:
    """A participant's saved answers and figures, kept in one JSON file.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The workbook file. Default: the environment variable ``PE_WORKBOOK`` if it is set,
        otherwise ``~/pursuing-equity-workbook.json`` (see :func:`default_path`). The file and
        its directory are created on the first save; a ``<path>.lock`` file next to it
        coordinates writers.
    clock : callable, optional
        Returns the current time as an aware :class:`datetime.datetime`; used for the
        ``saved_at`` stamps, backup names and the report date. Tests pass a fixed clock.
    lock_timeout : float, default 15
        Seconds to wait for another notebook to finish writing before giving up with
        :class:`TimeoutError`.

    Attributes
    ----------
    path : pathlib.Path
        The absolute path of the workbook file.
    messages : list of str
        Problems found and handled (for example a corrupt file moved aside). Empty when all is
        well. Nothing is printed; show these to the participant if you wish.
    recovered_from : pathlib.Path or None
        Where the last unreadable file was moved (``<name>.corrupt-<timestamp>.json``).

    Example
    -------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = Workbook(pathlib.Path(tmp) / "workbook.json")
    ...     wb.save("03", "largest_gap", "Black vs White, 14 points")
    ...     Workbook(pathlib.Path(tmp) / "workbook.json").get("03", "largest_gap")
    'Black vs White, 14 points'
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        lock_timeout: float = _LOCK_TIMEOUT_SECONDS,
    ) -> None:
        where = Path(path).expanduser().absolute() if path is not None else default_path()
        if where.is_dir():
            raise ValueError(f"workbook path {where} is a directory; give a file name such as workbook.json")
        self._clock: Callable[[], datetime] = clock or _utc_now
        self._file = _WorkbookFile(where, clock=self._clock, lock_timeout=lock_timeout)
        self._state: _State = _empty_state()
        loaded = self._file.load()
        if loaded is not None:
            self._state = loaded

    # ------------------------------------------------------------------ the file's facts
    @property
    def path(self) -> Path:
        """The absolute path of the workbook file."""
        return self._file.path

    @property
    def lock_path(self) -> Path:
        """The lock file next to the workbook (``<path>.lock``)."""
        return self._file.lock_path

    @property
    def messages(self) -> list[str]:
        """Problems found and handled (an unreadable file moved aside); empty when all is well."""
        return self._file.messages

    @property
    def recovered_from(self) -> Path | None:
        """Where the last unreadable file was moved, or ``None``."""
        return self._file.recovered_from

    def _refresh(self) -> None:
        """Re-read the file if another notebook has changed it since we last looked."""
        state = self._file.reread_if_changed()
        if state is not None:
            self._state = state

    def _store(self, section: str, module: str, key: str, entry: Mapping[str, Any]) -> None:
        """Save one entry: merged with the file's current content, written atomically."""

        def change(state: _State) -> None:
            _put(state, section, module, key, entry)

        self._state = self._file.update(change, self._state)

    # ------------------------------------------------------------------ public API
    def save(self, module: str, key: str, value: Any, *, label: str | None = None) -> None:
        """Save one answer now (atomically, merged with answers other notebooks have saved).

        Parameters
        ----------
        module : str
            The module the answer belongs to, e.g. ``"03"``.
        key : str
            The answer's name within the module, e.g. ``"q1"`` or ``"reflection"``.
        value : str, int, float, bool, None, list or dict
            Anything JSON can hold (numpy numbers are converted). Saving again replaces it.
        label : str, optional
            The question or prompt, shown next to the answer in the exported report.

        Raises
        ------
        ValueError
            If ``module``/``key`` are empty or ``value`` cannot be stored as JSON (e.g. NaN).
        TimeoutError
            If another program holds the workbook lock for too long.

        Example
        -------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
        ...     wb.save("04", "what_if", {"group": "Black", "rate": 0.55})
        ...     wb.get("04", "what_if")
        {'group': 'Black', 'rate': 0.55}
        """
        _check_name("module", module)
        _check_name("key", key)
        entry = _answer_entry(value, saved_at=_iso(self._clock()), label=label)
        self._store("answers", module, key, entry)

    def get(self, module: str, key: str, default: Any = None) -> Any:
        """Return a saved answer, or ``default`` when there is none.

        The file is re-read first if another notebook has changed it.

        Example
        -------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     Workbook(pathlib.Path(tmp) / "wb.json").get("00", "q1", default="(not answered)")
        '(not answered)'
        """
        self._refresh()
        entry = _answer(self._state, module, key)
        return copy.deepcopy(entry["value"]) if entry is not None else default

    def saved_at(self, module: str, key: str) -> datetime | None:
        """Return when an answer was last saved (UTC), or ``None`` if it never was."""
        self._refresh()
        return _saved_moment(_answer(self._state, module, key))

    def modules(self) -> list[str]:
        """Return the modules that have answers or figures, sorted."""
        self._refresh()
        return _modules(self._state)

    def answers(self, module: str | None = None) -> pd.DataFrame:
        """Return the saved answers as a tidy table, one row per answer.

        Parameters
        ----------
        module : str, optional
            Only this module's answers.

        Returns
        -------
        pandas.DataFrame
            Columns ``module, key, label, value, saved_at`` (``saved_at`` as a UTC timestamp),
            sorted by module and key. Empty (with those columns) when nothing is saved.

        Example
        -------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
        ...     wb.save("00", "q1", "B")
        ...     wb.save("01", "score", 3)
        ...     wb.answers()[["module", "key", "value"]].to_dict("records")
        [{'module': '00', 'key': 'q1', 'value': 'B'}, {'module': '01', 'key': 'score', 'value': 3}]
        """
        import pandas as pd

        self._refresh()
        frame = pd.DataFrame(
            _answer_rows(self._state, module), columns=["module", "key", "label", "value", "saved_at"]
        )
        frame["value"] = frame["value"].astype(object)
        frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True, format="%Y-%m-%dT%H:%M:%SZ")
        return frame

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """Return ``{module: {key: value}}`` for every saved answer (a copy)."""
        self._refresh()
        return _answer_values(self._state)

    def save_figure(self, module: str, key: str, figure: Any, alt_text: str | None = None) -> None:
        """Save a figure (as PNG) so that it appears in the exported report.

        Parameters
        ----------
        module, key : str
            Where the figure belongs, as for :meth:`save`.
        figure : matplotlib.figure.Figure, bytes, or plot result
            A Figure, PNG bytes, or an object with ``.fig`` (and ``.alt_text``) such as the
            results of :mod:`helpers.plots`.
        alt_text : str
            A one-sentence description of what the figure shows (required unless ``figure``
            carries ``.alt_text``).

        Example
        -------
        >>> import tempfile, pathlib
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots(figsize=(2, 2))
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
        ...     wb.save_figure("03", "rates", fig, "Bar chart of control rates by group.")
        ...     wb.figures("03")["rates"]["alt_text"]
        'Bar chart of control rates by group.'
        >>> plt.close(fig)
        """
        _check_name("module", module)
        _check_name("key", key)
        if alt_text is None:
            alt_text = getattr(figure, "alt_text", None)
        if hasattr(figure, "fig") and not hasattr(figure, "savefig"):
            figure = figure.fig
        if not isinstance(alt_text, str) or not alt_text.strip():
            raise ValueError(
                "save_figure needs alt_text: one sentence saying what the figure shows, "
                "e.g. 'Bar chart: blood-pressure control is lowest for Black patients (41%).'"
            )
        entry = _figure_entry(_figure_to_png(figure), alt_text, saved_at=_iso(self._clock()))
        self._store("figures", module, key, entry)

    def figures(self, module: str | None = None) -> dict[str, Any]:
        """Return saved figures: ``{key: {"png_base64", "alt_text", "saved_at"}}`` for one module,
        or ``{module: {...}}`` for all when ``module`` is None."""
        self._refresh()
        if module is not None:
            return copy.deepcopy(self._state["figures"].get(module, {}))
        return copy.deepcopy(self._state["figures"])

    def export_report(
        self,
        path: str | os.PathLike[str],
        *,
        title: str = "My Pursuing Equity workbook",
        module_titles: Mapping[str, str] | None = None,
    ) -> Path:
        """Write one self-contained HTML report of every answer and figure, grouped by module.

        The file has inline CSS, figures embedded as ``data:`` URIs with their alt text, the
        export date, no scripts and no external resources, so it can be e-mailed or opened
        offline. Everything the participant typed is HTML-escaped.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write the report (written atomically).
        title : str
            The report's heading.
        module_titles : mapping, optional
            Headings for modules, e.g. ``{"03": "Stratify to see gaps"}``; default
            :data:`MODULE_TITLES` (pass ``{}`` for bare "Module 03").

        Returns
        -------
        pathlib.Path
            The report's path.

        Example
        -------
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     wb = Workbook(pathlib.Path(tmp) / "wb.json")
        ...     wb.save("00", "hope", "<b>Close the gap</b>", label="What do you hope for?")
        ...     out = wb.export_report(pathlib.Path(tmp) / "report.html")
        ...     "&lt;b&gt;Close the gap&lt;/b&gt;" in out.read_text(encoding="utf-8")
        True
        """
        self._refresh()
        document = render_report(
            self._state,
            title=title,
            exported_at=self._clock(),
            module_titles=module_titles,
        )
        out = Path(path).expanduser().absolute()
        _atomic_write_text(out, document, new_file_mode=0o644 & ~_umask())
        return out

    def __repr__(self) -> str:
        n = sum(len(v) for v in self._state["answers"].values())
        return f"Workbook({str(self.path)!r}, answers={n})"


# ---------------------------------------------------------------------- the report
_REPORT_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff;max-width:52rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.8rem;margin-bottom:.2rem}
h2{border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2rem}
.meta{color:#444}dl.answers{margin:0}dt{font-weight:600;margin-top:1rem}
dd{margin:.3rem 0 0 0;padding:.5rem .75rem;background:#f4f7fb;border-left:4px solid #0072B2}
.text{white-space:pre-wrap;overflow-wrap:anywhere}.key{color:#555;font-weight:400;font-size:.9em}
.when{display:block;color:#555;font-size:.85em;margin-top:.3rem}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#333;font-size:.95em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
@media print{body{max-width:none}h2{page-break-after:avoid}figure{page-break-inside:avoid}}
"""


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _render_value(value: Any) -> str:
    """Render one saved JSON value as escaped HTML."""
    if value is None:
        return '<span class="text"><em>(empty)</em></span>'
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return _esc(f"{value:g}" if isinstance(value, float) and math.isfinite(value) else value)
    if isinstance(value, str):
        return f'<span class="text">{_esc(value)}</span>' if value.strip() else "<em>(empty)</em>"
    if isinstance(value, list):
        if not value:
            return "<em>(none)</em>"
        return "<ul>" + "".join(f"<li>{_render_value(v)}</li>" for v in value) + "</ul>"
    if isinstance(value, dict):
        if not value:
            return "<em>(none)</em>"
        rows = "".join(
            f'<tr><th scope="row">{_esc(k)}</th><td>{_render_value(v)}</td></tr>' for k, v in value.items()
        )
        return f"<table>{rows}</table>"
    return _esc(value)


def _friendly_time(stamp: Any) -> str:
    if not isinstance(stamp, str):
        return ""
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return _esc(stamp)
    return f'<time datetime="{_esc(stamp)}">{moment:%d %B %Y, %H:%M} UTC</time>'


def render_report(
    state: Mapping[str, Any],
    *,
    title: str,
    exported_at: datetime,
    module_titles: Mapping[str, str] | None = None,
) -> str:
    """Return the HTML text of a workbook report (used by :meth:`Workbook.export_report`).

    Parameters
    ----------
    state : mapping
        The workbook's JSON content (``answers`` and ``figures`` sections).
    title : str
        The heading.
    exported_at : datetime.datetime
        Shown as the export date.
    module_titles : mapping, optional
        Module headings (default :data:`MODULE_TITLES`).

    Returns
    -------
    str
        A complete HTML5 document.

    Example
    -------
    >>> from datetime import datetime, UTC
    >>> page = render_report({"answers": {"01": {"q": {"value": "<script>x</script>"}}}, "figures": {}},
    ...                      title="Report", exported_at=datetime(2025, 1, 2, tzinfo=UTC))
    >>> "<script>" in page, "&lt;script&gt;x&lt;/script&gt;" in page, "2 January 2025" in page
    (False, True, True)
    """
    module_titles = dict(MODULE_TITLES if module_titles is None else module_titles)
    answers: Mapping[str, Any] = state.get("answers", {})
    figures: Mapping[str, Any] = state.get("figures", {})
    modules = sorted(set(answers) | set(figures))
    date_iso = exported_at.astimezone(UTC).strftime("%Y-%m-%d")
    date_text = f"{exported_at.astimezone(UTC):%d %B %Y}".lstrip("0")
    n_answers = sum(len(v) for v in answers.values())
    n_figures = sum(len(v) for v in figures.values())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Defence in depth: even if something slipped through escaping, nothing could run or load.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        "style-src 'unsafe-inline'\">",
        f"<title>{_esc(title)}</title>",
        f"<style>{_REPORT_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_esc(title)}</h1>",
        f'<p class="meta">Exported on <time datetime="{date_iso}">{date_text}</time> · '
        f"{_plural(n_answers, 'answer')}, {_plural(n_figures, 'figure')} · "
        f"{_plural(len(modules), 'module')}</p>",
        "</header>",
        "<main>",
    ]
    if not modules:
        parts.append("<p>No answers have been saved yet.</p>")
    for mod in modules:
        heading = f"Module {mod}"
        if module_titles.get(mod):
            heading += f" · {module_titles[mod]}"
        parts.append(f'<section aria-label="{_esc(heading)}">')
        parts.append(f"<h2>{_esc(heading)}</h2>")
        mod_answers = answers.get(mod, {})
        if mod_answers:
            parts.append('<dl class="answers">')
            for key in sorted(mod_answers):
                entry = mod_answers[key]
                label = entry.get("label")
                if label:
                    parts.append(f'<dt>{_esc(label)} <span class="key">({_esc(key)})</span></dt>')
                else:
                    parts.append(f"<dt>{_esc(key)}</dt>")
                when = _friendly_time(entry.get("saved_at"))
                when_html = f'<span class="when">Saved {when}</span>' if when else ""
                parts.append(f"<dd>{_render_value(entry.get('value'))}{when_html}</dd>")
            parts.append("</dl>")
        for key in sorted(figures.get(mod, {})):
            entry = figures[mod][key]
            b64 = "".join(ch for ch in str(entry.get("png_base64", "")) if ch.isalnum() or ch in "+/=")
            alt = str(entry.get("alt_text", ""))
            parts.append(
                f'<figure><img src="data:image/png;base64,{b64}" alt="{_esc(alt)}">'
                f"<figcaption><strong>{_esc(key)}.</strong> {_esc(alt)}</figcaption></figure>"
            )
        parts.append("</section>")
    parts += [
        "</main>",
        '<footer><p class="meta">Written by the Pursuing Equity Workbook helpers. '
        "It holds only what you saved; check it for details that identify a patient or colleague "
        "before you share it.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def export_report(
    path: str | os.PathLike[str],
    *,
    workbook: Workbook | str | os.PathLike[str] | None = None,
    title: str = "My Pursuing Equity workbook",
    module_titles: Mapping[str, str] | None = None,
) -> Path:
    """Export a workbook as one self-contained HTML report (see :meth:`Workbook.export_report`).

    Parameters
    ----------
    path : str or os.PathLike
        Where to write the report.
    workbook : Workbook or path, optional
        The workbook to export; default: the participant's default workbook
        (:func:`default_path`).
    title : str
        The report's heading.
    module_titles : mapping, optional
        Module headings.

    Returns
    -------
    pathlib.Path
        The report's path.

    Example
    -------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     Workbook(pathlib.Path(tmp) / "wb.json").save("09", "aim", "Close the BP gap by 50%")
    ...     out = export_report(pathlib.Path(tmp) / "r.html", workbook=pathlib.Path(tmp) / "wb.json")
    ...     "Close the BP gap by 50%" in out.read_text(encoding="utf-8")
    True
    """
    wb = workbook if isinstance(workbook, Workbook) else Workbook(workbook)
    return wb.export_report(path, title=title, module_titles=module_titles)
