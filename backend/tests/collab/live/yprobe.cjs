'use strict'
// A bare WebSocket to a project's live document, for what a provider hides: was a ticket
// let in (a first message arrived) or refused, and with which close code?

const { WebSocket } = require('./ymodules.cjs')

function wsBase (api) {
  return api.replace(/^http/, 'ws') + '/api/v1/projects'
}

function probe (command) {
  const url = `${wsBase(command.api)}/${command.project}/collab` +
    (command.ticket === undefined ? '' : `?ticket=${encodeURIComponent(command.ticket)}`)
  return new Promise((resolve) => {
    const socket = new WebSocket(url)
    const result = { opened: false, messages: 0, code: null, reason: null, http_status: null }
    const timer = setTimeout(() => { result.timeout = true; socket.terminate() }, 10000)
    socket.on('unexpected-response', (_request, response) => {
      result.http_status = response.statusCode
      socket.terminate()
    })
    socket.on('open', () => { result.opened = true })
    socket.on('message', () => {
      result.messages += 1
      if (command.stay_open !== true) socket.close(1000)
    })
    socket.on('error', (error) => { result.error = String(error.message || error) })
    socket.on('close', (code, reason) => {
      clearTimeout(timer)
      result.code = code
      result.reason = reason.toString()
      resolve(result)
    })
  })
}

module.exports = { probe, wsBase }
