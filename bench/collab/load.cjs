// The load generator of bench/bench_collab.py: every Yjs client of a run in this one Node
// process, so that a send time and a receive time come from one clock.
//
// It reads one JSON line (the run's spec) on stdin and answers JSON lines on stdout:
// - mode "seed": put a score (DESIGN §1 schema) into a room of a server that starts empty
//   (Node's y-websocket@2), then check that a fresh client syncs all of it.
// - mode "load": connect every client, answer {"event": "ready"}, wait for "go" on stdin, send
//   `updates` note edits at `rate` per second (round robin over the senders), wait until each
//   reached every measured client, answer {"event": "done", ...figures}; exit when stdin ends.
// - mode "open": `reps` times: ticket (when the spec names a ticket URL), connect, synced;
//   answers the times.
// An update is told apart at a receiver by the id (client, clock) of the item it carries: the
// sender notes that id with its send time, which is the timestamp the update carries.
'use strict'

const path = require('path')
const readline = require('readline')
const { createRequire } = require('module')
const { monitorEventLoopDelay } = require('perf_hooks')

// The packages are bench/collab-peer's (`npm ci` there): y-websocket@2 with its yjs and ws.
const peer = createRequire(path.join(__dirname, '..', 'collab-peer', 'package.json'))
const Y = peer('yjs')
const { WebsocketProvider } = peer('y-websocket')
const WebSocket = peer('ws')

// Every provider adds a process 'exit' listener; 50 of them are expected here.
process.setMaxListeners(0)

const SYNC_LIMIT_MS = 60000
const DELIVERY_LIMIT_MS = 30000

const lines = readline.createInterface({ input: process.stdin })
const waiting = []
const queued = []
let stdinEnded = false
lines.on('line', line => (waiting.length ? waiting.shift()(line) : queued.push(line)))
lines.on('close', () => {
  stdinEnded = true
  while (waiting.length) waiting.shift()(null)
})
const nextLine = () => queued.length
  ? Promise.resolve(queued.shift())
  : stdinEnded ? Promise.resolve(null) : new Promise(resolve => waiting.push(resolve))
const answer = object => process.stdout.write(JSON.stringify(object) + '\n')
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** The live document of a score (DESIGN §1), written in one transaction. */
const fillDocument = (doc, score) => doc.transact(() => {
  const settings = doc.getMap('settings')
  settings.set('schema', 1)
  settings.set('tempo', score.tempo)
  settings.set('tonic', score.key.tonic)
  settings.set('mode', score.key.mode)
  settings.set('meter_numerator', score.meter.numerator)
  settings.set('meter_denominator', score.meter.denominator)
  settings.set('bars', score.bars)
  for (const name of ['tempo_changes', 'meter_changes', 'sections', 'chord_symbols']) {
    doc.getArray(name).push(score[name] || [])
  }
  const tracks = doc.getMap('tracks')
  score.tracks.forEach((track, order) => {
    const live = new Y.Map()
    tracks.set(track.id, live)
    for (const field of ['name', 'role', 'program', 'is_drum', 'volume', 'pan', 'mute', 'solo']) {
      live.set(field, track[field])
    }
    live.set('colour', track.colour ?? null)
    live.set('order', order)
    live.set('gain_db', 0)
    live.set('fx', [])
    const notes = new Y.Map()
    live.set('notes', notes)
    for (const note of track.notes) {
      const liveNote = new Y.Map()
      notes.set(note.id, liveNote)
      for (const field of ['pitch', 'start', 'duration', 'velocity']) liveNote.set(field, note[field])
    }
  })
  const master = doc.getMap('master')
  master.set('gain_db', 0)
  master.set('limiter', true)
  master.set('ceiling_dbtp', -1)
})

const noteCount = doc => {
  let count = 0
  doc.getMap('tracks').forEach(track => {
    const notes = track.get('notes')
    count += notes ? notes.size : 0
  })
  return count
}

/** A client of `target` ({ws, room, ticket_url?, token?}); refusals and closes counted. */
class Client {
  constructor (target, counters, doc = new Y.Doc()) {
    this.target = target
    this.doc = doc
    this.counters = counters
    this.provider = null
  }

  async connect () {
    const params = {}
    if (this.target.ticket_url) {
      const response = await fetch(this.target.ticket_url, {
        method: 'POST', headers: { Authorization: `Bearer ${this.target.token}` }
      })
      if (response.status !== 201) throw new Error(`ticket: ${response.status} ${await response.text()}`)
      params.ticket = (await response.json()).ticket
    }
    // No BroadcastChannel: the clients of one process must talk through the server only.
    const provider = new WebsocketProvider(this.target.ws, this.target.room, this.doc, {
      connect: false, params, WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 60000
    })
    this.provider = provider
    // No presence: both servers relay the same note edits and nothing else.
    provider.awareness.setLocalState(null)
    const deny = provider.messageHandlers[2]
    provider.messageHandlers[2] = (...args) => {
      this.counters.refusals += 1
      return deny(...args)
    }
    provider.on('connection-close', () => { if (!this.closing) this.counters.closes += 1 })
    const synced = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not synced in time')), SYNC_LIMIT_MS)
      provider.on('sync', state => { if (state) { clearTimeout(timer); resolve() } })
    })
    provider.connect()
    await synced
  }

  close () {
    this.closing = true
    if (this.provider) this.provider.destroy()
    this.doc.destroy()
  }
}

