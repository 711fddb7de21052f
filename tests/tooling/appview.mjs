// Starts the AT Protocol reference network with its AppView (PDS, Bluesky AppView and PLC directory, from
// @atproto/dev-env) for the tests that read what the AppView derives, such as an account's notifications.
// Usage: REDIS_HOST=127.0.0.1:PORT node appview.mjs POSTGRES_URL SCHEMA
// Prints one JSON line {"ready":true,"pds":...,"appview":...} and runs until stdin closes.
import { TestNetwork } from '@atproto/dev-env'

const [dbPostgresUrl, dbPostgresSchema] = process.argv.slice(2)
const network = await TestNetwork.create({ dbPostgresUrl, dbPostgresSchema })
console.log(JSON.stringify({ ready: true, pds: network.pds.url, appview: network.bsky.url }))

const stop = async () => {
  await network.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// The test process holds stdin open; when it exits, the network goes with it.
process.stdin.on('end', stop)
process.stdin.resume()
