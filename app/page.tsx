import Link from 'next/link';
import { ServerStatus } from '../components/server-status';

export const dynamic = 'force-dynamic';

export default function Home() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-8 px-6 py-16">
      <header className="flex flex-col gap-3">
        <h1 className="text-4xl font-semibold tracking-tight">WaGo</h1>
        <p className="text-lg text-slate-600">
          A self-hosted WhatsApp gateway: WhatsApp linked devices behind a REST API, webhooks and a dashboard.
        </p>
      </header>
      <ServerStatus />
      <nav className="grid gap-4 sm:grid-cols-2">
        <Link
          href="/dashboard"
          className="rounded-xl border border-emerald-300 bg-emerald-50 p-5 shadow-sm transition hover:border-emerald-500 hover:bg-emerald-100 sm:col-span-2"
        >
          <h2 className="text-lg font-semibold text-emerald-900">Dashboard →</h2>
          <p className="mt-1 text-sm text-emerald-800">Sign in to manage sessions, webhooks and messages.</p>
        </Link>
        <Link href="/docs" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-emerald-400">
          <h2 className="font-medium">API reference →</h2>
          <p className="mt-1 text-sm text-slate-600">Every REST route, its fields and answers (OpenAPI 3.1).</p>
        </Link>
        <a href="/openapi.json" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm transition hover:border-emerald-400">
          <h2 className="font-medium">OpenAPI document →</h2>
          <p className="mt-1 text-sm text-slate-600">Generate clients or import it into your API tool.</p>
        </a>
      </nav>
    </main>
  );
}
