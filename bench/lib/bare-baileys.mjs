// A bare Baileys process, idle: Node with Baileys (and pino, its logger) loaded and one
// socket's worth of code compiled, no session. The baseline of WaGo's idle RSS.
import { initAuthCreds, proto } from 'baileys';
import pino from 'pino';

pino({ level: 'silent' });
initAuthCreds();
proto.Message.encode({ conversation: 'warm-up' }).finish();
process.stdout.write('listening http://127.0.0.1:0\n');
setInterval(() => {}, 60_000);
process.on('SIGTERM', () => process.exit(0));
