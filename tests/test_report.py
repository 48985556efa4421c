"""python -m helpers report on hostile and messy input: one test per file of tests/data/messy/.

Every corpus file holds the same 105 patients (50 Black: 30 with the outcome; 55 White: 40 with it)
in another shape, so each test can check that the numbers survive the mess, not only that
something was written.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.measures import proportion_ci
from helpers.report import main, prepare, write_csv
from helpers.teamfile import BadInputError, read_table

MESSY = Path(__file__).resolve().parent / "data" / "messy"


def run(tmp_path: Path, name: str, *args: str) -> tuple[int, Path]:
    out = tmp_path / f"{Path(name).stem}.html"
    code = main([str(MESSY / name), *args, "--out", str(out), "--quiet"])
    return code, out


def report_text(out: Path) -> str:
    return BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").get_text(" ", strip=True)


def rate_row(out: Path, group: str) -> list[str]:
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    rates = [t for t in soup.find_all("table") if "rate with its" in t.caption.get_text()]
    for row in rates[0].find_all("tr")[1:]:
        cells = [c.get_text(strip=True) for c in row.find_all("td")]
        if cells and cells[0] == group:
            return cells
    raise AssertionError(f"no row for {group}")


def expected_row(group: str, numerator: int, denominator: int) -> list[str]:
    low, high = proportion_ci(numerator, denominator)
    pct = lambda x: f"{100 * float(x):.1f}%"  # noqa: E731
    return [
        group,
        f"{denominator:,}",
        f"{numerator:,}",
        pct(numerator / denominator),
        f"{pct(low)} to {pct(high)}",
    ]


def assert_base_numbers(out: Path) -> None:
    """The corpus's 105 patients: Black 30/50, White 40/55, Wilson intervals (helpers.measures)."""
    assert rate_row(out, "Black") == expected_row("Black", 30, 50)
    assert rate_row(out, "White") == expected_row("White", 40, 55)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("utf8_bom.csv", "UTF-8 with byte-order mark", ","),
        ("crlf.csv", "UTF-8", ","),
        ("semicolon.csv", "UTF-8", ";"),
        ("tab.csv", "UTF-8", "\t"),
    ],
)
def test_encodings_line_endings_and_delimiters_are_detected_and_numbers_survive(
    tmp_path, name, encoding, delimiter
) -> None:
    table = read_table(MESSY / name)
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert list(table.frame.columns) == ["race", "bp"]  # no BOM glued to the first name, no \r
    assert not table.frame.apply(lambda c: c.str.contains("\r")).any().any()
    code, out = run(tmp_path, name, "--outcome", "bp", "--by", "race", "--reference", "White")
    assert code == 0
    assert_base_numbers(out)
    assert encoding in report_text(out)


def test_windows_1252_is_read_as_such_with_a_note_and_accents_intact(tmp_path) -> None:
    table = read_table(MESSY / "windows1252.csv")
    assert table.encoding == "Windows-1252"
    assert "Español" in set(table.frame["language"])
    assert any("not UTF-8" in note for note in table.notes)
    code, out = run(tmp_path, "windows1252.csv", "--outcome", "bp", "--by", "language")
    assert code == 0 and "Español" in report_text(out)


def test_quoted_newlines_and_delimiters_stay_in_their_field_and_lines_are_counted(tmp_path) -> None:
    table = read_table(MESSY / "quoted.csv")
    assert len(table.frame) == 105
    assert table.frame["comment"].iloc[0] == "note, with comma\nand a second line"
    assert table.frame.index[:3].tolist() == [2, 4, 6]  # each record spans two lines of the file
    code, out = run(tmp_path, "quoted.csv", "--outcome", "bp", "--by", "race")
    assert code == 0
    assert_base_numbers(out)


def test_blank_lines_are_skipped_and_counted(tmp_path) -> None:
    table = read_table(MESSY / "blank_lines.csv")
    assert len(table.frame) == 105 and table.blank_lines == 6
    code, out = run(tmp_path, "blank_lines.csv", "--outcome", "bp", "--by", "race")
    assert code == 0 and "6 blank line(s) skipped" in report_text(out)


