'use client';

import { useLiveConnected } from './live';

export function LiveIndicator() {
  const connected = useLiveConnected();
  return (
    <span data-testid="live-indicator" data-connected={connected} className="inline-flex items-center gap-1.5 text-xs" title={connected ? 'Live updates are on' : 'Reconnecting for live updates'}>
      <span className={`h-2 w-2 rounded-full ${connected ? 'bg-emerald-500' : 'bg-slate-300'}`} aria-hidden />
      {connected ? 'Live' : 'Offline'}
    </span>
  );
}
