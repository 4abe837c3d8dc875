"""A hostile corpus, generated at test time: broken encodings, junk records, terminal escapes in
names and fields, destructive output paths, bad configs, Ctrl-C, odd files.

Each case of issue 14 is a test with its expected outcome (exit code, the stderr line, the
skipped entry, output untouched). Every test adds to ``TALLY``; the last test checks the totals:
crashes, documents lost, garbled without a warning, injections and files overwritten are all 0.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cluster_cli.main import cli

from clusterer import Config
from clusterer.ingest import read_paths
from clusterer.pipeline import run_dedup
from clusterer.records import Article, Skipped

TALLY: Counter[str] = Counter()
AR = "قال رئيس الوزراء إن الحكومة ستحاسب المسؤولين عن الهجمات على القواعد العسكرية في البلاد"
AR2 = "أعلنت وزارة الكهرباء عن خطة جديدة لتحسين التغذية في محافظة البصرة خلال فصل الصيف المقبل"
EN = "The port workers went on strike on Monday after talks over pay broke down late on Sunday night."
ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")


def cluster(*args: str, stdin: str | bytes | None = None) -> Result:
    """Run the command in-process; count the run and any crash (a traceback is a crash)."""
    TALLY["inputs tried"] += 1
    res = CliRunner().invoke(cli, list(args), input=stdin)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        TALLY["crashes"] += 1
    if "Traceback" in res.stderr:
        TALLY["crashes"] += 1
    # JSON is data (it keeps the input as it was, C0 controls escaped by JSON itself); what is
    # shown as text on a terminal must carry no escapes at all
    shown = res.stderr if _is_json(res.stdout) else res.stdout + res.stderr
    if any(e in shown for e in ESCAPES) or any(e in res.stdout for e in ("\x1b", "\x07")):
        TALLY["injections"] += 1
    return res


def _is_json(text: str) -> bool:
    try:
        for chunk in text.splitlines() or [text]:
            json.loads(chunk) if chunk.strip() else None
    except ValueError:
        try:
            json.loads(text)
        except ValueError:
            return False
    return bool(text.strip())


def one_line_error(res: Result) -> str:
    """The single ``Error:`` line of a failed run (no traceback, no usage dump needed)."""
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, res.stderr
    return errors[0]


def docs_of(res: Result) -> dict[str, dict]:
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    return {d["id"]: d for d in data["documents"]}


def account(expected_ids: set[str], res: Result) -> dict[str, dict]:
    """Every expected document is in the output; count the ones lost."""
    docs = docs_of(res)
    TALLY["documents lost"] += len(expected_ids - set(docs))
    return docs


def mojibake(text: str) -> bool:
    return any(marker in text for marker in ("Ø", "Ù", "Ã"))


def line(doc_id: str, text: str, **fields: str) -> bytes:
    return json.dumps({"id": doc_id, "text": text, **fields}, ensure_ascii=False).encode() + b"\n"


# 1. one bad line never changes how later lines are read -------------------------------------


def test_bad_jsonl_line_is_decoded_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    cp1256 = json.dumps({"id": "legacy", "text": AR2}, ensure_ascii=False).encode("cp1256")
    stray = line("stray", EN)[:-3] + b"\xff" + line("stray", EN)[-3:]
    path.write_bytes(line("a", AR) + cp1256 + b"\n" + stray + line("b", AR) + line("c", AR2))
    res = cluster(str(path), "--format", "json")
    docs = account({"a", "legacy", "stray", "b", "c"}, res)
    for doc_id in ("b", "c"):
        assert docs[doc_id]["decode_errors"] == 0
    assert docs["legacy"]["decode_errors"] > 0 and docs["stray"]["decode_errors"] == 1
    assert f"{path}:2:" in res.stderr and f"{path}:3:" in res.stderr
    warned = {"legacy", "stray"}
    garbled = [i for i, d in docs.items() if mojibake(d["title"] or "") and i not in warned]
    TALLY["garbled without a warning"] += len(garbled)
    assert not garbled


def test_utf8_text_with_a_few_invalid_bytes_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(f"{AR}\n\n".encode() + b"bad \xff\xfe\xfd\xfc bytes\n\n" + AR2.encode())
    res = cluster(str(path), "--format", "json")
    doc = account({"story.txt"}, res)["story.txt"]
    assert doc["decode_errors"] == 4 and not mojibake(doc["title"] or "")
    assert f"{path}:3: 4 invalid UTF-8 byte sequence(s) replaced" in res.stderr


# 2. one bad record or file name never kills the run ------------------------------------------


def test_odd_digits_and_marks_in_figures_never_stop_the_run(tmp_path: Path) -> None:
    """A presentation form that folds to nothing (U+FE71) among a sentence's words and a
    circled digit after a month name ("February ⓿") once stopped the whole run in summaries."""
    ar = (
        "قال مسؤول عراقي إن ثلاثة صواريخ سقطت قرب مطار بغداد الدولي صباح الاثنين \ufe71 دون إصابات. "
        "وأضاف المسؤول أن قوات الأمن فتحت تحقيقا في الحادث."
    )
    ar2 = (
        "سقطت ثلاثة صواريخ قرب مطار بغداد الدولي صباح الاثنين دون إصابات بحسب مسؤول عراقي. "
        "وقالت قوات الأمن إنها فتحت تحقيقا في الحادث."
    )
    en = "A storm hit the coast on February \u24ff and killed three people, officials said."
    en2 = "A storm killed three people on the coast on February 9, officials said."
    en, en2 = (f"{t} Rescue teams searched the area on Monday." for t in (en, en2))
    path = tmp_path / "odd.jsonl"
    titles = (
        "صواريخ قرب مطار بغداد",
        "سقوط صواريخ قرب مطار بغداد",
        "Storm hits coast",
        "Storm kills three",
    )
    texts = (ar, ar2, en, en2)
    path.write_bytes(
        b"".join(line(i, t, title=h) for i, t, h in zip("abcd", texts, titles, strict=True))
    )
    res = cluster(str(path), "--format", "json")
    assert res.exit_code == 0, res.stderr
    account({"a", "b", "c", "d"}, res)


def test_lone_surrogates_in_id_and_source_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        f'{{"id": "x\\ud800", "source": "\\udfff outlet", "text": "{AR}"}}\n{{"id": "ok", "text": "{EN}"}}\n',
        encoding="utf-8",
    )
    res = cluster(str(path), "--format", "json")
    docs = account({"x\\ud800", "ok"}, res)
    assert docs["x\\ud800"]["decode_errors"] == 2
    assert "lone surrogate" in res.stderr


def test_undecodable_file_name_is_escaped_and_dedup_writes_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (corpus / name).write_text(AR, encoding="utf-8")
    (corpus / "plain.txt").write_text(EN, encoding="utf-8")
    res = cluster(str(corpus), "--format", "json")
    account({"caf\\xe9.txt", "plain.txt"}, res)
    assert "file name is not valid UTF-8" in res.stderr
    out = tmp_path / "kept.jsonl"
    res = cluster("dedup", str(corpus), "-o", str(out))
    assert res.exit_code == 0, res.stderr
    kept = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert {k["id"] for k in kept} == {"caf\\xe9.txt", "plain.txt"}


# 3. terminal injection --------------------------------------------------------------------------


def test_escapes_in_fields_and_names_never_reach_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "evil.jsonl"
    evil = "\x1b[35mpink\x1b]0;pwned\x07 \u202eevil"
    path.write_bytes(line("e1", AR, date=evil, title=evil, source=evil) + line("e2", EN, date=evil))
    res = cluster(str(path), "--format", "table")
    assert res.exit_code == 0 and "pink" in res.stdout
    assert not any(e in res.stdout for e in ESCAPES)
    forged = tmp_path / "x\x1b[31m\nclustered 999 documents"
    res = cluster(str(forged), str(path), "--format", "json")
    assert res.exit_code == 0
    assert [x for x in res.stderr.splitlines() if x.startswith("clustered")] == [
        x for x in res.stderr.splitlines() if x.startswith("clustered 2 documents")
    ]
    assert "\\x1b[31m\\nclustered 999" in res.stderr


# 4/5. output: never onto an input, checked before the work, atomic -------------------------


def test_output_onto_an_input_is_refused_before_any_work(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(AR, encoding="utf-8")
    before = article.read_bytes()
    for args in (
        [str(article), "-o", str(article)],
        ["dedup", str(tmp_path), "-o", str(tmp_path / "b.jsonl"), "--report", str(article)],
        [
            "dedup",
            str(article),
            "-o",
            str(tmp_path / "x.jsonl"),
            "--report",
            str(tmp_path / "x.jsonl"),
        ],
    ):
        res = cluster(*args)
        assert res.exit_code == 1 and "refusing" in one_line_error(res) or "overwrite" in res.stderr
        assert "clustered" not in res.stderr and "kept" not in res.stderr
    TALLY["files overwritten"] += article.read_bytes() != before
    assert article.read_bytes() == before
    assert not (tmp_path / "x.jsonl").exists()


def test_unwritable_destinations_fail_in_one_line_before_the_work(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(EN, encoding="utf-8")
    res = cluster(str(article), "-o", "/nonexistent/d/o.json")
    assert res.exit_code == 1 and "does not exist" in one_line_error(res)
    assert "clustered" not in res.stderr
    if os.path.exists("/dev/full"):
        res = cluster(str(article), "-o", "/dev/full")
        assert res.exit_code == 1 and "no space left" in one_line_error(res)


def test_failed_write_keeps_the_previous_result(tmp_path: Path) -> None:
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text(EN, encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text('{"previous": true}\n', encoding="utf-8")
    script = (
        "import resource, sys; from cluster_cli.main import main; "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100)); sys.argv[1:] = %r; main()"
        % [str(article), "-o", str(out)]
    )
    TALLY["inputs tried"] += 1
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "file too large" in proc.stderr
    TALLY["files overwritten"] += out.read_text(encoding="utf-8") != '{"previous": true}\n'
    assert out.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_closed_stdout_and_broken_pipe_are_one_line(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(EN, encoding="utf-8")
    cmd = [sys.executable, "-m", "cluster_cli", str(article), "--format", "json"]
    TALLY["inputs tried"] += 2
    closed = subprocess.run(
        cmd,
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert closed.returncode == 1 and "standard output is closed" in closed.stderr
    assert "Traceback" not in closed.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1 and "Traceback" not in err


# 6. --config ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"bogus = 1\n", "unknown setting(s): bogus"),
        (b'strict = "false"\n', "strict must be true or false"),
        (b"neighbors = 1.5\n", "neighbors must be an integer"),
        (b"threshold = [\n", "cannot read config"),
        (b"threshold = 7.0\n", "threshold must be between 0 and 1"),
        (b"lang = 5\n", "lang must be a string"),
        (b"lang = '\xff\xfe'\n", "not UTF-8"),
        (b"cluster = 3\n", "cluster must be a table"),
    ],
)
def test_bad_config_is_one_line_naming_the_key(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    conf = tmp_path / "c.toml"
    conf.write_bytes(content)
    res = cluster(str(tmp_path / "none.txt"), "--config", str(conf))
    assert res.exit_code == 2 and expected in one_line_error(res)


# 7. Ctrl-C --------------------------------------------------------------------------------------


def _sigint_by_default() -> None:
    """Let the child be interrupted even when the suite itself runs with SIGINT ignored (a shell
    starts a background job, e.g. ``nohup make test &``, so; children inherit it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigint_exits_130_without_traceback_or_partial_output(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cluster_cli", "-", "-o", str(out)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_sigint_by_default,  # noqa: PLW1509  # (the test starts no thread before)
    )
    assert proc.stdin is not None and proc.stderr is not None
    written = [0]
    record = line("r", AR + " " + EN)

    def feed() -> None:
        try:
            for k in range(200_000):  # until the process is interrupted
                assert proc.stdin is not None
                proc.stdin.write(record.replace(b'"r"', f'"r{k}"'.encode()))
                written[0] += 1
        except (BrokenPipeError, OSError, ValueError):
            pass

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while written[0] < 2000 and time.monotonic() < deadline:  # the pipe is drained: it is reading
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    TALLY["inputs tried"] += 1
    assert code == 130, err
    assert "Traceback" not in err and "Aborted" not in err and "interrupted" in err
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def has_workers(pid: int) -> bool:
    """Whether the process has started worker processes (so it is running the command's code)."""
    tasks = Path(f"/proc/{pid}/task")
    return any((t / "children").read_text(encoding="ascii").strip() for t in tasks.iterdir())


_SYLLABLES = [
    "ka", "lo", "mir", "sun", "ta", "ve", "dor", "pi", "rel", "gan", "os", "fu", "ne", "zar",
]  # fmt: skip


def _events_corpus(path: Path, events: int) -> None:
    """Write three reports of each of ``events`` events: they share the event's own words, each
    says the rest in words of its own (no two are copies), so every stage has work to do."""
    rng = random.Random(7)
    vocabulary = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES]
    with path.open("wb") as fh:
        for e in range(events):
            names = [f"{rng.choice(vocabulary).title()}{e}" for _ in range(6)]
            for k in range(3):
                said = [
                    " ".join(rng.choices(vocabulary, k=14)).capitalize() + "." for _ in range(6)
                ]
                lead = f"{names[0]} and {names[1]} met in {names[2]} on {e % 28 + 1} May."
                fh.write(line(f"d{e}-{k}", " ".join([lead, *said[:3], " ".join(names), *said[3:]])))


