// A stand-in for `peapodc lsp` that records what an editor's LSP client
// sends it, for the editor set-up tests (the real server has its own tests
// in tests/lsp). Speaks JSON-RPC with Content-Length framing on stdio,
// answers initialize and shutdown, refuses every other request with
// MethodNotFound, and appends one JSON line per message to $PEAPOD_FAKE_LOG:
// first {"argv": [...]}, then each message as received.
import { appendFileSync } from 'node:fs';

const log = process.env.PEAPOD_FAKE_LOG;
const record = (obj) => { if (log) appendFileSync(log, `${JSON.stringify(obj)}\n`); };
record({ argv: process.argv.slice(2), cwd: process.cwd() });

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function handle(msg) {
  record(msg);
  if (msg.id === undefined || msg.method === undefined) return;
  if (msg.method === 'initialize')
    send({ id: msg.id, result: { capabilities: { textDocumentSync: 2 }, serverInfo: { name: 'fake-peapodc' } } });
  else if (msg.method === 'shutdown')
    send({ id: msg.id, result: null });
  else
    send({ id: msg.id, error: { code: -32601, message: `unhandled method ${msg.method}` } });
}

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const match = /Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
    if (!match) { record({ error: 'bad header' }); process.exit(1); }
    const length = Number(match[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
    buffer = buffer.subarray(headerEnd + 4 + length);
    const msg = JSON.parse(body);
    handle(msg);
    if (msg.method === 'exit') process.exit(0);
  }
});
process.stdin.on('end', () => process.exit(0));
