"""Input and output files: what may be read, what may be written, and writing it safely.

One rule for every command that writes a file (``lca report``, ``compare``, ``export``,
``template``):

* the target is a new name or an existing **regular** file; a folder, a symbolic link, a
  FIFO, a device or a socket at the target is refused (never replaced, never written
  through), so ``--out /dev/stdout`` cannot replace the system's ``/dev/stdout``;
* an existing file is replaced only with ``--force`` (``overwrite=True``), never when it
  is read-only, and never when it is one of the command's inputs (the same file by
  device and inode, so a hard link or another spelling of the path is caught too);
* the file name ends in a suffix of its format (``--format html --out r.xlsx`` is refused);
* the payload goes to a hidden temporary file in the same folder, which is renamed over
  the target only once complete: a failure, Ctrl-C or SIGTERM leaves the target as it
  was and no temporary file behind (:func:`remove_partial_files` is what the command
  line's SIGTERM handler calls).

A symbolic link is refused rather than followed: writing through it would change a file
elsewhere that the user did not name, and replacing it would drop the link.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomic(folder / "r.md", b"# report\\n")
>>> check_output_path(folder / "r.md", overwrite=False)
Traceback (most recent call last):
lca.errors.OutputError: ...r.md exists; use --force to overwrite it
>>> sorted(p.name for p in folder.iterdir())  # no temporary file left
['r.md']
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from lca.errors import OutputError

#: File name suffixes of each output format (the first is the one to suggest).
SUFFIXES = {
    "html": (".html", ".htm"),
    "md": (".md", ".markdown"),
    "xlsx": (".xlsx",),
    "yaml": (".yaml", ".yml"),
}
#: Temporary files being written now (removed by :func:`remove_partial_files`).
_PARTIAL: set[Path] = set()

_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_problem(path: Path) -> str | None:
    """What is wrong with an input ``path`` that should be a readable file (None if nothing).

    Examples
    --------
    >>> file_problem(Path("."))
    'is a folder; expected a file'
    >>> file_problem(Path("no-such-inventory.yaml"))
    'no such file'
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:  # a name too long, a loop of links, no permission on the folder...
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder; expected a file"
    return f"is {_kind(mode)}, not a regular file; expected a file"


def check_output_path(
    path: str | os.PathLike[str],
    *,
    overwrite: bool = True,
    inputs: Iterable[str | os.PathLike[str]] = (),
    suffixes: Iterable[str] = (),
) -> None:
    """Refuse an output path that must not be written, before any work is done for it.

    Parameters
    ----------
    path : path
        The output file.
    overwrite : bool
        Whether an existing regular file may be replaced (``--force``).
    inputs : paths
        The files the command reads: the output may be none of them.
    suffixes : str
        Accepted suffixes (``".html"``...), lower case; empty accepts any.

    Raises
    ------
    OutputError
        Starting with ``path``: a folder, a link, a FIFO or device, a missing folder, an
        existing file without ``overwrite``, a read-only file, an input, a wrong suffix.

    Examples
    --------
    >>> check_output_path("nodir/report.html")
    Traceback (most recent call last):
    lca.errors.OutputError: nodir/report.html: folder 'nodir' does not exist; create it first
    >>> check_output_path("report.html", suffixes=(".xlsx",))
    Traceback (most recent call last):
    lca.errors.OutputError: report.html: expected a file name ending in .xlsx
    """
    path = Path(path)
    suffixes = tuple(suffixes)
    if suffixes and path.suffix.lower() not in suffixes:
        raise OutputError(f"{path}: expected a file name ending in {' or '.join(suffixes)}")
    mode = _existing_mode(path)
    if mode is None:
        try:
            folder_exists = (path.parent or Path(".")).is_dir()
        except OSError as exc:
            raise OutputError(f"{path}: cannot write it ({exc.strerror})") from None
        if not folder_exists:
            raise OutputError(f"{path}: folder '{path.parent}' does not exist; create it first")
        return
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OutputError(
                f"{path}: is an input of this command ({source}); choose another output file name"
            )
    if not overwrite:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    if not mode & 0o222:
        raise OutputError(f"{path}: is read-only; make it writable first to replace it")


def write_atomic(path: str | os.PathLike[str], payload: bytes, *, overwrite: bool = True) -> None:
    """Write ``payload`` to ``path`` via a temporary file in the same folder, then rename.

    The target is checked again (:func:`check_output_path`) just before the rename, so
    that nothing but a regular file is ever replaced. The file gets the permissions of an
    ordinary new file (0666 less the umask), not the private 0600 of the temporary file.
    """
    path = Path(path)
    check_output_path(path, overwrite=overwrite)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    _PARTIAL.add(tmp)  # before it exists, so that a signal at any point finds it
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in folder '{path.parent}' ({exc.strerror})") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                _fill(handle, payload)
            os.chmod(tmp, 0o666 & ~_umask())
            check_output_path(path, overwrite=overwrite)  # still absent or a regular file
            os.replace(tmp, path)
        except OutputError:
            raise
        except OSError as exc:
            raise OutputError(f"{path}: cannot write it ({exc.strerror})") from None
    finally:
        tmp.unlink(missing_ok=True)
        _PARTIAL.discard(tmp)


def remove_partial_files() -> None:
    """Remove the temporary files of writes in progress (on SIGTERM, before exiting)."""
    for tmp in list(_PARTIAL):
        tmp.unlink(missing_ok=True)
        _PARTIAL.discard(tmp)


def _fill(handle, payload: bytes) -> None:
    handle.write(payload)


def _existing_mode(path: Path) -> int | None:
    """The mode of what is at ``path`` (not following a link); None when nothing is there."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, no permission on the folder...
        raise OutputError(f"{path}: cannot write it ({exc.strerror})") from None
    if stat.S_ISREG(mode):
        return mode
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder; expected a file name")
    if stat.S_ISLNK(mode):
        target = os.readlink(path)
        raise OutputError(
            f"{path}: is a symbolic link (to '{target}'); links are not written through or "
            "replaced: give the target's own path or a new file name"
        )
    raise OutputError(f"{path}: is {_kind(mode)}, not a regular file; expected a file name")


def _kind(mode: int) -> str:
    return next((label for test, label in _KINDS if test(mode)), "an unknown kind of file")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["SUFFIXES", "check_output_path", "file_problem", "remove_partial_files", "write_atomic"]
