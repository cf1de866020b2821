#!/bin/sh
# Prints the path of a virtualenv holding exactly LOCK, building it first if needed: the one
# cache behind every tool venv (deploy checkers, k8s tools, Pulumi, the stack test's runtime,
# the load bench's locust).
#
#   locked-venv.sh LOCK NAME
#
# The venv is build/NAME/<hash of the lock and of install-python-deps.sh>, so a changed lock
# or install step gets a fresh one and older ones are removed. A file lock lets two callers
# (a test and a bench) ask at once; a venv counts only once `.complete` is written.
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 LOCK NAME" >&2
    exit 2
fi
lock=$1
name=$2
scripts=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$scripts/../.." && pwd)
cache=$root/build/$name
key=$(cat "$lock" "$scripts/install-python-deps.sh" | sha256sum | cut -c1-16)
venv=$cache/$key

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$venv/.complete" ]; then
    for old in "$cache"/*; do
        [ -e "$old" ] && [ "$old" != "$venv" ] && rm -rf "$old"
    done
    rm -rf "$venv"
    echo "installing $lock into $venv" >&2
    log=$cache/install.log
    if ! sh "$scripts/install-python-deps.sh" "$venv" "$lock" >"$log" 2>&1; then
        grep -v '^WARNING: Location' "$log" >&2 || true
        echo "installing $lock failed" >&2
        exit 1
    fi
    touch "$venv/.complete"
fi
echo "$venv"
