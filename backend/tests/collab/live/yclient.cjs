'use strict'
/*
 * Real Yjs clients (yjs + y-websocket's WebsocketProvider over `ws`) for the live tests.
 *
 * One process holds any number of named clients. It reads one JSON command per line on
 * stdin and answers one JSON line per command on stdout ({"id", "ok", ...}), so pytest can
 * interleave client edits with what it does to the servers (REST writes, killing a replica).
 * Commands: open, edit, edit_many, disconnect, connect, snapshot, probe, close, quit.
 * The edit language and what a snapshot reads are in ydoc.cjs.
 *
 * Each client fetches its own single-use ticket before every (re)connect, as the web app
 * does, from the first API base in its list that answers (the failover list).
 */

const readline = require('readline')
const { Y, WebsocketProvider, WebSocket, decoding } = require('./ymodules.cjs')
const { applyOp, contentOf, straysOf, recordPitches } = require('./ydoc.cjs')
const { probe, wsBase } = require('./yprobe.cjs')

// Each provider listens for the process's exit: dozens of clients in one process is the point.
process.setMaxListeners(0)

const MESSAGE_AUTH = 2
const RECONNECT_TRIES = 200
const clients = new Map()

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function fetchTicket (api, project, token) {
  const response = await fetch(`${api}/api/v1/projects/${project}/collab/ticket`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}` }
  })
  const body = await response.json().catch(() => null)
  if (response.status !== 201) {
    const error = new Error(`ticket: ${response.status} ${JSON.stringify(body)}`)
    error.status = response.status
    throw error
  }
  return body
}

async function connectClient (client) {
  for (let attempt = 0; attempt < RECONNECT_TRIES && client.wanted; attempt++) {
    const api = client.apis[client.apiIndex % client.apis.length]
    try {
      const ticket = client.nextTicket || (await fetchTicket(api, client.project, client.token))
      client.nextTicket = null
      client.tickets += 1
      client.role = ticket.role
      if (client.user) {
        // What the web app publishes (DESIGN §2); y-protocols renews it every 15 s.
        client.provider.awareness.setLocalState({
          user: client.user, role: ticket.role, selection: { trackId: null, noteIds: [] },
          playhead: null
        })
      }
      client.provider.serverUrl = wsBase(api)
      client.provider.params = { ticket: ticket.ticket }
      client.api = api
      if (client.wanted) client.provider.connect()
      return
    } catch (error) {
      client.errors.push(String(error.message || error))
      if (error.status && error.status >= 400 && error.status < 500) return // refused for good
      client.apiIndex += 1 // that replica is gone: fail over to the next one
      await sleep(Math.min(100 * (attempt + 1), 500))
    }
  }
}

function openClient (command) {
  const doc = new Y.Doc()
  const client = {
    name: command.name,
    doc,
    apis: command.apis,
    apiIndex: 0,
    api: null,
    project: command.project,
    token: command.token,
    nextTicket: command.ticket ? { ticket: command.ticket, role: null } : null,
    user: command.user || null,
    wanted: true,
    tickets: 0,
    role: null,
    denied: [],
    closes: [],
    errors: [],
    pitches: new Set(),
    syncs: 0,
    failures: 0
  }
  const provider = new WebsocketProvider(wsBase(command.apis[0]), `${command.project}/collab`,
    doc, {
      connect: false,
      WebSocketPolyfill: WebSocket,
      // In one process, a BroadcastChannel would sync the clients past the server.
      disableBc: true,
      maxBackoffTime: 500
    })
  client.provider = provider
  provider.awareness.setLocalState(null)
  if (command.renew === false) {
    // Publish presence once per connection only: whoever joins later can learn it only
    // from the server's snapshot on join, not from this client's 15 s renewals.
    clearInterval(provider.awareness._checkInterval)
  }
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    // y-protocols/auth: varuint 0 (permission denied) + varstring reason
    const kind = decoding.readVarUint(decoder)
    const reason = decoding.readVarString(decoder)
    let parsed = reason
    try { parsed = JSON.parse(reason) } catch (_) {}
    client.denied.push({ kind, reason: parsed })
  }
  provider.on('sync', (synced) => {
    if (synced) { client.syncs += 1; client.failures = 0 }
  })
  provider.on('connection-close', (event) => {
    client.closes.push(event ? { code: event.code, reason: event.reason } : { code: null })
    // A server's close, or y-websocket's own watchdog (no message for 30 s; event null):
    // y-websocket would retry the same URL, whose ticket is spent, so fetch a new one first.
    // `wanted` is false only when the test closed the connection on purpose.
    // 4400-4499 is final for y-websocket too (the server decided; retrying cannot help).
    const final = event && event.code >= 4400 && event.code < 4500
    if (client.wanted && !final) {
      provider.shouldConnect = false
      // Back off like y-websocket does when the server keeps closing us.
      client.failures += 1
      const delay = client.failures <= 1 ? 0 : Math.min(100 * 2 ** (client.failures - 1), 2000)
      setTimeout(() => connectClient(client), delay)
    }
  })
  doc.on('update', () => recordPitches(doc, client.pitches))
  clients.set(client.name, client)
  connectClient(client)
  return {}
}

function clientOf (name) {
  const client = clients.get(name)
  if (!client) throw new Error(`no client ${name}`)
  return client
}

function stateOf (client, withContent) {
  const state = {
    name: client.name,
    client_id: client.doc.clientID,
    // Every root type the document has ever received content for (Yjs adds a root to
    // `share` when it integrates anything under it, and never removes it).
    roots: Array.from(client.doc.share.keys()).sort(),
    connected: client.provider.wsconnected,
    synced: client.provider.synced,
    syncs: client.syncs,
    role: client.role,
    api: client.api,
    tickets: client.tickets,
    denied: client.denied,
    closes: client.closes.slice(-5),
    close_count: client.closes.length,
    errors: client.errors.slice(-5),
    pitches: Array.from(client.pitches).sort((a, b) => a - b),
    // Who this client sees here: the awareness states of the others.
    peers: Array.from(client.provider.awareness.getStates().entries())
      .filter(([id]) => id !== client.doc.clientID)
      .map(([id, state]) => ({ client: id, state }))
  }
  if (withContent) {
    state.content = contentOf(client.doc)
    state.strays = straysOf(client.doc)
    state.update = Buffer.from(Y.encodeStateAsUpdate(client.doc)).toString('base64')
  }
  return state
}

async function handle (command) {
  switch (command.op) {
    case 'open':
      return openClient(command)
    case 'edit': {
      const client = clientOf(command.name)
      client.doc.transact(() => { for (const op of command.ops) applyOp(client.doc, op) }, 'local')
      return {}
    }
    case 'edit_many':
      // All in one turn of the event loop: no client can have received another's edit
      // in between, so these edits are truly concurrent.
      for (const { name, ops } of command.edits) {
        const client = clientOf(name)
        client.doc.transact(() => { for (const op of ops) applyOp(client.doc, op) }, 'local')
      }
      return {}
    case 'disconnect': {
      const client = clientOf(command.name)
      client.wanted = false
      client.provider.disconnect()
      return {}
    }
    case 'connect': {
      const client = clientOf(command.name)
      client.wanted = true
      if (command.apis) { client.apis = command.apis; client.apiIndex = 0 }
      await connectClient(client)
      return {}
    }
    case 'snapshot':
      return { clients: (command.names || Array.from(clients.keys()))
        .map((name) => stateOf(clientOf(name), command.content !== false)) }
    case 'probe':
      return probe(command)
    case 'close': {
      const client = clientOf(command.name)
      client.wanted = false
      client.provider.destroy()
      clients.delete(command.name)
      return {}
    }
    case 'quit':
      for (const client of clients.values()) { client.wanted = false; client.provider.destroy() }
      setImmediate(() => process.exit(0))
      return {}
    default:
      throw new Error(`unknown op ${command.op}`)
  }
}

const lines = readline.createInterface({ input: process.stdin })
lines.on('line', (line) => {
  if (!line.trim()) return
  let command
  try { command = JSON.parse(line) } catch (error) {
    process.stdout.write(JSON.stringify({ id: null, ok: false, error: 'bad json' }) + '\n')
    return
  }
  Promise.resolve().then(() => handle(command)).then(
    (result) => process.stdout.write(JSON.stringify({ id: command.id, ok: true, ...result }) + '\n'),
    (error) => process.stdout.write(JSON.stringify({
      id: command.id, ok: false, error: String(error && error.stack ? error.stack : error)
    }) + '\n'))
})
lines.on('close', () => {
  for (const client of clients.values()) { client.wanted = false; client.provider.destroy() }
  process.exit(0)
})
// y-websocket logs connection problems; keep them off stdout, which carries the answers.
console.log = console.warn = (...args) => process.stderr.write(args.join(' ') + '\n')
