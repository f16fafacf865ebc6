import { fileURLToPath } from 'node:url';

/**
 * The Node flags a WaGo process starts with: the TypeScript loader, then the module hook that
 * gives Baileys WaGo's AsyncLocalStorage (register.mjs; `npm start` passes the same).
 */
export const WAGO_NODE_IMPORTS: readonly string[] = ['--import', 'tsx', '--import', fileURLToPath(new URL('./register.mjs', import.meta.url))];
