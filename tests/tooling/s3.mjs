// Starts s3rver, an S3-compatible server speaking the S3 REST API, for the press room's object store tests.
// Usage: node s3.mjs PORT DIRECTORY BUCKET — prints one JSON line {"ready":true,"url":...} and runs until stdin closes.
import S3rver from 's3rver'

const [port, directory, bucket] = [Number(process.argv[2]), process.argv[3], process.argv[4]]
const server = new S3rver({ port, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] })
const { port: bound } = await server.run()
console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${bound}` }))

const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()
