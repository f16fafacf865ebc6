import type { Logger } from './logger';
import type { Config } from './config';

export interface Sandbox {
  /** The emulator's control API (scan QR codes, make contacts write…). */
  controlUrl: string;
  wsUrl: string;
  phones: Array<{ phone: string; name: string }>;
  /** Scans a session's QR code with a simulated phone, as a user would with WhatsApp → Linked devices. */
  scanQr(qr: string, phone: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Sandbox mode (WAGO_SANDBOX=1): runs the WhatsApp emulator in this process and points WaGo
 * at it, with simulated contacts, so sessions can be linked and used with no phone and no
 * internet. The emulator is loaded only here (opt-in), never otherwise.
 */
export async function startSandbox(config: Config, logger: Logger): Promise<{ sandbox: Sandbox; config: Config }> {
  const { startEmulator } = await import('../emulator/index');
  const { EMULATOR_TLS_CERT } = await import('../emulator/media/tls');
  const emulator = await startEmulator({
    port: config.WAGO_SANDBOX_PORT,
    host: '127.0.0.1',
    logger: logger.child({ component: 'sandbox-emulator' }, { level: config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? config.LOG_LEVEL : 'warn' }),
  });
  const phones = emulator.control.listAccounts().map((a) => ({ phone: a.phone, name: a.name }));
  return {
    sandbox: {
      controlUrl: `${emulator.url}/control`,
      wsUrl: emulator.wsUrl,
      phones,
      scanQr: async (qr, phone) => {
        await emulator.control.scanQr(qr, phone);
      },
      stop: () => emulator.stop(),
    },
    config: { ...config, WAGO_WA_WS_URL: emulator.wsUrl, WAGO_WA_ROOT_KEY: emulator.rootPublicKey.toString('hex'), WAGO_WA_MEDIA_CA: EMULATOR_TLS_CERT },
  };
}
