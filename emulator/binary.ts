/** Helpers around Baileys' BinaryNode (the XMPP-like stanza tree of the WhatsApp protocol). */
import {
	type BinaryNode,
	getAllBinaryNodeChildren,
	getBinaryNodeChild,
	getBinaryNodeChildren,
	jidDecode,
	type JidServer
} from 'baileys'

export type { BinaryNode }

export const S_WHATSAPP_NET = 's.whatsapp.net'

export function node(tag: string, attrs: Record<string, string | number | undefined> = {}, content?: BinaryNode['content']): BinaryNode {
	const clean: Record<string, string> = {}
	for (const [k, v] of Object.entries(attrs)) {
		if (v !== undefined) clean[k] = String(v)
	}
	return content === undefined ? { tag, attrs: clean } : { tag, attrs: clean, content }
}

export const child = (n: BinaryNode | undefined, tag: string): BinaryNode | undefined => getBinaryNodeChild(n, tag)
export const children = (n: BinaryNode | undefined, tag: string): BinaryNode[] => getBinaryNodeChildren(n, tag)
export const allChildren = (n: BinaryNode | undefined): BinaryNode[] => (n ? getAllBinaryNodeChildren(n) : [])

export function bytes(n: BinaryNode | undefined): Buffer | undefined {
	const c = n?.content
	if (c instanceof Uint8Array) return Buffer.from(c)
	if (typeof c === 'string') return Buffer.from(c, 'utf8')
	return undefined
}

export function childBytes(n: BinaryNode | undefined, tag: string): Buffer | undefined {
	return bytes(child(n, tag))
}

export function text(n: BinaryNode | undefined): string | undefined {
	const c = n?.content
	if (typeof c === 'string') return c
	if (c instanceof Uint8Array) return Buffer.from(c).toString('utf8')
	return undefined
}

export function uintFromBytes(b: Uint8Array | undefined): number | undefined {
	if (!b || b.length === 0 || b.length > 6) return undefined
	let v = 0
	for (const x of b) v = v * 256 + x
	return v
}

export function uintToBytes(value: number, length: number): Buffer {
	const out = Buffer.alloc(length)
	let v = value
	for (let i = length - 1; i >= 0; i--) {
		out[i] = v & 0xff
		v = Math.floor(v / 256)
	}
	return out
}

/** An error that becomes `<iq type="error"><error code text/></iq>` */
export class IqError extends Error {
	constructor(
		readonly code: number,
		readonly text: string
	) {
		super(`${code} ${text}`)
	}
}

export interface ParsedJid {
	user: string
	device: number
	server: JidServer
}

export function parseJid(jid: string | undefined): ParsedJid | undefined {
	const d = jidDecode(jid)
	if (!d || !d.user) return undefined
	return { user: d.user, device: d.device ?? 0, server: d.server }
}

export function pnJid(user: string, device = 0): string {
	return device ? `${user}:${device}@s.whatsapp.net` : `${user}@s.whatsapp.net`
}

export function lidJid(user: string, device = 0): string {
	return device ? `${user}:${device}@lid` : `${user}@lid`
}

export function unixNow(): number {
	return Math.floor(Date.now() / 1000)
}