const newCounters = () => ({ refusals: 0, closes: 0 })

async function seed (spec) {
  const counters = newCounters()
  const doc = new Y.Doc()
  fillDocument(doc, spec.score)
  const seeder = new Client(spec.target, counters, doc)
  await seeder.connect()
  const expected = noteCount(doc)
  let seen = 0
  for (let attempt = 0; attempt < 50 && seen !== expected; attempt++) {
    const checker = new Client(spec.target, counters)
    await checker.connect()
    seen = noteCount(checker.doc)
    checker.close()
    if (seen !== expected) await sleep(100)
  }
  seeder.close()
  answer({ event: 'done', notes: seen, expected, ...counters })
}

const quantile = (sorted, q) => sorted.length
  ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
  : null

async function load (spec) {
  const counters = newCounters()
  const clients = spec.clients.map(c => Object.assign(new Client(c.target, counters), c))
  // Connected a few at a time, as people arrive, not all in the same millisecond.
  for (let i = 0; i < clients.length; i += 10) {
    await Promise.all(clients.slice(i, i + 10).map(client => client.connect()))
  }
  const sent = new Map() // "client:clock" → [send time, receivers still to come]
  const latencies = []
  let late = 0
  let pending = 0
  const measured = clients.filter(client => client.measure)
  for (const client of measured) {
    client.doc.on('update', (update, origin) => {
      if (origin !== client.provider) return
      const now = performance.now()
      for (const struct of Y.decodeUpdate(update).structs) {
        for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) {
          const entry = sent.get(`${struct.id.client}:${clock}`)
          if (entry === undefined) continue
          latencies.push(now - entry[0])
          pending -= 1
        }
      }
    })
  }
  answer({ event: 'ready' })
  if ((await nextLine()) !== 'go') return
  const senders = clients.filter(client => client.send)
  const interval = 1000 / spec.rate
  // The generator's own lag (a busy machine, our 50 docs): it is in every latency measured.
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  const started = performance.now()
  for (let k = 0; k < spec.updates; k++) {
    const wait = started + k * interval - performance.now()
    if (wait > 0) await sleep(wait)
    else if (wait < -interval) late += 1 // the generator itself fell behind
    const client = senders[k % senders.length]
    const edit = client.edits[Math.floor(k / senders.length) % client.edits.length]
    const note = client.doc.getMap('tracks').get(edit.track).get('notes').get(edit.note)
    const clock = Y.getState(client.doc.store, client.doc.clientID)
    const receivers = measured.filter(other => other !== client).length
    sent.set(`${client.doc.clientID}:${clock}`, [performance.now(), receivers])
    pending += receivers
    // A small note edit: the velocity of one note (ws sends it within this call).
    note.set('velocity', 1 + (k % 127))
  }
  const sendSeconds = (performance.now() - started) / 1000
  const deadline = performance.now() + DELIVERY_LIMIT_MS
  while (pending > 0 && performance.now() < deadline) await sleep(5)
  lag.disable()
  latencies.sort((a, b) => a - b)
  answer({
    event: 'done',
    updates: spec.updates,
    deliveries: latencies.length,
    missing: pending,
    send_seconds: sendSeconds,
    late_sends: late,
    generator_lag_p99_ms: lag.percentile(99) / 1e6,
    p50_ms: quantile(latencies, 0.5),
    p99_ms: quantile(latencies, 0.99),
    max_ms: latencies.length ? latencies[latencies.length - 1] : null,
    ...counters
  })
  await nextLine() // the caller reads the server's CPU time before anyone disconnects
  for (const client of clients) client.close()
}

async function open (spec) {
  const counters = newCounters()
  const times = []
  const notes = []
  let bytes = 0 // the synced document's size, encoded as one update
  let holder = null
  if (spec.hold) {
    holder = new Client(spec.target, counters)
    await holder.connect()
  }
  for (let rep = 0; rep < spec.reps; rep++) {
    const started = performance.now()
    const client = new Client(spec.target, counters)
    await client.connect()
    times.push(performance.now() - started)
    notes.push(noteCount(client.doc))
    bytes = Y.encodeStateAsUpdate(client.doc).length
    client.close()
    await sleep(spec.pause_ms || 0)
  }
  if (holder) holder.close()
  answer({ event: 'done', times_ms: times, notes, doc_bytes: bytes, ...counters })
}

async function main () {
  const spec = JSON.parse(await nextLine())
  const modes = { seed, load, open }
  await modes[spec.mode](spec)
  // Let the closing frames go out before the process ends.
  await sleep(200)
  process.exit(0)
}

main().catch(error => {
  answer({ event: 'error', message: String(error && error.stack ? error.stack : error) })
  process.exit(1)
})
