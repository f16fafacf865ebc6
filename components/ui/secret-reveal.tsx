'use client';

import { useState } from 'react';
import { Button } from './button';

/** A value shown once (a token, a password, a secret) with a copy button and a warning. */
export function SecretReveal({ label, value, note = 'Copy it now: it is shown only this once.' }: { label: string; value: string; note?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3">
      <p className="text-sm font-medium text-amber-900">{label}</p>
      <div className="flex items-center gap-2">
        <code data-testid="secret-value" className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1.5 font-mono text-sm text-slate-900 ring-1 ring-amber-200">
          {value}
        </code>
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <p className="text-xs text-amber-800">{note}</p>
    </div>
  );
}
