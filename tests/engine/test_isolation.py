"""A whole run over hostile and broken seeds touches nothing but its input, output and styles.

The run (`convert pdf,docx,txt,html,md,json IN -o OUT -j 1 --timeout 0`, so everything happens
in one process) goes through tests/isolation_probe.py in a process of its own, under an audit hook
that records every file opened, every folder listed, every connection or name lookup and
every process started. The seeds name `file:///etc/passwd`, `../` paths, `http://127.0.0.1:9`
URLs, `<link>`, `<img>`, `@import`, and a YAML tag that would run a command; none of that may
show in the record.

What C libraries do on their own is not seen by an audit hook: fontconfig reading the fonts
for WeasyPrint. No process is started at all: WeasyPrint's libraries are found without
`ldconfig` or `gcc` (convert.native).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from testpaths import TESTS

import convert
from convert.native import loader_folders
from convert.styles import default_dir

FORMATS = ("pdf", "docx", "txt", "html", "md", "json")
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Seeds that reach for files by relative and absolute paths, beyond the fixtures' file:// URLs.
ESCAPES = """```yaml
area: "Kent"
url: "../../../../../../etc/passwd"
title: "Escapes | Kent Police"
og:
  image: "../../../../../../etc/passwd"
  description: "<img src='../../../../etc/hostname'>"
```

Monday 1 March 2021

![passwd](../../../../../../etc/passwd) and ![shadow](/etc/shadow) and [a link](../../etc/hostname).

<img src="../../../etc/passwd"> <link rel=stylesheet href="../../../../etc/passwd">

<style>@import url("../../../../etc/passwd"); @font-face { src: url(/etc/passwd) }</style>
"""
SECRETS = ("/etc/passwd", "/etc/shadow", "/etc/hostname")


def under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("isolation")
    folder, out, cwd = base / "in", base / "out", base / "cwd"
    cwd.mkdir()
    shutil.copytree(TESTS / "fixtures" / "broken", folder)
    for seed in (TESTS / "fixtures" / "hostile").glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "escapes.txt").write_text(ESCAPES)
    result = base / "record.json"
    done = subprocess.run(
        # -B: no bytecode written; a first run after an edit would otherwise write __pycache__
        [sys.executable, "-I", "-B", str(TESTS / "isolation_probe.py"), str(result), ",".join(FORMATS),
         str(folder), "-o", str(out), "-j", "1", "--timeout", "0"],  # no time limit: no worker
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr  # the probe ran; the CLI's own code is in the record
    data = json.loads(result.read_text())
    return {"base": base, "in": folder, "out": out, "cwd": cwd, "stderr": done.stderr, **data}


def test_the_run_converted_the_readable_seeds(record: dict) -> None:
    """The record is of a real run: every readable seed has all six outputs."""
    assert record["code"] == 1  # the bad seeds failed
    readable = [p.stem for p in record["in"].iterdir() if not p.name.startswith("bad_")]
    assert len(readable) == 13
    for stem in readable:
        for fmt in FORMATS:
            ext = "docx" if fmt == "docx" else fmt
            assert (record["out"] / f"{stem}.{ext}").is_file(), (stem, fmt)


def test_no_connection_and_no_process(record: dict) -> None:
    kinds = {event[0] for event in record["events"]}
    assert not kinds & {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                        "socket.gethostbyaddr", "socket.sendto", "socket.bind", "urllib.Request",
                        "http.client.connect"}, kinds
    assert not kinds & {"os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.spawn",
                        "subprocess.Popen"}, kinds
    assert not list(record["base"].rglob("yaml-code-ran")) and not (record["cwd"] / "yaml-code-ran").exists()


def test_every_file_opened_is_input_output_styles_or_the_program(record: dict) -> None:
    paths = sysconfig.get_paths()
    program = sorted({os.path.realpath(p) for p in (
        paths["stdlib"], paths["platstdlib"], paths["purelib"], paths["platlib"],
        os.path.dirname(convert.__file__), *(p for p in sys.path if p.endswith(".zip")),
    )})
    folder, out = os.path.realpath(record["in"]), os.path.realpath(record["out"])
    styles = os.path.realpath(default_dir())
    # dates in Europe/London; subprocess stdio; where the loader finds WeasyPrint's libraries
    system = ["/usr/share/zoneinfo", "/dev/null", "/etc/ld.so.conf", "/etc/ld.so.conf.d"]
    tmp = os.path.realpath(record["tmp"])
    opened = [(os.path.realpath(e[1]), e[2], e[3]) for e in record["events"] if e[0] == "open"]
    seen_inputs, refused = set(), []
    for path, flags, raw in opened:
        assert ".." not in Path(raw).parts, raw
        assert path not in SECRETS, raw
        if under(path, [folder]):
            assert not flags & WRITE, path  # inputs are only read
            seen_inputs.add(path)
            continue
        if flags & WRITE and not under(path, [out, "/dev/null"]):
            # find_library's compiler output, tempfile's writable-folder probe and its anonymous
            # (O_TMPFILE) files: in the temporary folder itself, with tempfile's names
            if path != tmp:
                assert os.path.dirname(path) == tmp, path
                assert re.fullmatch(r"(tmp)?[a-z0-9_]{8}", os.path.basename(path)), path
            continue
        allowed = under(path, [out, styles, *program, *system]) or path == tmp or path == "/etc/mime.types"
        if not allowed:
            refused.append(raw)
    assert refused == []  # every file opened outside the allowed places, at once
    assert seen_inputs == {os.path.realpath(p) for p in record["in"].iterdir()}  # each seed, nothing else


def test_folders_listed_are_input_output_or_the_import_path(record: dict) -> None:
    folder, out = os.path.realpath(record["in"]), os.path.realpath(record["out"])
    import_path = [os.path.realpath(p) for p in sys.path if p]
    # the dynamic loader's folders, for WeasyPrint's libraries (convert.native)
    loader = {os.path.realpath(p) for p in [*loader_folders(), "/etc/ld.so.conf.d"]}
    for event in record["events"]:
        if event[0] in ("os.listdir", "os.scandir"):
            path = os.path.realpath(event[1])
            assert path in (folder, out) or path in loader or under(path, import_path), path


def test_the_recorder_sees_what_it_must_refuse(tmp_path: Path) -> None:
    """The guard is not idle: reading /etc/passwd, a `../` path, a name lookup, a connection
    and a command all show in the record."""
    script = f"""
import json, os, socket, sys
sys.path.insert(0, {str(TESTS)!r})
import isolation_probe as probe
sys.addaudithook(probe.hook)
os.chdir({str(tmp_path)!r})
open("/etc/passwd").close()
open("../" * 12 + "etc/hostname").close()
try:
    socket.getaddrinfo("localhost", 9)
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except OSError:
    pass
os.system("true")
probe.recording = False
print(json.dumps(probe.events))
"""
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True)
    events = json.loads(done.stdout)
    opened = [e[1] for e in events if e[0] == "open"]
    assert "/etc/passwd" in opened and "/etc/hostname" in opened
    assert any(e[0] == "open" and ".." in Path(e[3]).parts for e in events)
    kinds = {e[0] for e in events}
    assert {"socket.getaddrinfo", "socket.connect", "os.system"} <= kinds
