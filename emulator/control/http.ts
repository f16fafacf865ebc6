/** HTTP JSON control API (prefix /control), a thin layer over Control. See emulator/README.md. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { z } from 'zod'
import type { proto } from 'baileys'
import type { MediaInput } from '../media/phone-media.js'
import { type Control, ControlError } from './actions.js'

type Params = Record<string, string>
type Route = { method: string; pattern: RegExp; keys: string[]; handler: (p: Params, body: unknown, query: URLSearchParams) => Promise<unknown> | unknown }

const MAX_BODY = 1 << 20

const accountSpec = z.object({
	phone: z.string().regex(/^\+?\d{5,15}$/).optional(),
	name: z.string().optional(),
	lid: z.string().regex(/^\d{5,20}$/).optional(),
	echo: z.boolean().optional(),
	autoDeliver: z.boolean().optional(),
	autoRead: z.boolean().optional()
})
const accountPatch = z.object({
	name: z.string().optional(),
	statusText: z.string().optional(),
	echo: z.boolean().optional(),
	autoDeliver: z.boolean().optional(),
	autoRead: z.boolean().optional(),
	/** privacy: who may add this account to groups (none: adding it gets the adder an invite to send) */
	groupAdd: z.enum(['all', 'contacts', 'none']).optional()
})
const scanBody = z.object({ qr: z.string().min(10), phone: z.string() })
const codeBody = z.object({ code: z.string().min(8), phone: z.string().optional(), ref: z.string().optional() })
const mediaBody = z.object({
	kind: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
	/** base64 */
	data: z.string().min(1),
	mimetype: z.string().optional(),
	caption: z.string().optional(),
	fileName: z.string().optional()
})
const sendBody = z.object({
	to: z.string(),
	media: mediaBody.optional(),
	text: z.string().optional(),
	message: z.record(z.string(), z.unknown()).optional(),
	quote: z.object({ id: z.string(), participant: z.string().optional(), text: z.string().optional() }).optional(),
	addressing: z.enum(['pn', 'lid']).optional(),
	id: z.string().optional()
})
const sendManyBody = z.object({ to: z.string(), text: z.string(), count: z.number().int().min(1).max(100_000) })
const groupCreateBody = z.object({ creator: z.string(), subject: z.string(), participants: z.array(z.string()) })
const groupSendBody = z.object({
	from: z.string(),
	media: mediaBody.optional(),
	text: z.string().optional(),
	message: z.record(z.string(), z.unknown()).optional(),
	quote: z.object({ id: z.string(), participant: z.string().optional(), text: z.string().optional() }).optional(),
	id: z.string().optional()
})
const groupParticipantsBody = z.object({ actor: z.string(), action: z.enum(['add', 'remove', 'promote', 'demote']), participants: z.array(z.string()).min(1) })
const groupChangeBody = z.object({ actor: z.string(), subject: z.string().optional(), description: z.string().optional(), announce: z.boolean().optional(), locked: z.boolean().optional() })
const pollVoteBody = z.object({ pollId: z.string(), options: z.array(z.string()) })
const receiptBody = z.object({ ids: z.array(z.string()).min(1), type: z.enum(['delivered', 'read', 'played']) })
const statusPostBody = z.object({ text: z.string(), to: z.array(z.string()).min(1), id: z.string().optional() })
const presenceBody = z.object({ to: z.string(), type: z.enum(['available', 'unavailable']) })
const chatstateBody = z.object({ to: z.string(), state: z.enum(['composing', 'paused', 'recording']) })
const retryBody = z.object({ id: z.string().min(1) })
const conflictsBody = z.object({ count: z.number().int().min(0).max(100).optional() })

/** a non-JSON response (e.g. decrypted media) */
export class RawBody {
	constructor(
		readonly data: Buffer,
		readonly contentType: string
	) {}
}

function toMedia(m: z.infer<typeof mediaBody> | undefined): MediaInput | undefined {
	return m ? { ...m, data: Buffer.from(m.data, 'base64') } : undefined
}

export class ControlHttp {
	private readonly routes: Route[] = []