@pytest.mark.parametrize("after", [0.0, 1.0, 3.0, 6.0])
def test_ctrl_c_to_the_process_group_leaves_no_worker_behind(tmp_path: Path, after: float) -> None:
    """A terminal's Ctrl-C reaches every process of the group (workers included), at some point
    of the run: reading, normalizing on the worker processes, clustering or summarizing."""
    corpus = tmp_path / "in.jsonl"
    _events_corpus(corpus, 2000)
    out = tmp_path / "out.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cluster_cli", str(corpus), "-o", str(out), "--jobs", "2"],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while proc.poll() is None and not has_workers(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(after)
    with_group = proc.poll() is None
    if with_group:
        os.killpg(proc.pid, signal.SIGINT)
    code = proc.wait(timeout=60)
    err = proc.stderr.read().decode()
    TALLY["inputs tried"] += 1
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    # the run may have finished just before the signal, or as it landed: the result written,
    # the interpreter was shutting down (it then dies of the signal, which a shell shows as 130)
    finished = "clustered 6000 documents" in err
    if finished:
        assert code in (0, 130, -signal.SIGINT), f"exit code {code}: {err}"
        assert json.loads(out.read_text(encoding="utf-8"))["schema_version"]
    elif with_group:
        assert code == 130, f"exit code {code}: {err}"
        assert not out.exists()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)  # is any process of the run's group still alive?
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("worker processes outlived the interrupted run")


