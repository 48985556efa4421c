"""Tests for helpers.workbook: round-trip, atomic writes, locking/merging, corruption, the report."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup
from filelock import FileLock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import workbook as wbmod
from helpers.workbook import SCHEMA, SCHEMA_VERSION, Workbook, default_path, export_report

FIXED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "wb.json"


# ----------------------------------------------------------------------------- basics
def test_round_trip_new_instance(path: Path) -> None:
    wb = Workbook(path)
    wb.save("00", "q1", "B")
    wb.save("00", "n", 41.5)
    wb.save("01", "flags", [True, False, None])
    wb.save("01", "nested", {"a": [1, 2], "b": "ü"})
    again = Workbook(path)
    assert again.get("00", "q1") == "B"
    assert again.get("00", "n") == 41.5
    assert again.get("01", "flags") == [True, False, None]
    assert again.get("01", "nested") == {"a": [1, 2], "b": "ü"}
    assert again.get("01", "missing", "dflt") == "dflt"
    assert again.get("99", "missing") is None
    assert again.modules() == ["00", "01"]
    assert again.to_dict() == {
        "00": {"q1": "B", "n": 41.5},
        "01": {"flags": [True, False, None], "nested": {"a": [1, 2], "b": "ü"}},
    }


def test_file_format_has_schema_and_timestamps(path: Path) -> None:
    wb = Workbook(path, clock=fixed_clock)
    wb.save("03", "gap", 14, label="How large is the gap?")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["answers"]["03"]["gap"] == {
        "value": 14,
        "saved_at": "2025-03-04T05:06:07Z",
        "label": "How large is the gap?",
    }
    assert wb.saved_at("03", "gap") == FIXED
    assert wb.saved_at("03", "nope") is None


def test_nothing_written_until_first_save(path: Path) -> None:
    wb = Workbook(path)
    assert not path.exists()
    assert wb.get("00", "q1") is None
    assert wb.answers().empty
    assert list(wb.answers().columns) == ["module", "key", "label", "value", "saved_at"]


def test_answers_table_is_tidy(path: Path) -> None:
    wb = Workbook(path, clock=fixed_clock)
    wb.save("01", "b", [1, 2])
    wb.save("00", "a", "x", label="Q?")
    table = wb.answers()
    assert table[["module", "key"]].values.tolist() == [["00", "a"], ["01", "b"]]
    assert table["label"].iloc[0] == "Q?" and table["label"].isna().iloc[1]
    assert table["value"].tolist() == ["x", [1, 2]]
    assert str(table["saved_at"].dt.tz) == "UTC"
    assert wb.answers("01")["key"].tolist() == ["b"]


def test_saving_again_replaces(path: Path) -> None:
    wb = Workbook(path)
    wb.save("00", "q", "first")
    wb.save("00", "q", "second")
    assert Workbook(path).get("00", "q") == "second"


def test_get_returns_a_copy(path: Path) -> None:
    wb = Workbook(path)
    wb.save("00", "list", [1])
    wb.get("00", "list").append(2)
    assert wb.get("00", "list") == [1]


def test_numpy_values_are_converted(path: Path) -> None:
    np = pytest.importorskip("numpy")
    wb = Workbook(path)
    wb.save("04", "vals", {"n": np.int64(3), "x": np.float64(0.5), "arr": np.array([1, 2])})
    assert Workbook(path).get("04", "vals") == {"n": 3, "x": 0.5, "arr": [1, 2]}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"x": object()}, {1, 2}])
def test_unstorable_values_raise_valueerror_and_leave_file(path: Path, bad: object) -> None:
    wb = Workbook(path)
    wb.save("00", "ok", 1)
    before = path.read_bytes()
    with pytest.raises(ValueError):
        wb.save("00", "bad", bad)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("module", "key"), [("", "k"), ("00", ""), (None, "k"), ("00", 3), ("  ", "k")])
def test_module_and_key_must_be_nonempty_strings(path: Path, module: object, key: object) -> None:
    with pytest.raises(ValueError, match="non-empty string"):
        Workbook(path).save(module, key, 1)  # type: ignore[arg-type]


def test_directory_path_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="is a directory"):
        Workbook(tmp_path)


def test_default_path_env_and_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PE_WORKBOOK", str(tmp_path / "env.json"))
    assert default_path() == tmp_path / "env.json"
    assert Workbook().path == tmp_path / "env.json"
    monkeypatch.delenv("PE_WORKBOOK")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / "pursuing-equity-workbook.json"


def test_creates_missing_directory(tmp_path: Path) -> None:
    wb = Workbook(tmp_path / "a" / "b" / "wb.json")
    wb.save("00", "q", 1)
    assert Workbook(tmp_path / "a" / "b" / "wb.json").get("00", "q") == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53), 2**53)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
        ),
        max_leaves=10,
    ),
    key=st.text(min_size=1, max_size=20).filter(str.strip),
)
def test_round_trip_property(tmp_path: Path, value: object, key: str) -> None:
    path = tmp_path / "prop.json"
    Workbook(path).save("00", key, value)
    assert Workbook(path).get("00", key) == value


def test_no_output_and_no_warnings(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path.write_text("{not json", encoding="utf-8")
    wb = Workbook(path)
    wb.save("00", "q", "x")
    wb.export_report(path.with_name("r.html"))
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


# ----------------------------------------------------------------------------- atomicity
def test_interrupted_replace_leaves_old_file_intact(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook(path)
    wb.save("00", "q", "old answer")
    before = path.read_bytes()

    def boom(src: str, dst: str) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(wbmod.os, "replace", boom)
    with pytest.raises(OSError, match="power cut"):
        wb.save("00", "q", "new answer")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["wb.json"] or all(
        not p.name.endswith(".tmp") for p in path.parent.iterdir()
    )
    assert Workbook(path).get("00", "q") == "old answer"


def test_write_interrupted_half_way_leaves_old_file_intact(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file gets half the text, then the 'disk' fails: the workbook is untouched."""
    wb = Workbook(path)
    wb.save("00", "q", "old answer")
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.handle.close()
            return False

        def write(self, text: str) -> int:
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            raise OSError("disk full")

    monkeypatch.setattr(wbmod.os, "fdopen", lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k)))
    with pytest.raises(OSError, match="disk full"):
        wb.save("00", "q", "a much longer new answer " * 50)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert Workbook(path).get("00", "q") == "old answer"