	constructor(
		control: Control,
		private readonly logger: Logger
	) {
		const c = control
		this.add('GET', '/control/health', () => ({ ok: true }))
		this.add('GET', '/control/accounts', () => c.listAccounts())
		this.add('POST', '/control/accounts', (_p, b) => c.createAccount(accountSpec.parse(b)))
		this.add('GET', '/control/accounts/:phone', p => c.listAccounts().find(a => a.phone === c.account(p.phone!).phone))
		this.add('PATCH', '/control/accounts/:phone', (p, b) => c.updateAccount(p.phone!, accountPatch.parse(b)))
		this.add('GET', '/control/accounts/:phone/messages', async (p, _b, q) => {
			const wait = Number(q.get('wait') ?? 0)
			const from = q.get('from') ?? undefined
			if (wait > 0) {
				return c.waitForReceived(p.phone!, { from, count: Number(q.get('count') ?? 1), timeoutMs: Math.min(wait, 120_000) })
			}
			return c.received(p.phone!, { from, since: q.get('since') ? Number(q.get('since')) : undefined })
		})
		this.add('GET', '/control/accounts/:phone/sent', p => c.sent(p.phone!))
		this.add('GET', '/control/accounts/:phone/statuses', (p, _b, q) => c.statuses(p.phone!, { from: q.get('from') ?? undefined }))
		this.add('GET', '/control/accounts/:phone/messages/:id/media', async p => {
			const { data, mimetype } = await c.receivedMedia(p.phone!, p.id!)
			return new RawBody(data, mimetype)
		})
		this.add('POST', '/control/accounts/:phone/send', (p, b) => {
			const body = sendBody.parse(b)
			return c.send(p.phone!, { ...body, message: body.message as proto.IMessage | undefined, media: toMedia(body.media) })
		})
		this.add('POST', '/control/accounts/:phone/poll-vote', (p, b) => {
			const body = pollVoteBody.parse(b)
			return c.pollVote(p.phone!, body.pollId, body.options)
		})
		this.add('POST', '/control/accounts/:phone/receipts', (p, b) => {
			const body = receiptBody.parse(b)
			return { sent: c.receipt(p.phone!, body.ids, body.type) }
		})
		this.add('POST', '/control/accounts/:phone/retry', (p, b) => {
			c.requestResend(p.phone!, retryBody.parse(b).id)
			return { ok: true }
		})
		this.add('POST', '/control/accounts/:phone/presence', (p, b) => {
			const body = presenceBody.parse(b)
			c.presence(p.phone!, body.to, body.type)
			return { ok: true }
		})
		this.add('POST', '/control/accounts/:phone/chatstate', (p, b) => {
			const body = chatstateBody.parse(b)
			c.chatstate(p.phone!, body.to, body.state)
			return { ok: true }
		})
		this.add('GET', '/control/accounts/:phone/appstate', (p, _b, q) => c.appState(p.phone!, { action: q.get('action') ?? undefined, chat: q.get('chat') ?? undefined }))
		this.add('POST', '/control/accounts/:phone/appstate/conflicts', (p, b) => ({ pending: c.injectAppStateConflicts(p.phone!, conflictsBody.parse(b ?? {}).count) }))
		this.add('GET', '/control/accounts/:phone/chatstates', p => c.chatstates(p.phone!))
		this.add('GET', '/control/pairing/qr', () => c.pendingQrs())
		this.add('POST', '/control/pairing/qr/scan', (_p, b) => {
			const body = scanBody.parse(b)
			return c.scanQr(body.qr, body.phone)
		})
		this.add('GET', '/control/pairing/codes', () => c.pendingCodes())
		this.add('POST', '/control/pairing/codes/enter', (_p, b) => {
			const body = codeBody.parse(b)
			return c.enterCode(body.code, { phone: body.phone, ref: body.ref })
		})
		this.add('GET', '/control/devices', () => c.devices())
		this.add('POST', '/control/devices/:jid/disconnect', p => ({ disconnected: c.disconnect(p.jid!) }))
		this.add('DELETE', '/control/devices/:jid', p => c.unlink(p.jid!))
		this.add('GET', '/control/connections', () => c.connections())
		this.add('GET', '/control/stats', () => c.stats())
		this.add('GET', '/control/groups', () => c.groups())
		this.add('POST', '/control/groups', (_p, b) => {
			const body = groupCreateBody.parse(b)
			return c.createGroup(body.creator, body.subject, body.participants)
		})
		this.add('GET', '/control/groups/:jid', p => c.groups().find(g => g.jid === c.group(p.jid!).jid))
		this.add('POST', '/control/accounts/:phone/status', async (p, b) => {
			const body = statusPostBody.parse(b)
			return { id: await c.statusPost(p.phone!, body) }
		})
		this.add('POST', '/control/groups/:jid/send', async (p, b) => {
			const body = groupSendBody.parse(b)
			return { id: await c.groupSend(p.jid!, body.from, { ...body, message: body.message as proto.IMessage | undefined, media: toMedia(body.media) }) }
		})
		this.add('POST', '/control/groups/:jid/participants', (p, b) => {
			const body = groupParticipantsBody.parse(b)
			return c.groupParticipants(p.jid!, body.actor, body.action, body.participants)
		})
		this.add('PATCH', '/control/groups/:jid', (p, b) => {
			const { actor, ...change } = groupChangeBody.parse(b)
			return c.changeGroup(p.jid!, actor, change)
		})
		this.add('POST', '/control/accounts/:phone/send-many', async (p, b) => {
			const body = sendManyBody.parse(b)
			const t0 = performance.now()
			const cpu0 = process.cpuUsage()
			const ids = await c.sendMany(p.phone!, body.to, body.text, body.count)
			const cpu = process.cpuUsage(cpu0)
			return { ids, elapsedMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }
		})
		this.add('POST', '/control/reset', () => {
			c.reset()
			return { ok: true }
		})
	}

