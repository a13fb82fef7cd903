"""Every command the README shows, run as a reader would: in one empty folder, in README order, with the files the
README shows beside them.

- ```` ```sh ```` blocks are split into commands (blank and comment lines dropped, ``\\`` continuations joined) and
  run with bash; each must exit 0. ``export NAME=VALUE`` carries on to the commands after it.
- ```` ```json file=NAME ```` (also yaml, csv) blocks are written to NAME before any command runs.
- ``jitsuin`` is this checkout's command (``python -m cli.main``), so the test needs no installed script.
- ``jitsuin serve ...`` starts the server on a free port (in place of the ``--port`` shown), waits until it answers
  HTTP, and stops it.
- A ``urn:uuid:...`` in a command stands for the id that the last ``issued urn:uuid:...`` line printed.
- ``examples/...`` paths are copied into the folder from the repository.
- Not run here, checked instead: ``make demo`` / ``make test`` against the Makefile (running them would recurse);
  ``python -m examples.X`` exists and ``tests/examples`` runs it (each example's own test asserts its outcome);
  ``jitsuin demo`` is ``tests/cli/test_demo.py``.
"""

from __future__ import annotations

import ast
import importlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```([A-Za-z]*)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Block:
    lang: str
    info: str
    body: str


def readme_blocks() -> list[Block]:
    return [Block(m.group(1), m.group(2).strip(), m.group(3)) for m in FENCE.finditer(README.read_text("utf-8"))]


def readme_commands() -> list[str]:
    out = []
    for block in readme_blocks():
        if block.lang != "sh":
            continue
        for line in block.body.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


COMMANDS = readme_commands()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Reader:
    """A shell session in an empty folder: the environment, the last printed credential id, each outcome."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        bin_dir = folder / ".bin"
        bin_dir.mkdir()
        shim = bin_dir / "jitsuin"
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cli.main "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("JITSUIN_")}
        self.env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(ROOT),
                        PYTHONUNBUFFERED="1", COLUMNS="120")
        self.last_id: str | None = None
        self.results: dict[int, str | None] = {}  # command index -> None (ok) or what went wrong
        for block in readme_blocks():
            name = re.search(r"file=(\S+)", block.info)
            if name:
                (folder / name.group(1)).write_text(block.body, encoding="utf-8")
        shutil.copytree(ROOT / "examples" / "types", folder / "examples" / "types")

    def run(self, index: int, command: str) -> None:
        try:
            self.results[index] = self._run(command)
        except Exception as exc:  # noqa: BLE001 - reported as this command's failure
            self.results[index] = f"{type(exc).__name__}: {exc}"

    def _run(self, command: str) -> str | None:
        words = shlex.split(command)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            self.env[name] = value
            return None
        if words[0] == "make":
            return _check_make_target(words[1])
        if words[0].endswith("python") and words[1:2] == ["-m"] and words[2].startswith("examples."):
            return _check_example(words[2])
        if words[:2] == ["jitsuin", "demo"]:
            return None if (ROOT / "tests" / "cli" / "test_demo.py").is_file() else "no test runs jitsuin demo"
        if self.last_id:
            command = UUID.sub(self.last_id, command)
        if words[:2] == ["jitsuin", "serve"] and "--port" in words:
            return self._serve(command, words)
        done = subprocess.run(["bash", "-c", command], cwd=self.folder, env=self.env, capture_output=True,
                              text=True, encoding="utf-8", timeout=180)
        output = done.stdout + done.stderr
        issued = re.findall(r"issued (urn:uuid:[0-9a-f-]{36})", output)
        if issued:
            self.last_id = issued[-1]
        if done.returncode != 0:
            return f"exit {done.returncode}: {output[-2000:]}"
        return None

    def _serve(self, command: str, words: list[str]) -> str | None:
        port = _free_port()
        shown = words[words.index("--port") + 1]
        command = command.replace(f"--port {shown}", f"--port {port}")
        proc = subprocess.Popen(["bash", "-c", command], cwd=self.folder, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, encoding="utf-8", start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    return f"the server exited ({proc.returncode}): {proc.stdout.read()[-2000:] if proc.stdout else ''}"
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                except httpx.HTTPError:
                    time.sleep(0.1)
                    continue
                return None if answer.status_code < 500 else f"the server answered {answer.status_code}"
            return "the server did not answer within 60 s"
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _check_make_target(target: str) -> str | None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(rf"^{target}:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, flags=re.M)
    wanted = {"demo": "jitsuin demo", "test": "-m pytest"}.get(target)
    if recipe is None or wanted is None or wanted not in recipe.group(1):
        return f"the Makefile has no `{target}` target running {wanted!r}"
    return None


def _check_example(module: str) -> str | None:
    name = module.removeprefix("examples.")
    if importlib.util.find_spec(module) is None:
        return f"no module {module}"
    tests = list((ROOT / "tests" / "examples").rglob("test_*.py"))
    if not any(module in t.read_text("utf-8") or f"from examples import {name}" in t.read_text("utf-8")
               or f"from examples.{name}" in t.read_text("utf-8") for t in tests):
        return f"no test in tests/examples runs {module}"
    return None


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    session = Reader(tmp_path_factory.mktemp("readme"))
    for index, command in enumerate(COMMANDS):
        session.run(index, command)
    return session


def test_quick_start_is_first_and_is_the_two_commands() -> None:
    text = README.read_text("utf-8")
    first_section = text.split("\n## ", 2)[1]
    assert first_section.startswith("Quick start")
    assert readme_blocks()[0] == Block("sh", "", "make demo\nmake test\n")


def test_the_readme_shows_the_commands_of_each_user_path() -> None:
    shown = " ".join(COMMANDS)
    for command in ("jitsuin init", "jitsuin types list", "jitsuin types add", "jitsuin issue --type",
                    "jitsuin batch", "jitsuin status revoke", "jitsuin serve issuer", "jitsuin serve verifier",
                    "jitsuin serve wallet"):
        assert command in shown, command


@pytest.mark.parametrize("index", range(len(COMMANDS)), ids=[c[:60] for c in COMMANDS])
def test_readme_command(reader: Reader, index: int) -> None:
    problem = reader.results[index]
    assert problem is None, f"{COMMANDS[index]}\n{problem}"


def test_the_library_snippet_names_real_calls() -> None:
    python = [b.body for b in readme_blocks() if b.lang == "python"]
    assert python
    for body in python:
        tree = ast.parse(body)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert hasattr(module, alias.name), f"{node.module}.{alias.name}"
    from verifier import FilledForm, Procedure, TrustList

    assert callable(TrustList.load) and callable(Procedure.dcql_query) and callable(Procedure.fill_form)
    assert callable(FilledForm.render_table)
