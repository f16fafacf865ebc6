'use client';

import { useContext, useRef } from 'react';
import { CopyButton } from './copy-button';
import { ShownOnceContext } from './shown-once';

/** A value shown once (a token, a password, a secret) with a copy button and a warning. */
export function SecretReveal({ label, value, note = 'Copy it now: it is shown only this once.' }: { label: string; value: string; note?: string }) {
  const codeRef = useRef<HTMLElement>(null);
  const shownOnce = useContext(ShownOnceContext);
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3" data-testid="secret-reveal">
      <p className="text-sm font-medium text-amber-900">{label}</p>
      <div className="flex flex-wrap items-start gap-2">
        <code ref={codeRef} data-testid="secret-value" className="min-w-0 flex-1 basis-48 select-all break-all rounded bg-white px-2 py-1.5 font-mono text-sm text-slate-900 ring-1 ring-amber-200">
          {value}
        </code>
        <CopyButton text={value} selectTarget={() => codeRef.current} onCopied={() => shownOnce?.markCopied()} />
      </div>
      <p className="text-xs text-amber-800">{note}</p>
    </div>
  );
}
