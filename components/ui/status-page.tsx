import type { ReactNode } from 'react';
import Link from 'next/link';

/** A full-page answer for a page that cannot be shown (404, 403): code, title, why, and a way back. */
export function StatusPage({ code, title, children, back = { href: '/dashboard', label: 'Back to the dashboard' } }: {
  code: number;
  title: string;
  children: ReactNode;
  back?: { href: string; label: string };
}) {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4 py-12" data-testid="status-page" data-code={code}>
      <div className="flex w-full max-w-lg flex-col items-center gap-3 rounded-xl border border-slate-200 bg-white px-6 py-12 text-center shadow-sm">
        <p className="text-sm font-medium text-slate-500">{code}</p>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        <div className="text-sm text-slate-600">{children}</div>
        <Link
          href={back.href}
          className="mt-2 inline-flex items-center justify-center rounded-lg bg-emerald-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        >
          ← {back.label}
        </Link>
      </div>
    </main>
  );
}
