// Starts the AT Protocol reference PDS with an in-memory PLC directory for the Bluesky connector tests.
// Usage: node pds.mjs PORT   — prints one JSON line {"ready":true,"url":...} and runs until stdin closes.
import { TestNetworkNoAppView } from '@atproto/dev-env'

const port = Number(process.argv[2])
const network = await TestNetworkNoAppView.create({ pds: { port } })
console.log(JSON.stringify({ ready: true, url: network.pds.url }))

const stop = async () => {
  await network.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// The test process holds stdin open; when it exits, the PDS goes with it.
process.stdin.on('end', stop)
process.stdin.resume()
