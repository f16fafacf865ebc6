// A bare node:http server answering what GET /server/ok answers: the baseline WaGo is compared to.
import { createServer } from 'node:http';

const started = Date.now();
const server = createServer((req, res) => {
  if (req.url === '/server/ok') {
    const body = JSON.stringify({ code: 200, success: true, data: { status: 'ok', version: '0.0.0', uptime: Math.round((Date.now() - started) / 1000) } });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
