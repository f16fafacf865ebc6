'use client';

import type { ReactNode } from 'react';
import { describeError } from './trpc';
import { ErrorNote } from '../ui/card';
import { ConnectButton, LinkButton } from './session/session-fix-buttons';

/**
 * A failed call, in dashboard words, with the button that fixes it when there is one: Connect
 * for a session that is not connected, Link for one not linked yet, Sign in when signed out.
 */
export function ApiErrorNote({ error, sessionId, prefix, action = false }: { error: unknown; sessionId?: string; prefix?: ReactNode; action?: boolean }) {
  if (!error) return null;
  const described = describeError(error, { action });
  let fix: ReactNode = null;
  if (described.fix === 'connect' && sessionId) fix = <ConnectButton sessionId={sessionId} />;
  else if (described.fix === 'link' && sessionId) fix = <LinkButton />;
  else if (described.fix === 'sign-in') fix = <a href={`/login?callbackUrl=${encodeURIComponent(typeof window === 'undefined' ? '/dashboard' : window.location.pathname)}`} className="font-medium text-rose-900 underline">Sign in</a>;
  else if (described.fix === 'reload') fix = <button type="button" onClick={() => window.location.reload()} className="font-medium text-rose-900 underline">Reload</button>;
  return (
    <ErrorNote>
      <span data-testid="error-text" data-unreachable={described.unreachable || undefined}>
        {prefix}
        {described.message}
      </span>
      {fix && <span className="ml-2 inline-flex align-middle">{fix}</span>}
    </ErrorNote>
  );
}
