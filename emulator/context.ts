/** Shared services of a running emulator, handed to every connection and handler. */
import type { Logger } from 'pino'
import type { BinaryNode } from './binary.js'
import type { CertBundle } from './certs.js'
import type { ClientConnection } from './connection.js'
import type { CodePairing } from './handlers/pair-code.js'
import type { QrPairing } from './handlers/pair.js'
import type { MediaStore } from './media/store.js'
import type { World } from './world/world.js'

/** answers one iq; returns the content of the `type=result` reply (or throws IqError) */
export type IqHandler = (ctx: EmulatorContext, conn: ClientConnection, iq: BinaryNode) => Promise<BinaryNode[] | void> | BinaryNode[] | void

/** handles a non-iq stanza (message, receipt, presence...) */
export type StanzaHandler = (ctx: EmulatorContext, conn: ClientConnection, node: BinaryNode) => Promise<void> | void

/** completes a connection after the Noise handshake (login or start of pairing) */
export type SessionStarter = (ctx: EmulatorContext, conn: ClientConnection) => Promise<void> | void

/** group features (optional module) */
export interface GroupService {
	onMessage(ctx: EmulatorContext, conn: ClientConnection, stanza: BinaryNode): Promise<void>
}

export interface Services {
	qr: QrPairing
	codes: CodePairing
	groups?: GroupService
	media: MediaStore
}

export interface EmulatorContext {
	world: World
	logger: Logger
	certs: CertBundle
	/** http base url, e.g. http://127.0.0.1:4040 (media hosts point here) */
	httpBase(): string
	connections: Set<ClientConnection>
	/** iq handlers by xmlns */
	iq: Map<string, IqHandler>
	/** stanza handlers by tag */
	stanzas: Map<string, StanzaHandler>
	login: SessionStarter
	register: SessionStarter
	services: Services
	options: RuntimeOptions
	stats: RuntimeStats
}

/** counters exposed by GET /control/stats */
export interface RuntimeStats {
	/** <message> stanzas received from linked devices */
	clientMessages: number
	/** device copies decrypted by emulated phones */
	phoneDecrypts: number
	/** device copies forwarded to other linked devices */
	forwarded: number
	/** messages encrypted by emulated phones for linked devices */
	phoneEncrypts: number
	/** receipts received from linked devices */
	clientReceipts: number
	/** messages re-sent by emulated phones after retry receipts */
	retriesResent: number
	/** privacy (trusted-contact) tokens linked devices asked the server to issue */
	privacyTokensIssued: number
	/** status posts (status@broadcast) decrypted by emulated phones */
	statusesReceived: number
	/** usync queries with the contact protocol (is this number on WhatsApp?) */
	usyncContactQueries: number
	/** group metadata queries (`w:g2` `<query/>` to one group) linked devices made */
	groupMetadataQueries: number
}

export interface RuntimeOptions {
	/** delay of automatic delivery/read receipts from emulated phones, ms (real ones arrive later than the ack) */
	receiptDelayMs: number
	/** delay of the phone's app-state key share after linking, ms */
	appStateKeyDelayMs: number
	/**
	 * a forged link: the phone signs the new device's account identity with a key other than the
	 * account's own (the one it announces), as an impostor would; a verifying client refuses it
	 */
	wrongAccountSignatureKey: boolean
}
