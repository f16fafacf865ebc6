// Module resolution hook (registered by ./register.mjs): Baileys' import of `async_hooks` gets
// ./baileys-async-hooks.mjs, the builtin module with WaGo's AsyncLocalStorage in place of Node's.
// Nothing else is redirected, and nothing in the builtin module is changed.
const target = new URL('./baileys-async-hooks.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if ((specifier === 'async_hooks' || specifier === 'node:async_hooks') && context.parentURL?.includes('/node_modules/baileys/')) {
    return { url: target, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
