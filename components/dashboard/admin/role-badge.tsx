'use client';

/** An account's role as a small badge (`data-role` lets tests and scripts read it). */
export function RoleBadge({ role }: { role: 'admin' | 'tenant' }) {
  const className = role === 'admin' ? 'bg-slate-800 text-white ring-slate-800' : 'bg-slate-100 text-slate-700 ring-slate-500/20';
  return (
    <span data-testid="role-badge" data-role={role} className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}>
      {role === 'admin' ? 'Admin' : 'Tenant'}
    </span>
  );
}