def test_repeated_header_names_are_kept_apart_with_a_note(tmp_path) -> None:
    table = read_table(MESSY / "duplicate_header.csv")
    assert list(table.frame.columns) == ["race", "bp", "note", "note (2)"]
    assert any("repeats the column name 'note'" in n for n in table.notes)
    code, out = run(tmp_path, "duplicate_header.csv", "--outcome", "bp", "--by", "race")
    assert code == 0
    assert_base_numbers(out)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "the file is empty (0 bytes)"),
        ("header_only.csv", "has a header but no data rows"),
        ("binary.csv", "is not a text (CSV) file"),
        ("stray_quote.csv", "cannot be read as CSV"),
    ],
)
def test_unreadable_files_exit_2_with_the_problem_and_its_fix_and_write_nothing(
    tmp_path, capsys, name, words
) -> None:
    code, out = run(tmp_path, name, "--outcome", "bp", "--by", "race")
    assert code == 2
    err = capsys.readouterr().err
    assert words in err and "Fix:" in err
    assert not out.exists()


def test_rows_with_the_wrong_number_of_fields_are_set_aside_with_their_line(tmp_path) -> None:
    code, out = run(tmp_path, "extra_columns.csv", "--outcome", "bp", "--by", "race")
    assert code == 0
    text = report_text(out)
    assert "105 rows are used; 1 were set aside" in text
    assert "6 fields, but the header (line 1) has 5" in text
    assert_base_numbers(out)


def test_us_iso_and_excel_serial_dates_give_monthly_run_charts(tmp_path) -> None:
    raw = read_table(MESSY / "dates_mixed.csv")
    prepared = prepare(raw, outcome="bp", by=["race"], date="visit_date")
    assert len(prepared.excluded) == 0
    assert prepared.data["month"].nunique() == 12
    assert prepared.data["month"].min() == pd.Timestamp("2024-01-01")
    assert "ISO" in prepared.notes[0] and "US" in prepared.notes[0] and "Excel serial" in prepared.notes[0]
    code, out = run(tmp_path, "dates_mixed.csv", "--outcome", "bp", "--by", "race", "--date", "visit_date",
                    "--reference", "White")  # fmt: skip
    assert code == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    captions = [f.get_text(" ", strip=True) for f in soup.find_all("figcaption")]
    assert any(c.startswith("Monthly BP: Black") for c in captions)
    assert any(c.startswith("Gap over time: Black − White") for c in captions)
    assert all(img.get("alt") for img in soup.find_all("img"))


def test_outcomes_coded_1_0_yes_no_true_false_are_all_read(tmp_path) -> None:
    code, out = run(tmp_path, "outcome_codings.csv", "--outcome", "bp", "--by", "race")
    assert code == 0
    assert_base_numbers(out)


def test_invalid_outcomes_are_set_aside_or_with_strict_refused_with_their_lines(tmp_path, capsys) -> None:
    code, out = run(tmp_path, "invalid_outcome.csv", "--outcome", "bp", "--by", "race")
    assert code == 0
    text = report_text(out)
    assert "103 rows are used; 2 were set aside" in text
    assert "outcome '…' is not 1/0, yes/no or true/false" in text
    out.unlink()
    code, out = run(tmp_path, "invalid_outcome.csv", "--outcome", "bp", "--by", "race", "--strict")
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "column 'bp', lines 32, 33: 'maybe' is not a valid outcome" in err


def test_values_are_escaped_in_the_report_and_neutralised_in_the_csv(tmp_path) -> None:
    csv_out = tmp_path / "table.csv"
    code, out = run(tmp_path, "injection.csv", "--outcome", "bp", "--by", "race", "--csv", str(csv_out))
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    written = pd.read_csv(csv_out, dtype=str)
    groups = set(written["race"])
    assert '\'=HYPERLINK("http://evil.example","x")' in groups
    assert "'+cmd|' /C calc'!A0" in groups
    assert not any(g[0] in "=+-@" for g in groups)


def test_write_csv_leaves_numbers_alone_and_neutralises_column_names(tmp_path) -> None:
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"=bad": ["@SUM(1)", "ok"], "n": [-1, 2]}), path)
    assert path.read_text(encoding="utf-8") == "'=bad,n\n'@SUM(1),-1\nok,2\n"


