// Starts the AT Protocol reference PDS with an in-memory PLC directory for the Bluesky connector tests.
// Usage: node pds.mjs PORT [rate-limits]   — prints one JSON line {"ready":true,"url":...} and runs until stdin closes.
// "rate-limits" turns on the PDS's own per-account limits (sign-ins, writes), which the development PDS leaves off.
import { TestNetworkNoAppView } from '@atproto/dev-env'

const port = Number(process.argv[2])
const rateLimitsEnabled = process.argv[3] === 'rate-limits'
const network = await TestNetworkNoAppView.create({ pds: { port, rateLimitsEnabled } })
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
