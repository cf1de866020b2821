#!/bin/sh
# The one way AriaForge installs its Python dependencies, shared by the Makefile (laptop, CI)
# and backend/Dockerfile (the image), so that the two cannot drift apart.
#
#   install-python-deps.sh VENV LOCK
#
# Creates VENV if it is missing, then installs exactly LOCK into it. The lock is complete
# (every transitive dependency pinned and hashed, ADR 0001), so --no-deps is safe and it is
# what leaves out tinysoundfont's live-playback dependency pyaudio, which the lock lists only
# under a marker that is never true (pyaudio needs PortAudio headers to build).
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 VENV LOCK" >&2
    exit 2
fi
venv=$1
lock=$2
python=${PYTHON:-python3}

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
# The pip that venv bundles is used as it is: upgrading it would fetch the one package that no
# lock pins or hashes, whatever version the index serves that day. tests/ops/test_image_install.py
# runs this script, bundled pip included (23.2.1 with Python 3.11.7), on requirements.lock.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --require-hashes -r "$lock"
