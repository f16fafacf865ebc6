import Link from 'next/link';

/** A session that does not exist, or that belongs to another account (the two look the same). */
export default function SessionNotFound() {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center gap-3 rounded-xl border border-slate-200 bg-white px-6 py-12 text-center shadow-sm">
      <p className="text-sm font-medium text-slate-500">404</p>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Session not found</h1>
      <p className="text-sm text-slate-600">
        There is no session with this address, or it belongs to another account. Check the link, or pick a session from your list.
      </p>
      <Link
        href="/dashboard"
        className="mt-2 inline-flex items-center justify-center rounded-lg bg-emerald-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
      >
        ← Back to sessions
      </Link>
    </div>
  );
}
