const STYLES: Record<string, { label: string; className: string }> = {
  connected: { label: 'Connected', className: 'bg-emerald-100 text-emerald-800 ring-emerald-600/20' },
  connecting: { label: 'Connecting', className: 'bg-amber-100 text-amber-800 ring-amber-600/20' },
  qr: { label: 'Waiting for QR scan', className: 'bg-sky-100 text-sky-800 ring-sky-600/20' },
  pairing: { label: 'Waiting for pairing code', className: 'bg-sky-100 text-sky-800 ring-sky-600/20' },
  disconnected: { label: 'Disconnected', className: 'bg-slate-100 text-slate-700 ring-slate-500/20' },
  logged_out: { label: 'Logged out', className: 'bg-slate-100 text-slate-700 ring-slate-500/20' },
  failed: { label: 'Failed', className: 'bg-rose-100 text-rose-800 ring-rose-600/20' },
};

/** A session's live state as a coloured badge (`data-state` lets tests and scripts read it). */
export function StateBadge({ state }: { state: string }) {
  const style = STYLES[state] ?? { label: state, className: 'bg-slate-100 text-slate-700 ring-slate-500/20' };
  return (
    <span data-testid="state-badge" data-state={state} className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${style.className}`}>
      <span className={`h-1.5 w-1.5 rounded-full bg-current ${state === 'connecting' ? 'animate-pulse' : ''}`} aria-hidden />
      {style.label}
    </span>
  );
}
