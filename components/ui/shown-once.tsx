'use client';

import { createContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from './button';

/**
 * Around a secret shown once (a token, a password, a signing secret): lets the secret's Copy
 * button say it was copied, and lets the buttons that hide it ask first.
 */
export const ShownOnceContext = createContext<{ markCopied(): void; requestClose(then?: () => void): void } | null>(null);

/** The question asked before a secret shown once is hidden without having been copied. */
export function ShownOnceConfirm({ what, onGoBack, onLeave }: { what: string; onGoBack: () => void; onLeave: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // (A block body: browsers may return a promise from scrollIntoView, which is no effect cleanup.)
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={ref} role="alertdialog" aria-label="Close without copying?" data-testid="shown-once-confirm" className="flex flex-col gap-3 rounded-lg border border-rose-200 bg-rose-50 p-3">
      <p className="text-sm text-rose-900">
        Close without copying? The {what} is shown only this once: once closed, it cannot be shown again.
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onGoBack}>Go back</Button>
        <Button variant="danger" onClick={onLeave}>Close anyway</Button>
      </div>
    </div>
  );
}

/** A click on a link that leaves this page inside the dashboard (or elsewhere); null for other clicks. */
function leavingLink(e: MouseEvent): string | null {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const link = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!(link instanceof HTMLAnchorElement) || link.hasAttribute('download') || (link.target && link.target !== '_self')) return null;
  const to = new URL(link.href, window.location.href);
  if (to.pathname === window.location.pathname && to.search === window.location.search) return null;
  return to.origin === window.location.origin ? `${to.pathname}${to.search}${to.hash}` : to.href;
}

/**
 * Guards a secret shown once on a page (not in a dialog): while it is shown and not copied, hiding
 * it (`guard(hide)`), replacing it, following a link away or reloading/closing the tab first asks,
 * like the shown-once dialogs. Render `confirm` next to the secret and give `context` to its
 * SecretReveal (whose Copy button marks it copied).
 */
export function useShownOnceGuard(what: string, shown: boolean) {
  const router = useRouter();
  const [copied, setCopied] = useState(false);
  const [pending, setPending] = useState<(() => void) | null>(null);
  const guarded = shown && !copied;
  useEffect(() => {
    if (shown) return;
    setCopied(false);
    setPending(null);
  }, [shown]);
  useEffect(() => {
    if (!guarded) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const onClick = (e: MouseEvent) => {
      const to = leavingLink(e);
      if (!to) return;
      e.preventDefault();
      e.stopPropagation();
      setPending(() => () => (to.startsWith('/') ? router.push(to) : window.location.assign(to)));
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [guarded, router]);

  const guard = (then: () => void) => (guarded ? setPending(() => then) : then());
  const confirm: ReactNode =
    guarded && pending ? (
      <ShownOnceConfirm
        what={what}
        onGoBack={() => setPending(null)}
        onLeave={() => {
          setPending(null);
          setCopied(false);
          pending();
        }}
      />
    ) : null;
  return { guard, confirm, context: { markCopied: () => setCopied(true), requestClose: (then?: () => void) => then && guard(then) } };
}
