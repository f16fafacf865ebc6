/** Domain types of the emulated WhatsApp world. */
import type { proto } from 'baileys'
import type { BinaryNode } from '../binary.js'
import type { KeyPair } from '../crypto.js'
import type { SimulatedDevice } from '../signal/device.js'
import type { PhoneSenderKeys } from '../signal/sender-keys.js'
import type { BusinessProfile } from './business.js'

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'played'

/** a message an account's simulated phone (device 0) received, decrypted */
export interface ReceivedMessage {
	id: string
	/** chat jid as addressed by the sender (PN or LID, no device) */
	chat: string
	/** sender account phone number */
	fromPhone: string
	/** sender device id (0 = phone, n = linked device) */
	fromDevice: number
	/** stanza type attribute: text, media, reaction, poll... */
	stanzaType: string
	/** message content kind, e.g. conversation, extendedTextMessage, imageMessage */
	contentType: string
	text?: string
	quotedId?: string
	/** the group jid if sent to a group */
	group?: string
	timestamp: number
	/** proto.Message as JSON (bytes as base64) */
	message: Record<string, unknown>
	/** Signal message type it arrived in (pkmsg, msg, skmsg), or 'plain' when phone-to-phone */
	encType: string
	/** true when this is the sender's own phone receiving a copy of what a linked device sent */
	ownDeviceCopy: boolean
	/** the sender's push name as the server passed it on (`notify`), when it had one */
	pushName?: string
}

/** a message the simulated phone sent, with the receipts linked devices returned */
export interface SentMessage {
	id: string
	to: string
	text?: string
	timestamp: number
	status: MessageStatus
	/** per device jid: latest receipt type */
	receipts: Record<string, MessageStatus>
	/** per device jid: the Signal message type used (pkmsg starts a session, then msg) */
	encTypes: Record<string, 'pkmsg' | 'msg'>
}

export interface ChatstateEvent {
	from: string
	state: string
	at: number
}

export interface AccountPrivacy {
	[category: string]: string
}

export type DeviceState = 'linked' | 'removed'

export interface LinkedDevice {
	account: Account
	id: number
	keyIndex: number
	/** client static Noise key: proves the identity of the device at login */
	noisePub: Buffer
	identityPub: Buffer
	registrationId: number
	signedPreKey: { keyId: number; pub: Buffer; signature: Buffer }
	preKeys: Map<number, Buffer>
	platform: string
	pushName?: string
	state: DeviceState
	pairedAt: number
	lastLoginAt?: number
	/** details + account signature the phone issued (ADVSignedDeviceIdentity, no device signature) */
	signedIdentity: Buffer
	/** set from pair-device-sign */
	deviceSignature?: Buffer
	/** stanzas waiting for the device to come online */
	offline: BinaryNode[]
	connection?: DeviceConnection
}

/** what the world needs from a live client connection */
export interface DeviceConnection {
	readonly id: string
	send(node: BinaryNode): void
	close(reason: string, streamError?: BinaryNode): void
	readonly ready: boolean
	/** stanzas sent and not acknowledged yet (WhatsApp sends them again at the next login) */
	readonly unacked: readonly BinaryNode[]
}

export interface Account {
	phone: string
	lid: string
	name: string
	identity: KeyPair
	/** simulated device 0 */
	primary: SimulatedDevice
	/** sender keys of the simulated phone (groups) */
	senderKeys: PhoneSenderKeys
	devices: Map<number, LinkedDevice>
	nextDeviceId: number
	nextKeyIndex: number
	/** reply to every text with the same text */
	echo: boolean
	/** send a delivery receipt when a linked device's message arrives (default true) */
	autoDeliver: boolean
	/** also send a read receipt right away */
	autoRead: boolean
	inbox: ReceivedMessage[]
	/** status posts (status@broadcast) the simulated phone received and decrypted, oldest first */
	statuses: ReceivedMessage[]
	sent: Map<string, SentMessage>
	statusText: string
	privacy: AccountPrivacy
	blocklist: Set<string>
	presence: 'available' | 'unavailable'
	lastSeen: number
	chatstates: ChatstateEvent[]
	/** profile picture bytes (jpeg) if any */
	picture?: Buffer
	/** set when this is a WhatsApp Business account (see business.ts) */
	business?: BusinessProfile
	createdAt: number
}

export type MessageContent = proto.IMessage