def test_a_mapping_file_maps_columns_and_codes_and_lists_what_it_does_not_map(tmp_path) -> None:
    code, out = run(tmp_path, "local_codes.csv", "--outcome", "bp", "--by", "race", "--by", "Language",
                    "--map", str(MESSY / "local_codes.yaml"))  # fmt: skip
    assert code == 0
    assert_base_numbers(out)
    text = report_text(out)
    assert "Values the mapping file does not map" in text
    assert "race 9999-9 12" in text  # listed with its count, kept as its own group, never guessed
    assert (
        "Spanish" in text
        and "Spanish/Español" not in text.split("Values the mapping")[0].split("What was read")[1]
    )


def test_a_bad_mapping_file_lists_every_problem(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("colums: {a: b}\noutcome: {yes: [Y], no: [Y]}\n", encoding="utf-8")
    code, _ = run(tmp_path, "utf8_bom.csv", "--outcome", "bp", "--by", "race", "--map", str(bad))
    err = capsys.readouterr().err
    assert code == 2
    assert "2 problems found" in err
    assert "unknown section 'colums' (did you mean 'columns'?)" in err
    assert "under both yes and no" in err


def test_every_column_problem_is_reported_at_once(tmp_path, capsys) -> None:
    code, _ = run(tmp_path, "utf8_bom.csv", "--outcome", "BP", "--by", "Race", "--by", "payer")
    err = capsys.readouterr().err
    assert code == 2
    assert "3 problems found" in err
    assert "--outcome 'BP' is not a column of the file (did you mean 'bp'?)" in err
    assert "--by 'Race' is not a column of the file (did you mean 'race'?)" in err
    assert "--by 'payer'" in err


def test_excel_workbooks_first_sheet_by_default_and_sheet_by_name_or_number(tmp_path, capsys) -> None:
    code, _ = run(tmp_path, "two_sheets.xlsx", "--outcome", "bp", "--by", "race")
    assert code == 2 and "its columns are: 'about'" in capsys.readouterr().err
    for sheet in ("Data", "2"):
        code, out = run(tmp_path, "two_sheets.xlsx", "--outcome", "bp", "--by", "race", "--sheet", sheet)
        assert code == 0
        assert_base_numbers(out)
        assert "sheet 'Data'" in report_text(out)


def test_an_excel_workbook_named_csv_is_read_as_excel_with_a_note(tmp_path) -> None:
    table = read_table(MESSY / "excel_named.csv")
    assert table.format == "xlsx"
    assert "is named .csv but is an Excel workbook" in table.notes[0]
    assert table.frame["visit"].iloc[0] == "2024-01-15"


def test_parquet_files_are_read(tmp_path) -> None:
    code, out = run(tmp_path, "data.parquet", "--outcome", "bp", "--by", "race")
    assert code == 0
    assert_base_numbers(out)


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(tmp_path, capsys) -> None:
    code, out = run(tmp_path, "dates_mixed.csv", "--outcome", "bp", "--by", "race", "--max-megabytes", "0.01")
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "more than the limit of 0 MB" in err or "more than the limit of" in err
    assert "--max-megabytes" in err


def test_a_reference_that_is_not_a_group_is_refused_with_a_suggestion(tmp_path, capsys) -> None:
    code, _ = run(tmp_path, "crlf.csv", "--outcome", "bp", "--by", "race", "--reference", "white")
    err = capsys.readouterr().err
    assert code == 2 and "--reference 'white' is not a group in the data (did you mean 'White'?)" in err


def test_the_input_files_are_never_modified(tmp_path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(MESSY, copy)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.iterdir()}
    for path in copy.iterdir():
        if path.suffix != ".yaml":
            main([str(path), "--outcome", "bp", "--by", "race", "--out", str(tmp_path / "r.html"), "--quiet"])
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in copy.iterdir()}
    assert before == after
    code = main([str(copy / "crlf.csv"), "--outcome", "bp", "--by", "race", "--out", str(copy / "crlf.csv")])
    assert code == 2 and hashlib.sha256((copy / "crlf.csv").read_bytes()).hexdigest() == before["crlf.csv"]


