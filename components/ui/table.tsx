import type { ReactNode } from 'react';

export interface Column {
  label: string;
  /** Read by screen readers only (e.g. an actions column). */
  srOnly?: boolean;
  align?: 'right';
}

/**
 * Keeps a table's last column (its row actions: Delete, Redeliver…) in view on a phone while the
 * rest of the row scrolls sideways under it.
 */
const STICKY_ACTIONS =
  'max-sm:[&_td:last-child]:sticky max-sm:[&_td:last-child]:right-0 max-sm:[&_td:last-child]:z-10 max-sm:[&_td:last-child]:bg-white max-sm:[&_td:last-child]:px-2 max-sm:[&_td:last-child]:shadow-[-10px_0_10px_-10px_rgba(15,23,42,0.35)] max-sm:[&_th:last-child]:sticky max-sm:[&_th:last-child]:right-0 max-sm:[&_th:last-child]:bg-white';

/**
 * The dashboard's table: scrolls sideways inside its own box on small screens (never the page),
 * one header style, rows as children. A last column labelled "Actions" stays pinned in view.
 * The box is `relative` so screen-reader-only (absolutely positioned) cells scroll with it instead
 * of widening the page.
 */
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
  const stickyActions = columns[columns.length - 1]?.label === 'Actions';
  return (
    <div className={`relative -mx-5 max-w-[calc(100%+2.5rem)] overflow-x-auto overscroll-x-contain ${className}`} aria-busy={busy || undefined} data-testid="table-scroll">
      <table className={`w-full text-left text-sm ${stickyActions ? STICKY_ACTIONS : ''}`} style={{ minWidth }}>
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