def test_fsync_failure_leaves_old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook(path)
    wb.save("00", "q", "old")
    before = path.read_bytes()

    def failing_fsync(fd: int) -> None:
        raise OSError("I/O error")

    monkeypatch.setattr(wbmod.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        wb.save("00", "q", "new")
    monkeypatch.undo()
    assert path.read_bytes() == before


# ----------------------------------------------------------------------------- concurrency
def test_two_instances_interleaving_lose_nothing(path: Path) -> None:
    a = Workbook(path)
    b = Workbook(path)
    for i in range(10):
        a.save("00", f"a{i}", i)
        b.save("01", f"b{i}", i)
    fresh = Workbook(path)
    assert fresh.to_dict() == {"00": {f"a{i}": i for i in range(10)}, "01": {f"b{i}": i for i in range(10)}}
    # each instance sees the other's answers without being reopened
    assert a.get("01", "b9") == 9
    assert b.get("00", "a0") == 0


_WORKER = textwrap.dedent(
    """
    import sys
    from helpers.workbook import Workbook
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(n):
        Workbook(path).save(who, f"k{i}", i) if i % 2 else Workbook(path).save(who, f"k{i}", [who, i])
    """
)


def test_two_processes_writing_the_same_file_lose_nothing(path: Path) -> None:
    n = 40
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), who, str(n)], env=env, stderr=subprocess.PIPE
        )
        for who in ("kernel_a", "kernel_b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()
    data = Workbook(path).to_dict()
    for who in ("kernel_a", "kernel_b"):
        assert sorted(data[who]) == sorted(f"k{i}" for i in range(n))
    assert [p for p in path.parent.iterdir() if p.name.endswith(".tmp") or ".corrupt-" in p.name] == []


def test_lock_held_too_long_raises_timeout(path: Path) -> None:
    wb = Workbook(path, lock_timeout=0.2)
    with FileLock(wb.lock_path), pytest.raises(TimeoutError, match="close other notebooks"):
        wb.save("00", "q", 1)
    assert not path.exists()


# ----------------------------------------------------------------------------- corruption
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[1, 2, 3]", "JSON object"),
        (b'{"hello": 1}', "not a Pursuing Equity workbook"),
        (json.dumps({"schema": SCHEMA, "schema_version": 99, "answers": {}}).encode(), "newer version"),
        (json.dumps({"schema": SCHEMA, "schema_version": 1, "answers": {"00": []}}).encode(), "answers"),
        (json.dumps({"schema": SCHEMA, "schema_version": 1, "answers": {"00": {"q": {}}}}).encode(), "value"),
    ],
)
def test_corrupt_file_is_kept_aside_and_reported(path: Path, content: bytes, reason: str) -> None:
    path.write_bytes(content)
    wb = Workbook(path, clock=fixed_clock)
    assert wb.recovered_from == path.with_name("wb.corrupt-20250304T050607Z.json")
    assert wb.recovered_from.read_bytes() == content
    assert len(wb.messages) == 1 and reason in wb.messages[0] and wb.recovered_from.name in wb.messages[0]
    assert not path.exists()
    wb.save("00", "q", "fresh start")
    assert Workbook(path).get("00", "q") == "fresh start"
    assert wb.recovered_from.read_bytes() == content  # the backup is never touched


