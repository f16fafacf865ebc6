import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../emulator/index';
import { createTestDatabase, type TestDatabase } from './db';
import { spawnWago, type WagoProcess } from './spawn-wago';
import { WebhookReceiver } from './webhook-receiver';
import { linkOverRest, processEnv, rest, tempDirs } from './fault-wago';

/** A busy machine (2 cores, the suite beside) can take a while to start a process. */
const SLOW_START = { bannerTimeoutMs: 180_000 };

/**
 * What a fault test runs: a WhatsApp emulator, a database, a webhook receiver and WaGo processes
 * sharing them (one encryption key, a data folder each). `stop()` ends everything it started,
 * however far the test got. `FAULT_LOG=<level>` runs the processes at that log level and prints
 * what they wrote when the rig stops.
 */
export class FaultRig {
  readonly receiver = new WebhookReceiver();
  /** The WaGo processes started, in the order their banners came. */
  readonly processes: WagoProcess[] = [];
  private readonly dirs = tempDirs();
  private emulator: Emulator | undefined;
  private database: TestDatabase | undefined;
  private shared: Record<string, string> = {};

  constructor(private readonly admin: string) {}

  /** Starts the emulator, the database (a fresh one on the test server unless one is given) and the receiver. */
  async start(database?: TestDatabase, sharedEnv: Record<string, string> = {}): Promise<void> {
    this.database = database ?? (await createTestDatabase());
    this.emulator = await startEmulator({ port: 0, logger: pino({ level: 'silent' }) });
    await this.receiver.start();
    this.shared = processEnv(this.emulator, this.database.url, this.admin, sharedEnv);
  }

  get emu(): Emulator {
    if (!this.emulator) throw new Error('the fault rig is not started');
    return this.emulator;
  }

  get databaseUrl(): string {
    if (!this.database) throw new Error('the fault rig is not started');
    return this.database.url;
  }

  /** The settings of a WaGo process of the rig, in a new data folder named from `folderPrefix`. */
  async env(folderPrefix: string): Promise<Record<string, string>> {
    return { ...this.shared, WAGO_DATA_DIR: await this.dirs.make(folderPrefix), ...(process.env.FAULT_LOG ? { LOG_LEVEL: process.env.FAULT_LOG } : {}) };
  }

  /** Starts a WaGo process (allowing for a slow start); `stop()` ends it. */
  async spawn(env: Record<string, string>): Promise<WagoProcess> {
    const wago = await spawnWago(env, SLOW_START);
    this.processes.push(wago);
    return wago;
  }

  /** Creates a session through `base`, links it to the emulated `phone` and waits until it is connected; returns its token. */
  link(base: string, name: string, phone?: string): Promise<string> {
    return linkOverRest(this.emu, base, this.admin, name, phone);
  }

  /** Links a session as `link` does and points its Message webhook at the receiver's `hookPath`, set through `hookBase` (`base` by default). */
  async linkWithWebhook(base: string, name: string, hookPath: string, opts: { phone?: string; hookBase?: string } = {}): Promise<string> {
    const token = await this.link(base, name, opts.phone);
    const hook = await rest(opts.hookBase ?? base, 'POST', '/webhook', { token }, { WebhookURL: this.receiver.url(hookPath), Events: ['Message'] });
    assert.equal(hook.status, 200, hook.error);
    return token;
  }

  async stop(): Promise<void> {
    if (process.env.FAULT_LOG) for (const p of this.processes) console.log(p.output());
    for (const p of this.processes) await p.kill('SIGTERM');
    await this.receiver.stop();
    await this.emulator?.stop();
    await this.database?.drop();
    await this.dirs.cleanup();
  }
}
