"""Run the command line in this process under an audit hook; write what it touched as JSON.

    python -I tests/isolation_probe.py RESULT.json FORMAT PATH... -o OUT ...

Records every file `open` (builtin and os.open: path and flags), every directory listing,
every socket connection or name lookup, and every process started or forked, from just
before the CLI is imported until it returns. Audit hooks cannot be removed, so this runs in
a process of its own (tests/test_isolation.py starts it). What C libraries open themselves
(fontconfig reading fonts for WeasyPrint) is not seen here: only Python-level access is.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

NETWORK = frozenset({
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "socket.bind",
    "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
})
PROCESSES = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.startfile", "pty.spawn",
})

events: list[list[object]] = []
recording = True


def hook(event: str, args: tuple) -> None:
    if not recording:
        return
    if event == "open":
        path, _mode, flags = args
        if isinstance(path, int):  # os.fdopen of a descriptor already opened (and recorded)
            return
        raw = os.fsdecode(path)
        events.append(["open", os.path.abspath(raw), flags if isinstance(flags, int) else 0, raw])
    elif event in ("os.listdir", "os.scandir"):
        path = args[0]
        if isinstance(path, int):
            return
        events.append([event, os.path.abspath(os.fsdecode(path if path is not None else "."))])
    elif event == "subprocess.Popen":  # (executable, args, cwd, env): the command line is enough
        executable, argv = args[0], args[1]
        argv = [argv] if isinstance(argv, str | bytes) else list(argv or ())
        events.append([event, os.fsdecode(executable), [os.fsdecode(a) for a in argv]])
    elif event in NETWORK or event in PROCESSES:
        events.append([event, repr(args)[:300]])


def main() -> None:
    global recording
    result, argv = sys.argv[1], sys.argv[2:]
    sys.addaudithook(hook)
    from convert.cli import main as cli

    try:
        code = cli(argv, prog_name="convert", standalone_mode=False)
    finally:
        recording = False
    with open(result, "w", encoding="utf-8") as fh:
        # the temporary folder as this process sees it (the test's own may differ: it caches
        # the first value it computed, perhaps under another TMPDIR)
        json.dump({"code": code, "events": events, "tmp": tempfile.gettempdir()}, fh)


if __name__ == "__main__":
    main()
