/**
 * Bots of the emulated world (WhatsApp's AI bots): accounts whose phone answers every text, each
 * with one or more personas. A message names the persona it is for in
 * messageContextInfo.botMetadata.personaId; the bot answers as that persona.
 */
import type { World } from './world.js'

export interface BotPersona {
	personaId: string
	name: string
}

export interface Bot {
	phone: string
	personas: BotPersona[]
}

const stores = new WeakMap<World, Map<string, Bot>>()

export function botsOf(world: World): Map<string, Bot> {
	let bots = stores.get(world)
	if (!bots) {
		bots = new Map()
		stores.set(world, bots)
		world.on('reset', () => bots!.clear())
	}
	return bots
}
