import pkg from '../../../package.json' with { type: 'json' };
import { getRuntime } from '../../runtime/registry';

/** What /server/license reports: the licence and edition facts of this installation. */
export interface LicenseAnswer {
  /** The licence the package declares (SPDX id), or null when it declares none. */
  License: string | null;
  /** WaGo has no licence keys: nothing to verify, nothing expires, every feature is enabled. */
  LicenseKey: 'none';
  Edition: 'open source';
  Version: string;
  /** The build identifier WAGO_BUILD gives (e.g. a commit hash), or null. */
  Build: string | null;
  Node: string;
  Details: string;
}

const declared = (pkg as { license?: unknown }).license;

export function licenseFacts(): LicenseAnswer {
  const runtime = getRuntime();
  const license = typeof declared === 'string' && declared.trim() ? declared : null;
  return {
    License: license,
    LicenseKey: 'none',
    Edition: 'open source',
    Version: runtime.version,
    Build: runtime.config.WAGO_BUILD ?? null,
    Node: process.version,
    Details:
      'WaGo is open software: it has no licence key, nothing to activate or verify, and every feature is enabled' +
      (license ? ` (licence: ${license}).` : '. The package declares no licence identifier.'),
  };
}
