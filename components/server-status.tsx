import { getRuntime } from '../server/runtime/registry';

/** Server health from the shared runtime registry (rendered on the server). */
export function ServerStatus() {
  const runtime = getRuntime();
  const uptime = Math.round((Date.now() - runtime.startedAt.getTime()) / 1000);
  return (
    <section aria-label="Server status" className="flex items-center gap-3 rounded-xl border border-emerald-200 bg-emerald-50 px-5 py-4">
      <span className="h-2.5 w-2.5 rounded-full bg-emerald-500" aria-hidden />
      <p className="text-sm text-emerald-900">
        Server is up · version {runtime.version} · up {uptime}s
      </p>
    </section>
  );
}
