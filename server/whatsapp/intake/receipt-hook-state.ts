/** Whether Baileys' message receiver was loaded with WaGo's receipt hook (receipt-hook.mjs marks it). */
export function receiptHookLoaded(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('wago.deferReceipt')] === true;
}