# 8. silent losses -------------------------------------------------------------------------------


def test_unterminated_csv_quote_does_not_swallow_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        f'id,title,text\n1,One,"{AR}\n2,Two,{EN}\n3,Three,"{AR2}"\n4,Four,{EN} again\n',
        encoding="utf-8",
    )
    res = cluster(str(path), "--format", "json")
    account({"2", "3", "4"}, res)
    skipped = json.loads(res.stdout)["skipped"]
    assert [s["origin"] for s in skipped] == [f"{path}:2"] and "quote" in skipped[0]["reason"]


def test_nul_byte_skips_only_its_csv_row(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_bytes(f"id,text\n1,{EN}\n2,bad\x00row\n3,{AR}\n".encode())
    res = cluster(str(path), "--format", "json")
    account({"1", "3"}, res)
    assert ["NUL" in s["reason"] for s in json.loads(res.stdout)["skipped"]] == [True]


def test_each_skipped_input_is_warned_about_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (corpus / "empty.txt").write_bytes(b"")
    lines = f'{{"id": "a", "text": "{EN}"}}\nnot json\n{{"id": "n", "text": "***"}}\n'
    (corpus / "a.jsonl").write_text(lines, encoding="utf-8")  # ("***": no words, found later)
    for command in ([str(corpus), "--json"], ["dedup", str(corpus), "-o", str(tmp_path / "u")]):
        for jobs in ("1", "2"):
            res = cluster(*command, "--jobs", jobs)
            warned = [line for line in res.stderr.splitlines() if line.endswith("; skipped")]
            assert len(warned) == 4 == len(set(warned)), res.stderr
            assert any("a.jsonl:3: no words left" in line for line in warned)


def test_hidden_files_are_listed_as_skipped_or_read_on_request(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "shown.txt").write_text(EN, encoding="utf-8")
    res = cluster(str(tmp_path), "--format", "json")
    skipped = json.loads(res.stdout)["skipped"]
    assert (
        skipped == [{"origin": str(tmp_path / ".hidden.txt"), "reason": skipped[0]["reason"]}]
        and "--include-hidden" in skipped[0]["reason"]
    )
    account({".hidden.txt", "shown.txt"}, cluster(str(tmp_path), "--include-hidden", "--json"))


# 9. symlinks ------------------------------------------------------------------------------------


def test_symlink_outside_the_folder_is_skipped_unless_followed(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(AR2, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(EN, encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    (corpus / "link.txt").symlink_to(outside)
    res = cluster(str(corpus), "--format", "json")
    data = json.loads(res.stdout)
    assert {d["id"] for d in data["documents"]} == {"a.txt", "inside.txt"}
    assert [s["origin"] for s in data["skipped"]] == [str(corpus / "link.txt")]
    assert "outside the paths given" in data["skipped"][0]["reason"]
    account({"a.txt", "link.txt"}, cluster(str(corpus), "--follow-symlinks", "--json"))


# 10. eval ---------------------------------------------------------------------------------------


def test_eval_on_malformed_nested_or_empty_input_is_one_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "label": "x"}\n', encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"clusters": [1, 2', encoding="utf-8")
    shapes = tmp_path / "shapes.json"
    shapes.write_text('{"clusters": [{"members": 5}]}', encoding="utf-8")
    for pred in (deep, broken, shapes):
        res = cluster("eval", str(gold), str(pred))
        assert res.exit_code == 1 and str(pred) in one_line_error(res)
    res = cluster("eval", "/dev/null", str(broken))
    assert res.exit_code == 1 and "no gold records" in one_line_error(res)
    assert "pair_f1" not in res.stdout


# 11. smaller ------------------------------------------------------------------------------------


def test_fifo_is_skipped_not_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    items = list(read_paths([str(fifo), str(tmp_path)]))  # would hang if opened
    reasons = [i.reason for i in items if isinstance(i, Skipped)]
    assert reasons == ["not a regular file (a pipe, device or socket)"] * 2
    TALLY["inputs tried"] += 1


def test_folder_named_like_a_subcommand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("eval").mkdir()
    Path("eval/a.txt").write_text(EN, encoding="utf-8")
    account({"a.txt"}, cluster("./eval", "--format", "json"))
    res = cluster("eval", "--help")
    assert "is taken as the subcommand" in res.stderr and "./eval" in res.stderr


def test_repeated_basenames_get_unique_ids(tmp_path: Path) -> None:
    for folder, text in (("a", EN), ("b", AR)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, encoding="utf-8")
    res = cluster(str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "--json")
    account({"a/x.txt", "b/x.txt"}, res)
    res = cluster(str(tmp_path / "a"), str(tmp_path / "b"), "--json")
    account({"a/x.txt", "b/x.txt"}, res)


def test_decompressed_size_is_capped_and_reported(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a " * 500_000))
    lines = tmp_path / "bomb.jsonl.gz"
    lines.write_bytes(gzip.compress(line("first", EN) + line("pad", "b " * 600_000)))
    res = cluster(str(bomb), str(lines), "--max-bytes", "100000", "--json")
    skipped = json.loads(res.stdout)["skipped"]
    assert [s["origin"] for s in skipped] == [str(bomb), f"{lines}:2"]
    assert all("--max-bytes" in s["reason"] for s in skipped)
    account({"first"}, res)


def _copies(n: int) -> list[Article]:
    paras = [
        f"{AR}، وأضاف المتحدث في بيانه الأول أن التحقيق مستمر.",
        f"{AR2}، بحسب ما أعلنته الجهات الرسمية يوم الأحد.",
        "وقالت مصادر محلية إن الأضرار شملت عدداً من المباني والمحال التجارية في الحي القديم.",
        "ودعت المنظمات الإنسانية إلى فتح ممرات آمنة لإيصال المساعدات إلى السكان المتضررين.",
        "وكانت الحكومة قد تعهدت في وقت سابق بتعويض العائلات المتضررة وإعادة إعمار ما دُمّر.",
    ]
    out = [
        Article(
            id=f"copy{k:02d}",
            text="\n\n".join([*paras, f"تحديث رقم {k} في الساعة {k + 1}"]),
            origin=f"copy{k:02d}",
            source="outlet.example",
        )
        for k in range(n)
    ]
    others = (EN, "The solar farm on the coast opened on Friday with four hundred panels in place.")
    out += [
        Article(id=f"other{j}", text=f"{t}\n\n{t} More.", origin="o", source="outlet.example")
        for j, t in enumerate(others)
    ]
    return out


@pytest.mark.parametrize("n", [4, 10, 30])
def test_copies_of_one_article_are_not_learned_as_boilerplate(n: int) -> None:
    TALLY["inputs tried"] += 1
    result = run_dedup(iter(_copies(n)), Config())
    assert not any(AR[:20] in " ".join(r.examples) for r in result.boilerplate)
    duplicates = {r.id for r in result.dedup.duplicates}
    assert len(duplicates) == n - 1 and not duplicates & {"other0", "other1"}


def test_forty_copies_are_all_found() -> None:
    result = run_dedup(iter(_copies(40)), Config())
    assert len(result.dedup.duplicates) == 39


def test_zz_totals() -> None:
    """The closing counts (printed with -s); everything but inputs tried must be 0."""
    print("\nhostile corpus:", dict(sorted(TALLY.items())))
    assert TALLY["inputs tried"] >= 30
    for key in ("crashes", "documents lost", "garbled without a warning", "injections"):
        assert TALLY[key] == 0, key
    assert TALLY["files overwritten"] == 0
