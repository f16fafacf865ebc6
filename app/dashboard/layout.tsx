import type { ReactNode } from 'react';
import Link from 'next/link';
import { requireActor } from '../_lib/current-actor';
import { DashboardProviders } from '../../components/dashboard/providers';
import { SignOutButton } from '../../components/auth/sign-out-button';
import { LiveIndicator, ReconnectingBanner } from '../../components/dashboard/live-indicator';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor('/dashboard');
  const links = [
    { href: '/dashboard', label: 'Sessions' },
    { href: '/dashboard/events', label: 'Events' },
    ...(actor.role === 'admin' ? [{ href: '/dashboard/admin', label: 'Admin' }] : []),
    { href: '/dashboard/account', label: 'Account' },
  ];
  return (
    <DashboardProviders>
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <Link href="/dashboard" className="text-lg font-semibold tracking-tight text-slate-900">
              WaGo
            </Link>
            <nav aria-label="Dashboard" className="order-last -mx-3 flex w-full flex-wrap items-center gap-1 text-sm sm:order-none sm:mx-0 sm:w-auto sm:flex-1">
              {links.map((l) => (
                <Link key={l.href} href={l.href} className="rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                  {l.label}
                </Link>
              ))}
              <a href="/docs" className="rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                API reference ↗︎
              </a>
            </nav>
            <div className="ml-auto flex min-w-0 items-center gap-3 text-sm text-slate-600 sm:ml-0">
              <LiveIndicator />
              <span data-testid="signed-in-as" title={`${actor.email} (${actor.role})`} className="flex min-w-0 items-center">
                <span className="max-w-[9rem] truncate sm:max-w-xs">{actor.email}</span>
                {actor.role === 'admin' && <span className="ml-1.5 shrink-0 rounded bg-slate-800 px-1.5 py-0.5 text-xs text-white">admin</span>}
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <ReconnectingBanner />
        <main className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">{children}</main>
      </div>
    </DashboardProviders>
  );
}
