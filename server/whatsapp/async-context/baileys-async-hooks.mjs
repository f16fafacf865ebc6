// What Baileys gets when it imports `async_hooks` (see resolve-hooks.mjs): the builtin module,
// with AsyncLocalStorage replaced by the storage WaGo gives Baileys on this Node line.
export * from 'node:async_hooks';
export { BaileysStorage as AsyncLocalStorage } from './storages.ts';