def test_backups_are_never_overwritten(path: Path) -> None:
    path.write_text("first bad", encoding="utf-8")
    first = Workbook(path, clock=fixed_clock).recovered_from
    path.write_text("second bad", encoding="utf-8")
    second = Workbook(path, clock=fixed_clock).recovered_from
    assert first != second
    assert first is not None and first.read_text(encoding="utf-8") == "first bad"
    assert second is not None and second.read_text(encoding="utf-8") == "second bad"


def test_file_corrupted_while_open_keeps_known_answers(path: Path) -> None:
    wb = Workbook(path, clock=fixed_clock)
    wb.save("00", "earlier", "kept")
    path.write_text("oops, someone edited this", encoding="utf-8")
    wb.save("00", "later", "also kept")
    assert wb.recovered_from is not None
    assert wb.recovered_from.read_text(encoding="utf-8") == "oops, someone edited this"
    assert Workbook(path).to_dict() == {"00": {"earlier": "kept", "later": "also kept"}}


def test_corruption_noticed_on_get(path: Path) -> None:
    wb = Workbook(path, clock=fixed_clock)
    wb.save("00", "q", 1)
    path.write_text("garbage!", encoding="utf-8")
    assert wb.get("00", "q") == 1  # what this notebook knew is still available
    assert wb.recovered_from is not None and wb.messages


def test_deleted_file_is_rewritten_with_known_answers(path: Path) -> None:
    wb = Workbook(path)
    wb.save("00", "a", 1)
    path.unlink()
    wb.save("00", "b", 2)
    assert Workbook(path).to_dict() == {"00": {"a": 1, "b": 2}}


# ----------------------------------------------------------------------------- figures and report
def _figure():  # type: ignore[no-untyped-def]
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([1, 2, 3], [3, 1, 2])
    return fig


