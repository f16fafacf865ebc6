// Runs the WhatsApp emulator in its own process for benchmarks; prints one JSON line with its URLs.
import pino from 'pino';
import { startEmulator } from '../../emulator/index';

const emulator = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
process.stdout.write(`${JSON.stringify({ url: emulator.url, wsUrl: emulator.wsUrl, rootKey: emulator.rootPublicKey.toString('hex') })}\n`);
process.on('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
