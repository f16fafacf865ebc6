import { getRuntime } from '../runtime/registry';
import { conflict, notFound } from '../http/errors';
import { connectSession, getSessionQr } from './session-runtime.service';

export interface SandboxInfo {
  enabled: boolean;
  /** Simulated phones that can link sessions and chat with them. */
  phones: Array<{ phone: string; name: string }>;
}

export function sandboxInfo(): SandboxInfo {
  const sandbox = getRuntime().sandbox;
  return { enabled: sandbox !== undefined, phones: sandbox?.phones ?? [] };
}

const QR_WAIT_MS = 20_000;

/**
 * Sandbox only: links a session with a simulated phone. Starts linking when needed, waits for
 * the QR code and has the phone scan it, exactly the flow a real phone goes through.
 */
export async function linkWithSimulatedPhone(sessionId: string, phone?: string): Promise<{ phone: string }> {
  const sandbox = getRuntime().sandbox;
  if (!sandbox) throw notFound('sandbox mode is off (start WaGo with WAGO_SANDBOX=1)');
  const chosen = phone ?? sandbox.phones[0]?.phone;
  if (!chosen || !sandbox.phones.some((p) => p.phone === chosen)) throw notFound(`phone: no simulated phone ${chosen ?? ''}`.trim());
  const status = await connectSession(sessionId, { immediate: true });
  if (status.LoggedIn) throw conflict('the session is already linked');
  const deadline = Date.now() + QR_WAIT_MS;
  for (;;) {
    try {
      const qr = await getSessionQr(sessionId);
      await sandbox.scanQr(qr.Code, chosen);
      return { phone: chosen };
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
