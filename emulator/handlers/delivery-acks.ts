/**
 * What WhatsApp keeps until a device confirms it: every <message>, <receipt>, <notification> and
 * <call> sent to a logged-in device stays with its connection until the device acknowledges it — a
 * message by its <receipt> (delivery, read, retry…) or an <ack class="message">, the others by an
 * <ack> of their class. When the connection closes first, what was not acknowledged goes back to the
 * front of the device's offline queue and is delivered again (offline="1") at its next login.
 */
import { type BinaryNode, child, children } from '../binary.js'
import type { LinkedDevice } from '../world/types.js'

const ACKED_TAGS = new Set(['message', 'receipt', 'notification', 'call'])

/** a stanza the device must acknowledge before WhatsApp forgets it */
export function needsAck(stanza: BinaryNode): boolean {
	return ACKED_TAGS.has(stanza.tag) && !!stanza.attrs.id
}

/** removes the first stanza an <ack> from the client acknowledges; true if one was found */
export function takeAcked(unacked: BinaryNode[], ack: BinaryNode): boolean {
	const { id, to, participant, type } = ack.attrs
	const cls = ack.attrs.class
	const index = unacked.findIndex(
		s =>
			s.tag === cls &&
			s.attrs.id === id &&
			(cls === 'message' ||
				((!to || s.attrs.from === to) && (!participant || s.attrs.participant === participant) && (s.attrs.type ?? '') === (type ?? '')))
	)
	if (index < 0) return false
	unacked.splice(index, 1)
	return true
}

/** removes the messages a <receipt> from the client acknowledges (its id and its list's items) */
export function takeReceipted(unacked: BinaryNode[], receipt: BinaryNode): void {
	const ids = new Set([receipt.attrs.id, ...children(child(receipt, 'list'), 'item').map(i => i.attrs.id)])
	for (let i = unacked.length - 1; i >= 0; i--) {
		if (unacked[i]!.tag === 'message' && ids.has(unacked[i]!.attrs.id)) unacked.splice(i, 1)
	}
}

/** a closed connection's unacknowledged stanzas: first in line for the device's next login */
export function requeueUnacked(device: LinkedDevice, unacked: BinaryNode[]): void {
	if (device.state !== 'linked' || unacked.length === 0) return
	device.offline.unshift(...unacked)
}