def test_save_figure_matplotlib_bytes_and_plot_result(path: Path) -> None:
    wb = Workbook(path)
    fig = _figure()
    wb.save_figure("03", "fig", fig, "A line that falls then rises.")

    class Result:
        def __init__(self, f):  # type: ignore[no-untyped-def]
            self.fig = f
            self.alt_text = "From a plot result."

    wb.save_figure("03", "result", Result(fig))
    png = base64.b64decode(Workbook(path).figures("03")["fig"]["png_base64"])
    wb.save_figure("03", "raw", png, "Raw PNG bytes.")
    plt.close(fig)
    figs = Workbook(path).figures()
    assert sorted(figs["03"]) == ["fig", "raw", "result"]
    assert figs["03"]["result"]["alt_text"] == "From a plot result."
    assert png.startswith(b"\x89PNG")


def test_save_figure_requires_alt_text_and_png(path: Path) -> None:
    wb = Workbook(path)
    fig = _figure()
    with pytest.raises(ValueError, match="alt_text"):
        wb.save_figure("03", "fig", fig)
    with pytest.raises(ValueError, match="alt_text"):
        wb.save_figure("03", "fig", fig, "   ")
    plt.close(fig)
    with pytest.raises(ValueError, match="not a PNG"):
        wb.save_figure("03", "fig", b"GIF89a", "x")
    with pytest.raises(ValueError, match="matplotlib Figure"):
        wb.save_figure("03", "fig", "not a figure", "x")


EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _report(path: Path) -> tuple[str, BeautifulSoup]:
    wb = Workbook(path, clock=fixed_clock)
    wb.save("00", "hope", "Close the gap\nin two years", label="What do you hope for?")
    wb.save("03", "evil", EVIL, label=EVIL)
    wb.save("03", "list", ["a", "b & c"])
    wb.save("03", "table", {"Black": 0.41, "White": 0.55})
    wb.save("01", "agree", True)
    fig = _figure()
    wb.save_figure("03", "rates", fig, 'Rates by group, "Black" lowest <41%>.')
    plt.close(fig)
    out = wb.export_report(
        path.with_name("report.html"), title="Team <Report>", module_titles={"03": "Stratify to see gaps"}
    )
    text = out.read_text(encoding="utf-8")
    return text, BeautifulSoup(text, "html.parser")


def test_report_groups_by_module_with_date(path: Path) -> None:
    text, soup = _report(path)
    assert soup.title is not None and soup.title.string == "Team <Report>"
    headings = [h.get_text() for h in soup.find_all("h2")]
    assert headings == ["Module 00", "Module 01", "Module 03 · Stratify to see gaps"]
    assert soup.find("time", attrs={"datetime": "2025-03-04"}).get_text() == "4 March 2025"
    assert "Close the gap\nin two years" in text
    assert "What do you hope for?" in soup.get_text()
    assert "b &amp; c" in text
    assert "Yes" in soup.get_text()


def test_report_escapes_user_text(path: Path) -> None:
    text, soup = _report(path)
    assert soup.find("script") is None
    assert not any(tag.has_attr("onerror") for tag in soup.find_all(True))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert EVIL in soup.get_text()  # shown as text, exactly as typed
    assert "<h1>Team &lt;Report&gt;</h1>" in text


def test_report_is_self_contained(path: Path) -> None:
    text, soup = _report(path)
    imgs = soup.find_all("img")
    assert len(imgs) == 1
    assert imgs[0]["src"].startswith("data:image/png;base64,")
    assert imgs[0]["alt"] == 'Rates by group, "Black" lowest <41%>.'
    assert soup.find("link") is None and soup.find("script") is None
    for tag in soup.find_all(True):
        for attr in ("src", "href"):
            if tag.has_attr(attr):
                assert tag[attr].startswith("data:")
    assert "http://" not in text and "https://" not in text
    assert soup.find("style") is not None
    assert soup.html["lang"] == "en"


def test_report_for_empty_workbook(path: Path) -> None:
    out = Workbook(path, clock=fixed_clock).export_report(path.with_name("r.html"))
    assert "No answers have been saved yet." in out.read_text(encoding="utf-8")
    assert not path.exists()


