/**
 * Standalone emulator: `tsx emulator/cli.ts`
 * env: EMULATOR_PORT (default 4040), EMULATOR_HOST (default 127.0.0.1), EMULATOR_SEED, EMULATOR_LOG_LEVEL.
 */
import pino from 'pino'
import { startEmulator } from './index.js'

const logger = pino({ level: process.env.EMULATOR_LOG_LEVEL ?? 'info', name: 'wa-emulator' })
const port = Number(process.env.EMULATOR_PORT ?? 4040)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
	logger.fatal({ port: process.env.EMULATOR_PORT }, 'EMULATOR_PORT must be a port number')
	process.exit(2)
}

// libsignal reports session changes with console.log/info/warn: route them to the logger instead of stdout
const consoleLogger = logger.child({ source: 'libsignal' })
console.log = (...args: unknown[]) => consoleLogger.debug({ args: args.map(String) }, 'console')
console.info = (...args: unknown[]) => consoleLogger.debug({ args: args.map(String) }, 'console')
console.warn = (...args: unknown[]) => consoleLogger.warn({ args: args.map(String) }, 'console')

const emu = await startEmulator({ port, host: process.env.EMULATOR_HOST, seed: process.env.EMULATOR_SEED, logger })
const accounts = emu.control.listAccounts()
process.stdout.write(
	[
		'',
		'WhatsApp emulator ready',
		`  websocket (waWebSocketUrl): ${emu.wsUrl}`,
		`  control API:                ${emu.url}/control`,
		`  root public key (hex):      ${emu.rootPublicKey.toString('hex')}`,
		`  phone accounts:             ${accounts.map(a => `${a.phone} (${a.name})`).join(', ')}`,
		''
	].join('\n') + '\n'
)

let stopping = false
const stop = (signal: string): void => {
	if (stopping) return
	stopping = true
	logger.info({ signal }, 'stopping')
	emu.stop().then(
		() => process.exit(0),
		(err: Error) => {
			logger.error({ err }, 'error while stopping')
			process.exit(1)
		}
	)
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
