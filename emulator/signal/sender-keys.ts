/** Sender keys (group messages, skmsg) for emulated phones, using Baileys' Signal group primitives. */
import { proto, unpadRandomMax16, writeRandomPadMax16 } from 'baileys'
import { GroupCipher, GroupSessionBuilder, SenderKeyDistributionMessage, SenderKeyName, SenderKeyRecord } from 'baileys/lib/Signal/Group/index.js'

class MemorySenderKeyStore {
	private readonly records = new Map<string, SenderKeyRecord>()

	async loadSenderKey(name: SenderKeyName): Promise<SenderKeyRecord> {
		return this.records.get(name.toString()) ?? new SenderKeyRecord()
	}

	async storeSenderKey(name: SenderKeyName, record: SenderKeyRecord): Promise<void> {
		this.records.set(name.toString(), record)
	}

	has(name: SenderKeyName): boolean {
		return this.records.has(name.toString())
	}
}

/** a sender identity inside a group: an account's device (by phone number, so addressing-independent) */
function keyName(group: string, phone: string, device: number): SenderKeyName {
	return new SenderKeyName(group, { id: phone, deviceId: device, toString: () => `${phone}.${device}` })
}

/** the sender-key state of one emulated phone */
export class PhoneSenderKeys {
	private readonly store = new MemorySenderKeyStore()

	/** processes a SenderKeyDistributionMessage received from `phone`:`device` */
	async processDistribution(group: string, phone: string, device: number, skdm: Uint8Array): Promise<void> {
		const msg = new SenderKeyDistributionMessage(null, null, null, null, skdm)
		await new GroupSessionBuilder(this.store).process(keyName(group, phone, device), msg)
	}

	hasKey(group: string, phone: string, device: number): boolean {
		return this.store.has(keyName(group, phone, device))
	}

	async decrypt(group: string, phone: string, device: number, skmsg: Uint8Array): Promise<proto.Message> {
		const padded = await new GroupCipher(this.store, keyName(group, phone, device)).decrypt(skmsg)
		return proto.Message.decode(unpadRandomMax16(padded))
	}

	/** the phone's own distribution message for `group` (creates the sender key on first use) */
	async ownDistribution(group: string, phone: string): Promise<Uint8Array> {
		const skdm = await new GroupSessionBuilder(this.store).create(keyName(group, phone, 0))
		return skdm.serialize()
	}

	async encrypt(group: string, phone: string, message: proto.IMessage): Promise<Uint8Array> {
		await this.ownDistribution(group, phone)
		const padded = writeRandomPadMax16(proto.Message.encode(message).finish())
		return new GroupCipher(this.store, keyName(group, phone, 0)).encrypt(padded)
	}
}
