"""The live co-editing bench (bench/bench_collab.py): the Node side (y-websocket@2's server,
the peer, and load.cjs, every Yjs client of a run in one process) and our servers."""