def test_module_level_export_report(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PE_WORKBOOK", str(path))
    Workbook().save("09", "aim", "Halve the gap")
    out = export_report(path.with_name("r.html"))
    assert "Halve the gap" in out.read_text(encoding="utf-8")


def test_report_uses_curriculum_titles_by_default_and_is_readable(path: Path) -> None:
    wb = Workbook(path)
    wb.save("04", "q", 1)
    wb.save("99", "extra", 2)
    out = wb.export_report(path.with_name("r.html"))
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "Module 04 · Measure a disparity well",
        "Module 99",
    ]
    bare = wb.export_report(path.with_name("bare.html"), module_titles={})
    assert "<h2>Module 04</h2>" in bare.read_text(encoding="utf-8")
    assert path.stat().st_mode & 0o077 == 0  # the workbook itself is private
    assert out.stat().st_mode & 0o400  # the report is readable by its owner (and shareable)


# ----------------------------------------------------------------------------- the three parts, alone
def test_answer_store_is_pure_and_round_trips() -> None:
    state = wbmod._empty_state()
    entry = wbmod._answer_entry({"rate": 0.5}, saved_at="2025-03-04T05:06:07Z", label="What if?")
    wbmod._put(state, "answers", "04", "what_if", entry)
    wbmod._put(state, "answers", "00", "q1", wbmod._answer_entry("B", saved_at="2025-01-01T00:00:00Z"))
    rows = wbmod._answer_rows(state)
    assert [(r["module"], r["key"], r["label"]) for r in rows] == [
        ("00", "q1", None),
        ("04", "what_if", "What if?"),
    ]
    assert wbmod._answer_rows(state, "04")[0]["value"] == {"rate": 0.5}
    rows[1]["value"]["rate"] = 9  # a copy: the store is unchanged
    assert wbmod._answer_values(state) == {"04": {"what_if": {"rate": 0.5}}, "00": {"q1": "B"}}
    assert wbmod._modules(state) == ["00", "04"]
    assert wbmod._saved_moment(wbmod._answer(state, "04", "what_if")) == FIXED
    assert wbmod._answer(state, "09", "nothing") is None and wbmod._saved_moment(None) is None
    with pytest.raises(ValueError, match="NaN"):
        wbmod._answer_entry(float("nan"), saved_at="t")


def test_state_text_is_what_the_file_holds(path: Path) -> None:
    Workbook(path, clock=fixed_clock).save("03", "q", [1, "é"])
    text = path.read_text(encoding="utf-8")
    assert wbmod._state_text(wbmod._parse_state(text.encode("utf-8"))) == text
    for raw, reason in [
        (b"\xff", "not valid JSON"),
        (b"[]", "JSON object"),
        (b'{"schema": "x"}', "not a Pursuing"),
    ]:
        with pytest.raises(wbmod._UnreadableError, match=reason):
            wbmod._parse_state(raw)


def test_workbook_file_alone_sets_aside_and_writes_atomically(path: Path) -> None:
    f = wbmod._WorkbookFile(path, clock=fixed_clock, lock_timeout=5)
    assert f.load() is None and f.stamp is None
    state = f.update(lambda s: wbmod._put(s, "answers", "01", "a", {"value": 1}), wbmod._empty_state())
    assert f.stamp is not None and f.reread_if_changed() is None  # our own write is not "a change"
    assert json.loads(path.read_text(encoding="utf-8")) == state
    path.write_text("{oops", encoding="utf-8")
    assert f.reread_if_changed() is None  # unreadable: moved aside under the lock
    assert f.recovered_from == path.with_name("wb.corrupt-20250304T050607Z.json")
    assert f.recovered_from.read_text(encoding="utf-8") == "{oops" and not path.exists()
    kept = f.update(lambda s: None, state)  # the file is gone: what we knew is written back
    assert kept["answers"] == {"01": {"a": {"value": 1}}} and path.exists()
    assert len(f.messages) == 1
