"""The image's Python install, checked without a Docker daemon.

backend/Dockerfile and the Makefile install Python dependencies through one script,
scripts/install-python-deps.sh. Here the Dockerfile is parsed, its install steps are checked
to go through that script, and then the build stage's own RUN lines are executed in a scratch
folder (paths such as /opt/venv mapped into it): the runtime venv from the real
requirements.lock, the ariaforge wheel built and installed with --no-deps, and the runtime
stage's check run as the image runs it. The scratch venv is deleted afterwards.

The build-tools venv (/opt/buildtools) is the one step not repeated: it is the same script on
requirements-dev.lock, which is how the venv running this test was made (`make install`),
so that venv stands in for it, and nothing is installed into it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from ariaforge import __version__

BACKEND = Path(__file__).resolve().parents[2]
REPO = BACKEND.parent
DOCKERFILE = BACKEND / "Dockerfile"
MAKEFILE = REPO / "Makefile"
SCRIPT = "scripts/install-python-deps.sh"
RUNTIME_LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"
RUNTIME_VENV = "/opt/venv"
BUILD_VENV = "/opt/buildtools"
# The one dependency the runtime lock leaves out on purpose: tinysoundfont declares pyaudio
# (live playback, never used: we render offline), which needs PortAudio headers to build.
# pyproject.toml overrides it to a marker that is never true, so pip check names it.
# Declared dependencies the lock leaves out on purpose (pyproject's override-dependencies):
# tinysoundfont's live playback, and basic-pitch's TensorFlow and librosa stack (we run only
# its ONNX model with onnxruntime, ADR 0033).
LEFT_OUT = {("tinysoundfont", "pyaudio"),
            *(("basic-pitch", name) for name in ("tensorflow", "librosa", "mir-eval",
                                                  "scikit-learn", "resampy"))}
NEVER = "sys_platform == 'never'"
BUILD_TOOLS = re.compile(r"\b(apt-get|apk|gcc|g\+\+|cc|make|build-essential|hatchling|"
                         r"buildtools|wheels)\b")
PRUNING = re.compile(r"\b(rm|strip|find)\b")
INSTALL_CALL = re.compile(rf"^sh {re.escape(SCRIPT)} (\S+) (\S+)$")


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_stages() -> dict[str, list[Instruction]]:
    """Each stage's instructions by stage name, comment lines dropped, continuations joined
    (as Docker reads them)."""
    lines = [line for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
             if not line.lstrip().startswith("#")]
    stages: dict[str, list[Instruction]] = {}
    current: list[Instruction] = []
    for line in re.sub(r"\\\n", " ", "\n".join(lines)).splitlines():
        if not line.strip():
            continue
        keyword, _, arguments = line.strip().partition(" ")
        instruction = Instruction(keyword.upper(), " ".join(arguments.split()))
        if instruction.keyword == "FROM":
            current = []
            stages[instruction.arguments.split()[-1]] = current
        current.append(instruction)
    return stages


def runs(stage: list[Instruction]) -> list[str]:
    return [step.arguments for step in stage if step.keyword == "RUN"]


def install_calls(stage: list[Instruction]) -> list[tuple[str, str]]:
    """(venv, lock) of every RUN that is a call of the install script."""
    return [(match[1], match[2]) for run in runs(stage)
            if (match := INSTALL_CALL.match(run)) is not None]


def lock_pins(lock: Path) -> set[tuple[str, str, str]]:
    """(name, version, marker) of every requirement line of a uv-compiled universal lock,
    which may pin one package twice under different markers (numpy by Python version)."""
    return {(canonicalize_name(match[1]), match[2], (match[3] or "").strip())
            for match in re.finditer(r"^([A-Za-z0-9][\w.\-]*)==([^\s;\\]+)(?: ; ([^\\\n]+))?",
                                     lock.read_text(encoding="utf-8"), re.MULTILINE)}


def pins_here(lock: Path) -> dict[str, str]:
    """name -> version that the lock installs on this interpreter and platform."""
    return {name: version for name, version, marker in lock_pins(lock)
            if not marker or Marker(marker).evaluate()}


# --- the Dockerfile and the Makefile, as written -----------------------------------------

def test_every_python_install_goes_through_the_script() -> None:
    stages = dockerfile_stages()
    build, runtime = stages["build"], stages["runtime"]
    assert install_calls(build) == [(BUILD_VENV, DEV_LOCK), (RUNTIME_VENV, RUNTIME_LOCK)]
    copied = [step.arguments for step in build if step.keyword == "COPY"]
    assert f"{SCRIPT} ./scripts/" in copied
    # No other step resolves requirements: pip only builds and installs our own wheel.
    for run in runs(build):
        if not INSTALL_CALL.match(run):
            assert " -r " not in run and "requirements" not in run, run
            for install in re.findall(r"pip install [^&]*", run):
                assert "--no-deps" in install, install
    assert not install_calls(runtime)
    assert not any("pip install" in run for run in runs(runtime))


def test_makefile_installs_through_the_same_script() -> None:
    makefile = MAKEFILE.read_text(encoding="utf-8")
    assert re.search(r"^LOCK := backend/requirements-dev\.lock$", makefile, re.MULTILINE)
    recipe = re.search(r"^\$\(STAMP\):.*?(?=^\S)", makefile, re.MULTILINE | re.DOTALL)
    assert recipe is not None, "the Makefile has no install recipe"
    assert f"sh backend/{SCRIPT} $(VENV) $(LOCK)" in recipe.group()
    # No other line installs a backend lock its own way.
    for line in makefile.splitlines():
        if re.search(r"backend/requirements[\w-]*\.lock|\$\(LOCK\)", line) and "install" in line:
            assert f"backend/{SCRIPT}" in line, line


def test_runtime_lock_pins_what_the_tests_run() -> None:
    # The dev venv (where the tests run) and the image must run the same versions.
    runtime, dev = lock_pins(BACKEND / RUNTIME_LOCK), lock_pins(BACKEND / DEV_LOCK)
    assert runtime
    # What is locked under the marker no platform meets is never installed (the dev lock
    # may pin those packages for its own tools, e.g. attrs for hypothesis).
    installed = {pin for pin in runtime if NEVER not in pin[2]}
    assert installed - dev == set()
    # pyaudio and basic-pitch's TensorFlow are locked only under that marker.
    for left_out in ("pyaudio", "tensorflow", "librosa"):
        markers = {marker for name, _, marker in runtime if name == left_out}
        assert markers and all(NEVER in marker for marker in markers), markers


def test_runtime_stage_is_non_root_and_has_only_the_venv() -> None:
    stages = dockerfile_stages()
    build, runtime = stages["build"], stages["runtime"]
    # The venv's bin/python links to the base image's interpreter.
    assert build[0].arguments.split()[0] == runtime[0].arguments.split()[0]
    args = dict(re.findall(r"^(\w+)=(\S+)$", "\n".join(
        step.arguments for step in runtime if step.keyword == "ARG"), re.MULTILINE))
    users = [step.arguments for step in runtime if step.keyword == "USER"]
    uid = re.sub(r"\$\{(\w+)\}", lambda m: args[m[1]], users[-1]).split(":")[0]
    # Kubernetes verifies runAsNonRoot only for a numeric user.
    assert uid.isdigit() and int(uid) != 0, users
    keywords = [step.keyword for step in runtime]
    assert keywords.index("USER") < keywords.index("CMD")
    copies = [step.arguments for step in runtime if step.keyword == "COPY"]
    assert f"--from=build {RUNTIME_VENV} {RUNTIME_VENV}" in copies
    assert all(not copy.startswith("--from=build") or copy.endswith(f" {RUNTIME_VENV}")
               for copy in copies), copies
    for run in runs(runtime):
        assert not BUILD_TOOLS.search(run), run
        # pgserver's pg_dump/pg_restore 18 (for backups) must reach the image as installed.
        assert not PRUNING.search(run), run


# --- the build stage, executed -----------------------------------------------------------

@dataclass
class Scratch:
    root: Path
    venv: Path
    paths: dict[str, str]

    def local(self, text: str) -> str:
        for image_path in sorted(self.paths, key=len, reverse=True):
            text = text.replace(image_path, self.paths[image_path])
        return text


def run_step(command: str, scratch: Scratch, cwd: Path, env: dict[str, str]) -> str:
    local = scratch.local(command)
    assert "/opt/" not in local, f"a path of the image this test does not map: {local}"
    done = subprocess.run(["sh", "-c", local], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr[-4000:]}"
    return done.stdout


def step_env(stage: list[Instruction], scratch: Scratch, env: dict[str, str]) -> dict[str, str]:
    for step in (step for step in stage if step.keyword == "ENV"):
        for pair in shlex.split(step.arguments):
            key, _, value = pair.partition("=")
            # The image keeps no pip cache in its layers; here the machine's cache is welcome.
            if key != "PIP_NO_CACHE_DIR":
                env[key] = scratch.local(re.sub(r"\$(\w+)", lambda m: env.get(m[1], ""), value))
    return env


def copy_from_context(arguments: str, workdir: Path) -> None:
    """COPY from the build context (backend/): one folder to a folder, or files into one."""
    *sources, target = shlex.split(arguments)
    destination = workdir / target
    if len(sources) == 1 and (BACKEND / sources[0]).is_dir():
        shutil.copytree(BACKEND / sources[0], destination,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        return
    assert target.endswith("/"), f"COPY {arguments}: files go into a folder"
    destination.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copy2(BACKEND / source, destination)


def is_build_tools_install(step: Instruction) -> bool:
    match = INSTALL_CALL.match(step.arguments)
    return step.keyword == "RUN" and match is not None and match[2] == DEV_LOCK


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    root = tmp_path_factory.mktemp("image")
    venv = root / "venv"
    yield Scratch(root, venv, {
        RUNTIME_VENV: str(venv), BUILD_VENV: sys.prefix, "/wheels": str(root / "wheels"),
        "/src": str(root / "src"), "/var/lib/ariaforge": str(root / "home"),
        "/opt/ariaforge/web": str(root / "web"),
    })
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def built_venv(scratch: Scratch) -> Path:
    """The build stage's steps, in order, as the Dockerfile writes them."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    # The interpreter of the venv running the tests (the image uses its base image's python3).
    env["PYTHON"] = getattr(sys, "_base_executable", sys.executable)
    workdir = scratch.root
    for step in dockerfile_stages()["build"][1:]:
        if step.keyword == "WORKDIR":
            workdir = Path(scratch.local(step.arguments))
            workdir.mkdir(parents=True, exist_ok=True)
        elif step.keyword == "ENV":
            env = step_env([step], scratch, env)
        elif step.keyword == "COPY":
            copy_from_context(step.arguments, workdir)
        elif is_build_tools_install(step):
            continue  # the venv running this test stands in for the build tools
        elif step.keyword == "RUN":
            run_step(step.arguments, scratch, workdir, env)
    return scratch.venv


