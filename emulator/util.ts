/** small shared utilities */
import { randomBytes } from 'node:crypto'

/** serializes async work per key */
export class KeyedMutex {
	private readonly tails = new Map<string, Promise<unknown>>()

	run<T>(key: string, fn: () => Promise<T>): Promise<T> {
		const prev = this.tails.get(key) ?? Promise.resolve()
		const next = prev.then(fn, fn)
		const tail = next.catch(() => undefined)
		this.tails.set(key, tail)
		void tail.then(() => {
			if (this.tails.get(key) === tail) this.tails.delete(key)
		})
		return next
	}
}

/** WhatsApp-like message id: 3EB0 + 18 hex chars */
export function newMessageId(): string {
	return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`
}

/** a bounded insertion-ordered map (drops the oldest entries) */
export class BoundedMap<K, V> extends Map<K, V> {
	constructor(private readonly max: number) {
		super()
	}

	override set(key: K, value: V): this {
		super.set(key, value)
		if (this.size > this.max) {
			const oldest = this.keys().next()
			if (!oldest.done) this.delete(oldest.value)
		}
		return this
	}
}
