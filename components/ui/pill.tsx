import type { ReactNode } from 'react';

export const PILL_TONES = {
  green: 'bg-emerald-100 text-emerald-800 ring-emerald-600/20',
  amber: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  red: 'bg-rose-100 text-rose-800 ring-rose-600/20',
  blue: 'bg-sky-100 text-sky-800 ring-sky-600/20',
  grey: 'bg-slate-100 text-slate-700 ring-slate-500/20',
} as const;

export type PillTone = keyof typeof PILL_TONES;

/** A small coloured label (statuses, event types, directions). */
export function Pill({ tone = 'grey', children, className = '' }: { tone?: PillTone; children: ReactNode; className?: string }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${PILL_TONES[tone]} ${className}`}>
      {children}
    </span>
  );
}
