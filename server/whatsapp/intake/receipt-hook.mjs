// Module load hook (registered by ../async-context/register.mjs): in Baileys' message receiver, the
// delivery receipt of an incoming message goes through `config.deferReceipt` when WaGo gives one,
// so that WaGo sends it only once the message is stored (see receipt-gate.ts). WhatsApp forgets a
// message its device acknowledged; one that was not is delivered again at the next login.
// Baileys is pinned exactly; a version without this call is left as it is, and WaGo warns.
const TARGET = '/node_modules/baileys/lib/Socket/messages-recv.js';
const CALL = 'await sendReceipt(msg.key.remoteJid, participant, [msg.key.id], type);';
const DEFERRED =
  'await (config.deferReceipt ? config.deferReceipt(msg.key, () => sendReceipt(msg.key.remoteJid, participant, [msg.key.id], type)) : sendReceipt(msg.key.remoteJid, participant, [msg.key.id], type));';
// A message delivered again whose keys were already used (decrypted once, then the process died
// before it was stored) is not dropped as a duplicate when `config.repeatUndecryptable` takes it:
// WaGo asks the sender for it again (a retry receipt) unless it is in the store already.
const REPEAT = `if (msg?.messageStubParameters?.[0] === MISSING_KEYS_ERROR_TEXT) {
                        acked = true;
                        return sendMessageAck(node, NACK_REASONS.ParsingError);`;
const REPEAT_TAKEN = `if (msg?.messageStubParameters?.[0] === MISSING_KEYS_ERROR_TEXT) {
                        acked = true;
                        if (config.repeatUndecryptable && (await config.repeatUndecryptable(node, msg.key))) return;
                        return sendMessageAck(node, NACK_REASONS.ParsingError);`;
const MARK = "globalThis[Symbol.for('wago.deferReceipt')] = true;\n";

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.endsWith(TARGET) || result.source === undefined || result.source === null) return result;
  const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  if (!source.includes(CALL) || !source.includes(REPEAT)) return result;
  return { ...result, source: MARK + source.replace(CALL, DEFERRED).replace(REPEAT, REPEAT_TAKEN) };
}
