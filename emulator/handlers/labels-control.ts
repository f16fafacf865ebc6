/** Control API of the phone's labels: what its app state holds, and label changes made on the phone. */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import { ControlError } from '../control/actions.js'
import type { ControlHttp } from '../control/http.js'
import type { Account } from '../world/types.js'
import { phoneLabelChange, phoneLabels } from './labels.js'

const labelChangeBody = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('edit'), id: z.string().min(1), name: z.string().min(1), color: z.number().int().min(0).max(19).optional(), deleted: z.boolean().optional() }),
	z.object({ kind: z.literal('chat'), labelId: z.string().min(1), chat: z.string().min(1), labeled: z.boolean().default(true) }),
	z.object({ kind: z.literal('message'), labelId: z.string().min(1), chat: z.string().min(1), messageId: z.string().min(1), labeled: z.boolean().default(true) })
])

export function installLabels(ctx: EmulatorContext, control: ControlHttp): void {
	const account = (ref: string): Account => {
		const found = ctx.world.findAccount(ref)
		if (!found) throw new ControlError(404, `no account ${ref}`)
		return found
	}
	/** a chat given as a number means that account's phone-number JID */
	const chatJid = (ref: string): string => (ref.includes('@') ? ref : `${account(ref).phone}@s.whatsapp.net`)
	control.add('GET', '/control/accounts/:phone/labels', p => phoneLabels(account(p.phone!)))
	control.add('POST', '/control/accounts/:phone/labels', (p, b) => {
		const change = labelChangeBody.parse(b)
		const a = account(p.phone!)
		const version = phoneLabelChange(ctx, a, change.kind === 'edit' ? change : { ...change, chat: chatJid(change.chat) })
		return { version, ...phoneLabels(a) }
	})
}
