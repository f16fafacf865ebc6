import { PILL_TONES, type PillTone } from './pill';

const STYLES: Record<string, { label: string; tone: PillTone }> = {
  connected: { label: 'Connected', tone: 'green' },
  connecting: { label: 'Connecting', tone: 'amber' },
  qr: { label: 'Waiting for QR scan', tone: 'blue' },
  pairing: { label: 'Waiting for pairing code', tone: 'blue' },
  disconnected: { label: 'Disconnected', tone: 'grey' },
  logged_out: { label: 'Logged out', tone: 'grey' },
  failed: { label: 'Failed', tone: 'red' },
};

/** A session's live state as a coloured badge (`data-state` lets tests and scripts read it). */
export function StateBadge({ state }: { state: string }) {
  const style = STYLES[state] ?? { label: state, tone: 'grey' };
  return (
    <span data-testid="state-badge" data-state={state} className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${PILL_TONES[style.tone]}`}>
      <span className={`h-1.5 w-1.5 rounded-full bg-current ${state === 'connecting' ? 'animate-pulse' : ''}`} aria-hidden />
      {style.label}
    </span>
  );
}
