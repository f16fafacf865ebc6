'use client';

import { useState } from 'react';
import { Button, type ButtonVariant } from './button';

/**
 * Copies text with the Clipboard API, or — on plain http, where browsers leave it out — through a
 * selected hidden textarea. Resolves false when neither works.
 */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== 'undefined' && navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // permission refused or not focused: the fallback below may still work
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  // Inside an open modal dialog: elements outside it cannot be focused or selected.
  const host = document.querySelector('dialog[open]') ?? document.body;
  host.appendChild(area);
  const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  area.focus();
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  previous?.focus();
  return ok;
}

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A Copy button that says whether it worked. When the browser allows no copying at all, it says
 * so and selects `selectTarget` (the element showing the text) so that it can be copied by hand.
 */
export function CopyButton({
  text,
  selectTarget,
  onCopied,
  variant = 'secondary',
  label = 'Copy',
}: {
  text: string;
  selectTarget?: () => HTMLElement | null;
  onCopied?: () => void;
  variant?: ButtonVariant;
  label?: string;
}) {
  const [state, setState] = useState<CopyState>('idle');
  async function copy() {
    const ok = await copyText(text);
    setState(ok ? 'copied' : 'failed');
    if (ok) {
      onCopied?.();
      return;
    }
    const target = selectTarget?.();
    if (target) {
      const range = document.createRange();
      range.selectNodeContents(target);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
  }
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button variant={variant} onClick={() => void copy()} data-copy-state={state}>
        {state === 'copied' ? 'Copied' : label}
      </Button>
      {state === 'failed' && (
        <span role="alert" data-testid="copy-failed" className="max-w-[14rem] text-xs text-rose-700">
          This browser does not allow copying here: the text is selected, copy it with Ctrl+C (⌘C).
        </span>
      )}
    </span>
  );
}
