// Loaded with `node --import` before WaGo: registers ./resolve-hooks.mjs, so that Baileys, when
// it is loaded, makes its key-transaction storages from WaGo's AsyncLocalStorage (see storages.ts).
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url);