@pytest.mark.timeout(1200)
def test_runtime_venv_holds_exactly_the_lock_and_the_wheel(built_venv: Path) -> None:
    listing = subprocess.run(
        [built_venv / "bin" / "python", "-c", "import importlib.metadata as m, json; "
         "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"],
        capture_output=True, text=True, check=True).stdout
    installed = {canonicalize_name(name): version for name, version in json.loads(listing).items()}
    wanted = pins_here(BACKEND / RUNTIME_LOCK)
    # Nothing unpinned: not even pip, which the build stage removes once the wheel is in.
    assert installed == {**wanted, "ariaforge": __version__}


def test_runtime_venv_is_consistent_but_for_pyaudio(built_venv: Path) -> None:
    # The runtime venv has no pip of its own: the dev venv's pip checks it from outside.
    check = subprocess.run([sys.executable, "-m", "pip", "--python", built_venv / "bin" / "python",
                            "check"], capture_output=True, text=True, check=False)
    lines = check.stdout.strip().splitlines()
    missing = [re.fullmatch(r"(\S+) \S+ requires (\S+), which is not installed\.", line)
               for line in lines]
    # Any other line (a version conflict, another missing package) is a broken lock.
    assert all(missing), check.stdout
    assert {(match[1], match[2]) for match in missing if match} == LEFT_OUT
    assert len(lines) == len(LEFT_OUT)


def test_runtime_stage_check_runs_as_the_image_runs_it(built_venv: Path, scratch: Scratch) -> None:
    # The runtime stage's RUN after USER: `ariaforge version` and pgserver's pg_dump.
    runtime = dockerfile_stages()["runtime"]
    after_user = runtime[[step.keyword for step in runtime].index("USER"):]
    env = step_env(runtime, scratch, dict(os.environ))
    home = Path(scratch.local("/var/lib/ariaforge"))
    home.mkdir(exist_ok=True)
    (check,) = runs(after_user)
    output = run_step(check, scratch, home, env)
    assert output.splitlines()[0] == __version__
    assert re.search(r"^pg_dump \(PostgreSQL\) 18\.", output, re.MULTILINE), output
    # The wheel carries the migrations that `ariaforge migrate` runs in the image.
    assert list(built_venv.glob("lib/python3.*/site-packages/ariaforge/_migrations/env.py"))
