import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** Read by screen readers only (e.g. an actions column). */
  srOnly?: boolean;
  align?: 'right';
}

/** The dashboard's table: scrolls sideways on small screens, one header style, rows as children. */
export function DataTable({
  columns,
  minWidth,
  caption,
  className = '',
  busy,
  children,
}: {
  columns: Column[];
  minWidth: string;
  caption?: string;
  className?: string;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    // relative: screen-reader-only labels (absolutely positioned) stay inside the scrolled area instead of widening the page.
    <div className={`relative -mx-5 overflow-x-auto ${className}`} aria-busy={busy || undefined}>
      <table className="w-full text-left text-sm" style={{ minWidth }}>
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={`px-5 py-2 font-medium ${c.align === 'right' ? 'text-right' : ''}`}>
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
