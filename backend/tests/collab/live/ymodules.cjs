'use strict'
// The packages the live tests' clients use: the web app's own, installed in
// frontend/node_modules (or where ARIAFORGE_NODE_MODULES says).

const path = require('path')
const { createRequire } = require('module')

const modules = process.env.ARIAFORGE_NODE_MODULES ||
  path.resolve(__dirname, '..', '..', '..', '..', 'frontend', 'node_modules')
const load = createRequire(path.join(modules, 'package.json'))
const Y = load('yjs')
const { WebsocketProvider } = load('y-websocket')
const WebSocket = load('ws')
const decoding = load('lib0/decoding')

module.exports = { Y, WebsocketProvider, WebSocket, decoding }
