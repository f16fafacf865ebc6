'use client';

import { useEffect, useState } from 'react';
import { useLiveStatus } from './live';

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

/** "Live" while changes are pushed to this page; "Reconnecting…" as soon as the connection is lost. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const connected = status === 'live';
  return (
    <span
      data-testid="live-indicator"
      data-connected={connected}
      data-status={status}
      role="status"
      className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs"
      title={connected ? 'Live updates are on' : 'Live updates are off until the connection to the server is back'}
    >
      <span className={`h-2 w-2 rounded-full ${connected ? 'bg-emerald-500' : status === 'reconnecting' ? 'animate-pulse bg-amber-500' : 'bg-slate-300'}`} aria-hidden />
      {LABELS[status]}
    </span>
  );
}

/** A banner across the dashboard while the server cannot be reached (after a second, to skip blips). */
export function ReconnectingBanner() {
  const status = useLiveStatus();
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (status !== 'reconnecting') {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), 1_000);
    return () => clearTimeout(timer);
  }, [status]);
  if (!shown) return null;
  return (
    <div role="alert" data-testid="reconnecting-banner" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-sm text-amber-900">
      Can’t reach the server — reconnecting… Changes made now may fail; this page catches up once it is back.
    </div>
  );
}