def test_the_report_is_self_contained_and_names_its_reference_group(tmp_path) -> None:
    code, out = run(tmp_path, "crlf.csv", "--outcome", "bp", "--by", "race", "--reference", "White")
    assert code == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert not soup.find_all("script") and not soup.find_all("link")
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
    assert len(soup.find_all("img")) == 2 and all(img["alt"] for img in soup.find_all("img"))
    text = report_text(out)
    assert "Gaps against White" in text
    assert "Black -12.7 " in text  # 30/50 − 40/55 = −0.127: group minus reference, in points


def test_counts_from_1_to_10_never_appear_in_the_tables(tmp_path) -> None:
    small = tmp_path / "small.csv"
    counts = {"Black,yes": 40, "Black,no": 30, "Asian,yes": 4, "Asian,no": 3, "White,yes": 50, "White,no": 20}
    small.write_text("race,bp\n" + "".join(f"{row}\n" * n for row, n in counts.items()), encoding="utf-8")
    out = tmp_path / "r.html"
    assert main([str(small), "--outcome", "bp", "--by", "race", "--out", str(out), "--quiet"]) == 0
    assert rate_row(out, "Asian")[1:4] == ["suppressed", "suppressed", "suppressed (1–10)"]


@pytest.mark.slow
def test_command_line_help_exit_codes_and_no_traceback(tmp_path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "helpers", "report", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    helped = cli("--help")
    assert helped.returncode == 0
    options = "--outcome --by --date --reference --map --sheet --out --csv --strict --dayfirst"
    for option in [*options.split(), "--max-megabytes", "--level", "--quiet", "examples:", "exit codes"]:
        assert option in helped.stdout
    bad = cli(str(MESSY / "empty.csv"), "--outcome", "bp", "--by", "race", "--out", str(tmp_path / "r.html"))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "empty (0 bytes)" in bad.stderr
    good = cli(str(MESSY / "crlf.csv"), "--outcome", "bp", "--by", "race", "--out", str(tmp_path / "r.html"))
    assert good.returncode == 0 and (tmp_path / "r.html").is_file()
    assert "reading" in good.stderr and "wrote" in good.stderr  # progress is shown


def test_read_table_raises_with_every_problem_listed_for_a_missing_file(tmp_path) -> None:
    with pytest.raises(BadInputError, match="no file at"):
        read_table(tmp_path / "nope.csv")


def test_figures_spell_out_group_and_column_names_while_tables_keep_the_datas_labels(tmp_path) -> None:
    # Alt text and captions are prose (read aloud by a screen reader): group names through
    # helpers.group_names ("AIAN" -> "American Indian or Alaska Native", race "Other" -> "Some other race",
    # a language's "Other" unchanged) and column names in words; the tables keep the data's short labels.
    counts = {"AIAN": (22, 10), "NHPI": (14, 16), "Other": (13, 17), "White": (20, 12)}
    lines = ["race_ethnicity,preferred_language,bp_controlled,visit_date"]
    for month in range(1, 13):
        for group, (yes, no) in counts.items():
            for i in range(yes + no):
                language = "Other" if i % 2 else "English"
                lines.append(f"{group},{language},{int(i < yes)},2024-{month:02d}-{1 + i % 28:02d}")
    path = tmp_path / "visits.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    args = ["--outcome", "bp_controlled", "--by", "race_ethnicity", "--by", "preferred_language"]
    args += ["--reference", "White", "--date", "visit_date", "--out", str(out), "--quiet"]
    assert main([str(path), *args]) == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    alts = [img["alt"] for img in soup.find_all("img")]
    captions = [f.figcaption.get_text(" ", strip=True) for f in soup.find_all("figure")]
    assert len(alts) == 4 + 3 + 2  # rates and gaps for two columns; 3 run charts and 2 gaps over time
    # (AIAN has 10 "no" a month: suppressed, so no run chart, and the note says so in words)
    assert "Race and ethnicity American Indian or Alaska Native: no run chart" in report_text(out)
    prose = " ".join(alts + captions)
    for short in ("AIAN", "NHPI", "race_ethnicity", "bp_controlled", "preferred_language", "race ethnicity"):
        assert short not in prose, short
    race_alt = next(a for a in alts if a.startswith("BP controlled by race and ethnicity"))
    assert "highest American Indian or Alaska Native" in race_alt and "lowest Some other race" in race_alt
    assert "Monthly BP controlled: Native Hawaiian or Other Pacific Islander" in prose
    assert "Monthly BP controlled: Some other race" in prose
    assert "Gap over time: Native Hawaiian or Other Pacific Islander − White" in prose
    language_alt = next(a for a in alts if "by preferred language" in a)
    assert "Other" in language_alt and "Some other race" not in language_alt
    assert soup.find("h3").get_text() == "Gaps against White"
    assert "BP controlled by race and ethnicity" in [h.get_text() for h in soup.find_all("h2")]
    assert rate_row(out, "AIAN")[0] == "AIAN" and rate_row(out, "NHPI")[1] == "360"  # tables: data's labels


def test_long_reads_report_their_progress(monkeypatch) -> None:
    import helpers.teamfile

    monkeypatch.setattr(helpers.teamfile, "_PROGRESS_EVERY", 25)
    messages: list[str] = []
    table = read_table(MESSY / "quoted.csv", progress=messages.append)
    assert len(table.frame) == 105
    assert messages == [f"read {n} rows of quoted.csv" for n in (25, 50, 75, 100)]


def test_a_file_larger_than_the_memory_allows_is_refused_naming_the_limit_and_the_way_out(
    tmp_path, capsys, monkeypatch
) -> None:
    # Without --max-megabytes the limit follows the memory available (a read needs about ten bytes per
    # byte of file); the message names the limit, where it comes from, and how to count the file anyway.
    import helpers.teamfile

    monkeypatch.setattr(helpers.teamfile, "_available_memory", lambda: 20 * 1024)
    size = (MESSY / "dates_mixed.csv").stat().st_size
    assert size > 2 * 1024
    code, out = run(tmp_path, "dates_mixed.csv", "--outcome", "bp", "--by", "race")
    err = capsys.readouterr().err
    assert code == 2 and not out.exists() and "Traceback" not in err
    assert "more than the limit of 2.0 kB (the memory this machine has available (20.0 kB) divided by" in err
    assert "python -m helpers report duckdb:// --sql" in err and "--max-megabytes" in err
    monkeypatch.setattr(helpers.teamfile, "_available_memory", lambda: 100 * 1024**3)
    assert helpers.teamfile.default_max_bytes()[0] == helpers.teamfile.DEFAULT_MAX_BYTES


def test_an_unexpected_failure_exits_1_with_a_short_message_and_writes_nothing(
    tmp_path, capsys, monkeypatch
) -> None:
    import helpers.report

    def broken(*args, **kwargs):
        raise RuntimeError("something inside broke")

    monkeypatch.setattr(helpers.report, "build_report", broken)
    code, out = run(tmp_path, "crlf.csv", "--outcome", "bp", "--by", "race")
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "unexpected failure (RuntimeError: something inside broke). Nothing was written." in err
    assert "Traceback" not in err


def test_the_messy_corpus_has_at_least_15_files_each_used_by_a_test() -> None:
    files = sorted(p.name for p in MESSY.iterdir())
    assert len(files) >= 15
    sources = "".join(
        (Path(__file__).parent / name).read_text(encoding="utf-8")
        for name in ("test_report.py", "test_team_data.py", "test_data.py")
    )
    assert [f for f in files if f'"{f}"' not in sources] == []


def test_latin_1_with_a_byte_windows_1252_does_not_define_is_read_as_latin_1(tmp_path) -> None:
    # 0x81 is undefined in Windows-1252: the reader falls back to Latin-1 and says so; accents survive.
    table = read_table(MESSY / "latin1.csv")
    assert table.encoding == "Latin-1 (ISO-8859-1)"
    assert "Português" in set(table.frame["language"])
    assert any("it was read as Latin-1" in note for note in table.notes)
    code, out = run(tmp_path, "latin1.csv", "--outcome", "bp", "--by", "race", "--by", "language")
    assert code == 0
    assert_base_numbers(out)
    assert "Português" in report_text(out) and "Latin-1 (ISO-8859-1)" in report_text(out)