	/** registers an extra route (used by optional modules such as groups and media) */
	add(method: string, path: string, handler: Route['handler']): void {
		const keys: string[] = []
		const pattern = new RegExp(
			'^' +
				path.replace(/:([a-zA-Z]+)/g, (_m, k: string) => {
					keys.push(k)
					return '([^/]+)'
				}) +
				'/?$'
		)
		this.routes.push({ method, pattern, keys, handler })
	}

	/** returns false if the path is not a control route */
	async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const url = new URL(req.url ?? '/', 'http://localhost')
		if (!url.pathname.startsWith('/control')) return false
		const matching = this.routes.filter(r => r.pattern.test(url.pathname))
		const route = matching.find(r => r.method === req.method)
		if (!route) {
			send(res, matching.length ? 405 : 404, { error: matching.length ? 'method not allowed' : 'not found' })
			return true
		}
		const m = route.pattern.exec(url.pathname)!
		const params: Params = {}
		route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)))
		try {
			const body = req.method === 'GET' || req.method === 'DELETE' ? undefined : await readJson(req)
			const result = await route.handler(params, body, url.searchParams)
			if (result instanceof RawBody) {
				res.writeHead(200, { 'content-type': result.contentType, 'content-length': result.data.length })
				res.end(result.data)
			} else send(res, 200, result ?? { ok: true })
		} catch (err) {
			if (err instanceof ControlError) send(res, err.status, { error: err.message })
			else if (err instanceof z.ZodError) send(res, 400, { error: 'invalid request', issues: err.issues })
			else if (err instanceof SyntaxError) send(res, 400, { error: `invalid JSON: ${err.message}` })
			else {
				this.logger.error({ err, path: url.pathname }, 'control API error')
				send(res, 500, { error: (err as Error).message })
			}
		}
		return true
	}
}

function send(res: ServerResponse, status: number, body: unknown): void {
	const json = JSON.stringify(body)
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
	res.end(json)
}

function readJson(req: IncomingMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = []
		let size = 0
		req.on('data', (c: Buffer) => {
			size += c.length
			if (size > MAX_BODY) {
				reject(new ControlError(413, 'body too large'))
				req.destroy()
				return
			}
			chunks.push(c)
		})
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8')
			try {
				resolve(raw ? JSON.parse(raw) : {})
			} catch (err) {
				reject(err)
			}
		})
		req.on('error', reject)
	})
}
