'use client';

import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from './button';
import { ShownOnceConfirm, ShownOnceContext } from './shown-once';

export { ShownOnceContext } from './shown-once';

/**
 * A button that leaves a dialog (Close, Done, or going elsewhere with `onLeave`): in a shown-once
 * dialog it first asks, unless the secret was copied.
 */
export function LeaveDialogButton({ onLeave, variant = 'secondary', children }: { onLeave: () => void; variant?: ButtonVariant; children: ReactNode }) {
  const context = useContext(ShownOnceContext);
  return (
    <Button variant={variant} onClick={() => (context ? context.requestClose(onLeave) : onLeave())}>
      {children}
    </Button>
  );
}

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape and backdrop for free).
 * `shownOnce`: the dialog shows a secret that cannot be shown again; closing it (Escape, the
 * backdrop, its buttons) first asks, unless the secret was copied.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  shownOnce,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  shownOnce?: { what: string } | null;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [asking, setAsking] = useState(false);
  const [copied, setCopied] = useState(false);
  const guarded = Boolean(shownOnce) && !copied;
  const guardRef = useRef(guarded);
  guardRef.current = guarded;
  const closingRef = useRef(false);
  // What "Close anyway" does: close, or what the button that asked was about to do.
  const pendingRef = useRef<(() => void) | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) {
      closingRef.current = true;
      dialog.close();
    }
    if (!open) {
      setAsking(false);
      setCopied(false);
    }
  }, [open]);
  useEffect(() => {
    if (!shownOnce) setCopied(false);
  }, [shownOnce]);

  const requestClose = (then?: () => void) => {
    const leave = then ?? onClose;
    if (!guardRef.current) return leave();
    pendingRef.current = leave;
    setAsking(true);
  };
  // The native close (Escape may close the dialog even when its cancel event is refused).
  const onNativeClose = () => {
    if (closingRef.current || !open) {
      closingRef.current = false;
      return;
    }
    if (guardRef.current) {
      ref.current?.showModal();
      pendingRef.current = null;
      setAsking(true);
      return;
    }
    onClose();
  };

  return (
    <dialog
      ref={ref}
      onClose={onNativeClose}
      onCancel={(e) => {
        if (!guardRef.current) return;
        e.preventDefault();
        pendingRef.current = null;
        setAsking(true);
      }}
      onClick={(e) => e.target === ref.current && requestClose()}
      aria-label={title}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[min(32rem,calc(100vw-2rem))] overflow-y-auto rounded-xl border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {open && (
        <ShownOnceContext.Provider value={shownOnce ? { markCopied: () => setCopied(true), requestClose } : null}>
          <div className="flex flex-col gap-4 p-4 sm:p-6">
            <h2 className="text-lg font-semibold text-slate-900">{title}</h2>
            {children}
            {asking && guarded && shownOnce && (
              <ShownOnceConfirm
                what={shownOnce.what}
                onGoBack={() => setAsking(false)}
                onLeave={() => {
                  const leave = pendingRef.current ?? onClose;
                  pendingRef.current = null;
                  setAsking(false);
                  leave();
                }}
              />
            )}
          </div>
        </ShownOnceContext.Provider>
      )}
    </dialog>
  );
}

/** A dialog's buttons: Cancel, then the action(s). */
export function DialogActions({ onCancel, children }: { onCancel: () => void; children: ReactNode }) {
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      {children}
    </div>
  );
}
