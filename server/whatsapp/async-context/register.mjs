// Loaded with `node --import` before WaGo: registers ./resolve-hooks.mjs, so that Baileys, when
// it is loaded, makes its key-transaction storages from WaGo's AsyncLocalStorage (see storages.ts),
// and ../intake/receipt-hook.mjs, so that an incoming message's receipt waits until it is stored.
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url);
register('../intake/receipt-hook.mjs', import.meta.url);
