"""Live co-editing: our room layer against Node's y-websocket@2 server, in one run.

Every Yjs client is y-websocket@2's provider with its own Y.Doc, all of a run in one Node
process (bench/collab/load.cjs), so a send time and a receive time come from one clock. The
score: 4 tracks of 500 notes (2,000 notes); an update is one small note edit (a velocity).
1. CLIENTS clients in one room, RATE updates/s in total (round robin), UPDATES updates, each
   delivered to every other client: CPU time of the server process per delivered update
   (psutil, read just before the first edit and once the last one reached everybody) and
   p50/p99 delivery latency, against Node's server (`bin/server.cjs`, the peer) with the same
   document and clients. Goal: at most 2x Node's CPU per update and p99 < 50 ms. Our
   PostgreSQL and Redis CPU (every update is appended and relayed) is shown apart: Node's
   server keeps its documents in memory only.
2. Cross-replica: two `ariaforge api` processes on the same PostgreSQL and Redis, half the
   clients (the senders) on one, half (the receivers) on the other.
3. Opening a project until the document is synced (ticket + connect + sync step 2), OPEN_REPS
   times: ours with nobody else in the project (the room is loaded from PostgreSQL) and with
   someone else there (the room is open), against Node's server with the same document.
Prints the figures and ratios, saves them to build/collab-figures.json. `--quick` runs a
smaller load (a smoke run). A script, not a test: nothing here fails on a missed goal.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH)]

from collab import generator, ours  # noqa: E402

QUICK = "--quick" in sys.argv[1:]
CLIENTS = 10 if QUICK else 50
RATE = 20
UPDATES = 100 if QUICK else 600
OPEN_REPS = 3 if QUICK else 10
TRACKS, NOTES_PER_TRACK = 4, 500
CPU_GOAL, P99_GOAL_MS = 2.0, 50.0
FIGURES = BENCH.parent / "build" / "collab-figures.json"


def bench_score() -> dict[str, Any]:
    """2,000 eighth notes in 4 tracks over 64 bars of 4/4, every field given."""
    tracks = [{
        "id": f"track-{t}", "name": f"Track {t + 1}", "role": "other", "program": 0,
        "is_drum": False, "volume": 100, "pan": 0, "mute": False, "solo": False,
        "colour": None,
        "notes": [{"id": f"note-{t}-{n}", "pitch": 48 + (n * 7 + t * 3) % 36, "start": n * 240,
                   "duration": 240, "velocity": 90} for n in range(NOTES_PER_TRACK)],
    } for t in range(TRACKS)]
    return {"tempo": 120.0, "key": {"tonic": "C", "mode": "major"},
            "meter": {"numerator": 4, "denominator": 4}, "bars": 64, "tempo_changes": [],
            "meter_changes": [], "sections": [], "chord_symbols": [], "tracks": tracks}


def clients(targets: list[tuple[dict[str, str], bool, bool]]) -> list[dict[str, Any]]:
    """load.cjs clients from (target, sends, measured); each sender edits its own notes."""
    return [{"target": target, "send": send, "measure": measure,
             "edits": [{"track": f"track-{i % TRACKS}", "note": f"note-{i % TRACKS}-{i * 3 + k}"}
                       for k in range(3)]}
            for i, (target, send, measure) in enumerate(targets)]


def load(spec_clients: list[dict[str, Any]], pids: list[int],
         storage: list[int] | None = None) -> dict[str, Any]:
    cpu: dict[str, float] = {}

    def read(moment: str) -> None:
        cpu[f"server_{moment}"] = ours.cpu_seconds(pids)
        if storage:
            cpu[f"storage_{moment}"] = ours.cpu_seconds(storage)

    load_average = os.getloadavg()[0]
    answer = generator.run({"mode": "load", "clients": spec_clients, "rate": RATE,
                            "updates": UPDATES},
                           on_ready=lambda: read("before"), on_done=lambda: read("after"))
    delivered = max(answer["deliveries"], 1)
    answer["load_average"] = load_average
    answer["server_cpu_s"] = cpu["server_after"] - cpu["server_before"]
    answer["server_cpu_us_per_delivery"] = answer["server_cpu_s"] / delivered * 1e6
    answer["server_cpu_us_per_update"] = answer["server_cpu_s"] / UPDATES * 1e6
    if storage:
        answer["storage_cpu_s"] = cpu["storage_after"] - cpu["storage_before"]
        answer["storage_cpu_us_per_delivery"] = answer["storage_cpu_s"] / delivered * 1e6
    return answer


def open_times(target: dict[str, str], hold: bool = False) -> dict[str, Any]:
    answer = generator.run({"mode": "open", "target": target, "reps": OPEN_REPS, "hold": hold,
                            "pause_ms": 300})
    times = answer["times_ms"]
    answer.update(first_ms=times[0], median_ms=statistics.median(times), max_ms=max(times))
    return answer


def peer_run(folder: Path, score: dict[str, Any]) -> dict[str, Any]:
    with generator.node_server(folder) as (ws, pid):
        rooms = {name: {"ws": f"{ws}/api/v1/projects", "room": f"{name}/collab"}
                 for name in ("load", "open")}
        for room in rooms.values():
            seeded = generator.run({"mode": "seed", "score": score, "target": room})
            if seeded["notes"] != seeded["expected"]:
                raise RuntimeError(f"Node's server did not take the score: {seeded}")
        every = [(rooms["load"], True, True)] * CLIENTS
        return {"load": load(clients(every), [pid]), "open": open_times(rooms["open"])}


def our_runs(folder: Path, score: dict[str, Any]) -> dict[str, Any]:
    with ours.services(folder) as embedded, \
            ours.api_processes(embedded, folder, 2) as (api, other):
        token = ours.sign_in(api)
        loaded = ours.project_with_score(api, token, "Collab load", score)
        opened = ours.project_with_score(api, token, "Collab open", score)
        storage = ours.storage_pids(embedded)
        here = ours.target(api, loaded, token)
        figures = {"load": load(clients([(here, True, True)] * CLIENTS), [api.pid], storage)}
        there = ours.target(other, loaded, token)
        half = CLIENTS // 2
        figures["cross_replica"] = load(
            clients([(here, True, False)] * half + [(there, False, True)] * half),
            [api.pid, other.pid], storage)
        room = ours.target(api, opened, token)
        figures["open_cold"] = open_times(room)
        figures["open_warm"] = open_times(room, hold=True)
        return figures


def ok(met: bool) -> str:
    return "ok" if met else "MISSED"


def ms(value: float | None) -> str:
    """A latency; None when nothing was delivered at all."""
    return "none delivered" if value is None else f"{value:.1f} ms"


def describe_load(name: str, run: dict[str, Any]) -> str:
    return (f"{name}: {run['server_cpu_us_per_delivery']:.1f} us CPU per delivered update "
            f"({run['server_cpu_s']:.2f} s for {run['deliveries']} deliveries, "
            f"{run['missing']} missing), p50 {ms(run['p50_ms'])}, p99 {ms(run['p99_ms'])}, "
            f"max {ms(run['max_ms'])}; refusals {run['refusals']}, closes {run['closes']}, "
            f"late sends {run['late_sends']}, generator's own lag p99 "
            f"{run['generator_lag_p99_ms']:.1f} ms; load average {run['load_average']:.1f}")


def report(figures: dict[str, Any]) -> None:
    print(f"{CLIENTS} clients in one room, {RATE} updates/s in total, {UPDATES} updates "
          f"(one note's velocity each), a {TRACKS * NOTES_PER_TRACK}-note score; "
          f"{os.cpu_count()} CPUs, load average {figures['load_average_at_start']:.1f}")
    peer = figures["peer"]
    print(describe_load("Node y-websocket@2 (peer)", peer["load"]))
    if "ours" not in figures:
        print(f"ours: not measured ({figures['ours_missing']})")
        print(f"open to synced, Node: median {peer['open']['median_ms']:.0f} ms")
        return
    mine = figures["ours"]
    run = mine["load"]
    ratio = run["server_cpu_us_per_delivery"] / peer["load"]["server_cpu_us_per_delivery"]
    print(describe_load("ours, one API process", run))
    p99 = run["p99_ms"]
    print(f"  CPU per delivered update = {ratio:.2f}x Node's (goal <= {CPU_GOAL:.0f}x) "
          f"{ok(ratio <= CPU_GOAL and not run['missing'])}; p99 {ms(p99)} (goal < "
          f"{P99_GOAL_MS:.0f} ms) {ok(p99 is not None and p99 < P99_GOAL_MS)}")
    print(f"  besides: PostgreSQL + Redis {run['storage_cpu_us_per_delivery']:.1f} us "
          f"per delivered update ({run['storage_cpu_s']:.2f} s)")
    cross = mine["cross_replica"]
    print(f"cross-replica ({CLIENTS // 2} senders on one API, {CLIENTS // 2} receivers on the "
          f"other): p50 {ms(cross['p50_ms'])}, p99 {ms(cross['p99_ms'])}, max "
          f"{ms(cross['max_ms'])}; {cross['deliveries']} deliveries, {cross['missing']} "
          f"missing; both APIs {cross['server_cpu_us_per_update'] / 1000:.2f} ms CPU per "
          f"update sent; "
          f"generator's own lag p99 {cross['generator_lag_p99_ms']:.1f} ms, load average "
          f"{cross['load_average']:.1f}")
    node_open = peer["open"]["median_ms"]
    print(f"open to synced ({TRACKS * NOTES_PER_TRACK} notes, {OPEN_REPS} times; median, "
          f"first, max): Node {node_open:.0f} / {peer['open']['first_ms']:.0f} / "
          f"{peer['open']['max_ms']:.0f} ms ({peer['open']['doc_bytes']:,} bytes)")
    for key, label in (("open_cold", "ours, nobody else there (room loaded from PostgreSQL)"),
                       ("open_warm", "ours, someone else there (room open)")):
        times = mine[key]
        print(f"  {label}: {times['median_ms']:.0f} / {times['first_ms']:.0f} / "
              f"{times['max_ms']:.0f} ms = {times['median_ms'] / node_open:.2f}x Node's median; "
              f"notes seen {sorted(set(times['notes']))} ({times['doc_bytes']:,} bytes)")


def main() -> None:
    why = generator.missing()
    if why:
        print(why)
        return
    score = bench_score()
    figures: dict[str, Any] = {"clients": CLIENTS, "rate": RATE, "updates": UPDATES,
                               "open_reps": OPEN_REPS, "load_average_at_start":
                               os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="ariaforge-bench-collab-",
                                     ignore_cleanup_errors=True) as folder:
        os.chmod(folder, 0o755)  # noqa: S103 - as root, PostgreSQL runs as another user
        figures["peer"] = peer_run(Path(folder), score)
        try:
            figures["ours"] = our_runs(Path(folder), score)
        except (RuntimeError, OSError) as error:  # reported, the peer's figures kept
            logs = "".join(f"\n--- {log.parent.name}/api.log (end)\n"
                           f"{log.read_text(errors='replace')[-3000:]}"
                           for log in sorted(Path(folder).glob("api-*/api.log")))
            figures["ours_missing"] = f"failed: {error}{logs}"
    report(figures)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
