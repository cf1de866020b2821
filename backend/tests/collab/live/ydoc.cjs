'use strict'
/*
 * The live document seen by the test clients: the edit language of `edit` commands and
 * what a snapshot reads (DESIGN §1 roots).
 *
 * An edit is one of {"set": path, "value": v}, {"delete": path}, {"push": path, "value": v},
 * {"insert": path, "index": i, "value": v}, {"remove": path, "index": i, "length": n}; a
 * path starts with a root name and walks maps by key and arrays by index.
 */

const { Y } = require('./ymodules.cjs')

const ARRAY_ROOTS = new Set(['tempo_changes', 'meter_changes', 'sections', 'chord_symbols'])
const ROOTS = ['settings', 'tempo_changes', 'meter_changes', 'sections', 'chord_symbols',
  'tracks', 'master']

function root (doc, name) {
  return ARRAY_ROOTS.has(name) ? doc.getArray(name) : doc.getMap(name)
}

// A value for the document: {"$map": {...}} becomes a Y.Map (recursively), anything else
// is stored as a plain (atomic) JSON value.
function yValue (value) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && '$map' in value) {
    const map = new Y.Map()
    for (const [key, inner] of Object.entries(value.$map)) map.set(key, yValue(inner))
    return map
  }
  return value
}

function walk (doc, keys) {
  let node = root(doc, keys[0])
  for (const key of keys.slice(1)) {
    node = node.get(key) // Y.Map by key, Y.Array by index
    if (node === undefined) throw new Error(`no ${keys.join('/')}`)
  }
  return node
}

function applyOp (doc, op) {
  if (op.set) {
    walk(doc, op.set.slice(0, -1)).set(op.set[op.set.length - 1], yValue(op.value))
  } else if (op.delete) {
    walk(doc, op.delete.slice(0, -1)).delete(op.delete[op.delete.length - 1])
  } else if (op.push) {
    walk(doc, op.push).push([yValue(op.value)])
  } else if (op.insert) {
    walk(doc, op.insert).insert(op.index, [yValue(op.value)])
  } else if (op.remove) {
    walk(doc, op.remove).delete(op.index, op.length || 1)
  } else {
    throw new Error(`unknown edit ${JSON.stringify(op)}`)
  }
}

function contentOf (doc) {
  const content = {}
  for (const name of ROOTS) content[name] = root(doc, name).toJSON()
  return content
}

// What roots outside the schema hold (as maps: what the tests write there).
function straysOf (doc) {
  const strays = {}
  for (const name of doc.share.keys()) {
    if (!ROOTS.includes(name)) strays[name] = doc.getMap(name).toJSON()
  }
  return strays
}

// Every pitch a client's document has ever held, so a test can say a bad value was never
// seen, not merely that it is gone now.
function recordPitches (doc, pitches) {
  doc.getMap('tracks').forEach((track) => {
    const notes = track instanceof Y.Map ? track.get('notes') : null
    if (!(notes instanceof Y.Map)) return
    notes.forEach((note) => {
      if (note instanceof Y.Map) pitches.add(note.get('pitch'))
    })
  })
}

module.exports = { ROOTS, applyOp, contentOf, straysOf, recordPitches }
