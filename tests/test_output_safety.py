"""Outputs never replace what they should not; Ctrl-C and SIGTERM stop cleanly; no terminal injection."""

import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import lca
from lca.cli import main
from lca.errors import OutputError
from lca.io import files
from lca.io.files import check_output_path, write_atomic
from lca.terminal import printable

CASE = lca.datasets_dir() / "cases" / "bloom.yaml"


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry of ``folder`` (not following links): kind, inode, size, mtime, link target."""
    entries = {}
    for entry in os.scandir(folder):
        info = entry.stat(follow_symlinks=False)
        target = os.readlink(entry.path) if entry.is_symlink() else None
        entries[entry.name] = (stat.S_IFMT(info.st_mode), info.st_ino, info.st_size, info.st_mtime_ns, target)
    return entries


def one_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    return err[0]


# -- what is at --out ----------------------------------------------------------------------------
def test_report_onto_a_symlink_replaces_neither_the_link_nor_its_target(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.html").write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.html").symlink_to(elsewhere / "precious.html")
    before, before_target = snapshot(out), snapshot(elsewhere)
    for extra in ([], ["--force"]):
        assert main(["report", str(CASE), "--out", str(out / "r.html"), *extra]) == 2
        assert one_error(capsys).startswith(f"error: {out / 'r.html'}: is a symbolic link (to ")
    assert snapshot(out) == before and snapshot(elsewhere) == before_target
    assert (elsewhere / "precious.html").read_text() == "keep me"


def test_report_onto_a_fifo_neither_replaces_nor_writes_through_it(tmp_path, capsys):
    fifo = tmp_path / "r.html"
    os.mkfifo(fifo)
    before = snapshot(tmp_path)
    for extra in ([], ["--force"]):
        assert main(["report", str(CASE), "--out", str(fifo), *extra]) == 2  # and no hang on open
        assert (
            one_error(capsys)
            == f"error: {fifo}: is a FIFO (named pipe), not a regular file; expected a file name"
        )
    assert snapshot(tmp_path) == before and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_report_onto_a_device_node_is_refused(tmp_path, capsys, monkeypatch):
    # a test cannot create device nodes (it may run as root: it must not); a regular file
    # stands in, which lstat reports as a character device, as /dev/stdout's target is
    stand_in = tmp_path / "stdout.html"
    stand_in.write_text("the terminal")
    real_lstat = os.lstat

    def lstat(path, *args, **kwargs):
        result = real_lstat(path, *args, **kwargs)
        if Path(path) == stand_in:
            fields = list(result)
            fields[0] = stat.S_IFCHR | 0o620
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(os, "lstat", lstat)
    before = snapshot(tmp_path)
    assert main(["report", str(CASE), "--out", str(stand_in), "--force"]) == 2
    assert (
        one_error(capsys)
        == f"error: {stand_in}: is a character device, not a regular file; expected a file name"
    )
    assert snapshot(tmp_path) == before and stand_in.read_text() == "the terminal"


def test_dev_stdout_itself_is_refused_and_left_alone(capsys):
    # the audit's case: /dev/stdout is a link (to /proc/self/fd/1), here and in containers
    if not os.path.islink("/dev/stdout"):
        pytest.skip("/dev/stdout is not a symbolic link here")
    before = os.readlink("/dev/stdout")
    assert main(["report", "--format", "html", "--out", "/dev/stdout"]) == 2
    assert one_error(capsys).startswith("error: /dev/stdout: ")
    with pytest.raises(OutputError, match=r"^/dev/stdout: is a symbolic link \(to '/proc/self/fd/1'\)"):
        check_output_path("/dev/stdout")
    assert os.readlink("/dev/stdout") == before


def test_only_a_regular_file_of_its_own_is_created(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(CASE), "--out", str(out)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"] and stat.S_ISREG(os.lstat(out).st_mode)


def test_write_atomic_checks_again_just_before_the_rename(tmp_path, monkeypatch):
    # a link that appears while the payload is written is not replaced either
    target = tmp_path / "r.md"

    def fill(handle, payload):
        handle.write(payload)
        target.symlink_to(tmp_path / "elsewhere.md")

    monkeypatch.setattr(files, "_fill", fill)
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_atomic(target, b"# report\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"] and target.is_symlink()


# -- one rule for every command: --force, never an input, the suffix of the format ---------------
@pytest.mark.parametrize(
    "command",
    [
        ["report", str(CASE), "--out", "{out}.html"],
        ["compare", str(CASE), str(CASE), "--out", "{out}.html"],
        ["export", str(CASE), "--out", "{out}.yaml"],
        ["template", "{out}.xlsx"],
    ],
)
def test_an_existing_file_is_replaced_only_with_force(tmp_path, capsys, command):
    argv = [a.format(out=tmp_path / "result") for a in command]
    path = Path(next(a for a in argv if "result" in a))
    path.write_bytes(b"old")
    assert main(argv) == 2
    assert one_error(capsys) == f"error: {path} exists; use --force to overwrite it"
    assert path.read_bytes() == b"old"
    assert main([*argv, "--force"]) == 0
    assert path.read_bytes() != b"old" and [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_read_only_file_is_not_replaced_even_with_force(tmp_path, capsys):
    path = tmp_path / "r.md"
    path.write_text("signed report")
    path.chmod(0o444)
    assert main(["report", str(CASE), "--out", str(path), "--force"]) == 2
    assert one_error(capsys) == f"error: {path}: is read-only; make it writable first to replace it"
    assert path.read_text() == "signed report"


@pytest.mark.parametrize("how", ["same path", "other spelling", "hard link"])
def test_an_input_is_never_the_output(tmp_path, capsys, how):
    inventory = tmp_path / "bloom.xlsx"
    shutil.copy(lca.datasets_dir() / "cases" / "bloom.xlsx", inventory)
    out = {
        "same path": inventory,
        "other spelling": tmp_path / "." / "bloom.xlsx",
        "hard link": tmp_path / "link.xlsx",
    }[how]
    if how == "hard link":
        os.link(inventory, out)
    content = inventory.read_bytes()
    for command in (["report", str(inventory)], ["export", str(inventory)]):
        assert main([*command, "--out", str(out), "--force"]) == 2
        assert one_error(capsys) == (
            f"error: {out}: is an input of this command ({inventory}); choose another output file name"
        )
    assert inventory.read_bytes() == content
    # the second inventory of report --compare is an input too (here through a hard link)
    other = tmp_path / "other.yaml"
    shutil.copy(CASE, other)
    os.link(other, tmp_path / "other.md")
    argv = ["report", str(CASE), "--compare", str(other), "--out", str(tmp_path / "other.md"), "--force"]
    assert main(argv) == 2
    assert one_error(capsys) == (
        f"error: {tmp_path / 'other.md'}: is an input of this command ({other}); choose another output file name"
    )
    assert other.read_bytes() == CASE.read_bytes()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["report", "--format", "html", "--out", "{tmp}/r.xlsx"],
            "{tmp}/r.xlsx: --format html writes a .html file; name it r.html or leave out --format",
        ),
        (
            ["export", "--format", "yaml", "--out", "{tmp}/r.xlsx"],
            "{tmp}/r.xlsx: expected a file name ending in .yaml or .yml",
        ),
        (["template", "{tmp}/r.yaml"], "{tmp}/r.yaml: expected a file name ending in .xlsx"),
    ],
)
def test_the_suffix_must_be_the_format_s(tmp_path, capsys, argv, expected):
    assert main([a.format(tmp=tmp_path) for a in argv]) == 2
    assert one_error(capsys) == "error: " + expected.format(tmp=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_input_that_is_a_fifo_is_refused_without_hanging(tmp_path, capsys):
    fifo = tmp_path / "inv.yaml"
    os.mkfifo(fifo)
    assert main(["run", str(fifo)]) == 2
    assert one_error(capsys) == f"error: {fifo}: is a FIFO (named pipe), not a regular file; expected a file"


def test_check_output_path_accepts_a_new_name_and_a_regular_file(tmp_path):
    check_output_path(tmp_path / "new.html", overwrite=False)
    (tmp_path / "old.html").write_text("x")
    check_output_path(tmp_path / "old.html", overwrite=True, inputs=[CASE])


# -- signals -------------------------------------------------------------------------------------
def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_sigterm_while_a_report_is_written_leaves_no_temporary_file(tmp_path):
    # the process sends itself SIGTERM halfway through writing the payload, as `kill` would
    code = f"""
        import os, signal, sys
        import lca.io.files as files
        from lca.cli import main

        def fill(handle, payload):
            handle.write(payload[: len(payload) // 2])
            handle.flush()
            os.kill(os.getpid(), signal.SIGTERM)
            handle.write(payload[len(payload) // 2 :])

        files._fill = fill
        sys.exit(main(["report", {str(CASE)!r}, "--out", "r.html"]))
    """
    done = run_python(code, tmp_path)
    assert (done.returncode, done.stderr) == (143, "terminated\n")
    assert list(tmp_path.iterdir()) == []  # neither r.html nor .r.html.*.tmp


def test_ctrl_c_during_monte_carlo_is_one_line_and_exit_130(tmp_path):
    # SIGINT (what Ctrl-C sends) arrives while Monte Carlo evaluates its first chunk
    code = f"""
        import os, signal, sys
        from lca.cli import main
        from lca.uncertainty.propagation import Propagator

        impacts = Propagator.impacts

        def interrupted(self, *args, **kwargs):
            os.kill(os.getpid(), signal.SIGINT)
            return impacts(self, *args, **kwargs)

        Propagator.impacts = interrupted
        sys.exit(main(["run", {str(lca.datasets_dir() / "examples" / "bloom_parametric.yaml")!r},
                       "--iterations", "100000", "--seed", "1"]))
    """
    done = run_python(code, tmp_path)
    assert (done.returncode, done.stderr, done.stdout) == (130, "interrupted\n", "")


def test_ctrl_c_during_a_report_removes_the_partial_file(tmp_path, capsys, monkeypatch):
    def fill(handle, payload):
        handle.write(payload[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "_fill", fill)
    assert main(["report", str(CASE), "--out", str(tmp_path / "r.md")]) == 130
    assert capsys.readouterr().err == "interrupted\n"
    assert list(tmp_path.iterdir()) == []


# -- terminal escapes ----------------------------------------------------------------------------
def test_error_lines_escape_terminal_control_characters(tmp_path, capsys):
    # an input name that would set the terminal title (OSC), then return to the line start
    # and overwrite it with a fake success
    name = "grid\x1b]0;owned\x07\r\x1b[2Kwrote report.html\x9b\u202e"
    text = (
        "format: lca-inventory/1\nname: x\nfunctional_unit: {activity: job, amount: 1, unit: run}\n"
        f"activities:\n  - {{code: job, name: job, phase: training, unit: run,\n"
        f'     exchanges: [{{input: "{name.encode("unicode_escape").decode()}", amount: 1, unit: kWh}}]}}\n'
    )
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["run", str(path)]) == 2
    line = one_error(capsys)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in line)
    assert "grid\\x1b]0;owned\\x07\\r\\x1b[2Kwrote report.html\\x9b\\u202e" in line


def test_printable_keeps_ordinary_text():
    assert (
        printable("50,890 kg CO2 eq · 6.6 mg Sb eq — naïve 日本")
        == "50,890 kg CO2 eq · 6.6 mg Sb eq — naïve 日本"
    )
    assert printable("a\tb\nc\x00") == "a\\tb\\nc\\x00"
