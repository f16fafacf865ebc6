import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '../../components/auth/login-form';
import { currentActor } from '../_lib/current-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · WaGo' };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeReturn(raw: string | string[] | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/dashboard';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturn(params.callbackUrl);
  if (await currentActor()) redirect(returnTo);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-3xl font-semibold tracking-tight text-slate-900">WaGo</p>
          <p className="mt-1 text-sm text-slate-500">Sign in to manage your WhatsApp sessions</p>
        </div>
        {params.changed && (
          <p role="status" className="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            Password changed: sign in with the new one.
          </p>
        )}
        <LoginForm returnTo={returnTo} initialError={params.error ? 'Sign-in failed: check your e-mail and password.' : null} />
      </div>
    </main>
  );
}
