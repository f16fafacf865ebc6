/** Control API of bots: create a bot account with personas, list bots. */
import { z } from 'zod'
import type { EmulatorContext } from '../context.js'
import type { ControlHttp } from '../control/http.js'
import { ControlError } from '../control/actions.js'
import { botsOf } from '../world/bots.js'

const botBody = z.object({
	phone: z.string().regex(/^\d{5,15}$/),
	name: z.string().min(1).default('AI'),
	personas: z.array(z.object({ personaId: z.string().min(1), name: z.string().min(1) })).min(1)
})

export function installBotControl(ctx: EmulatorContext, control: ControlHttp): void {
	const bots = botsOf(ctx.world)
	control.add('GET', '/control/bots', () => [...bots.values()])
	control.add('POST', '/control/bots', (_p, b) => {
		const body = botBody.parse(b)
		if (ctx.world.getByPhone(body.phone) && !bots.has(body.phone)) throw new ControlError(409, `${body.phone} is an account that is not a bot`)
		const account = ctx.world.getByPhone(body.phone) ?? ctx.world.createAccount({ phone: body.phone, name: body.name })
		const bot = { phone: account.phone, personas: body.personas }
		bots.set(account.phone, bot)
		return bot
	})
}
