'use client';

import { inputClass } from '../ui/field';

export interface SessionFilters {
  search: string;
  state: string;
  ownerId: string;
  failing: boolean;
}

export const NO_FILTERS: SessionFilters = { search: '', state: '', ownerId: '', failing: false };

const STATES = ['connected', 'connecting', 'qr', 'pairing', 'disconnected', 'logged_out', 'failed'];

/** Search box and filters of the sessions list (applied on the server). */
export function SessionsFilters({ value, onChange, owners }: { value: SessionFilters; onChange: (next: SessionFilters) => void; owners?: Array<{ id: string; email: string }> }) {
  return (
    <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter sessions">
      <label className="flex min-w-0 flex-1 basis-48 flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">Search</span>
        <input
          type="search"
          className={inputClass}
          placeholder="Name, phone or id"
          value={value.search}
          onChange={(e) => onChange({ ...value, search: e.target.value })}
          aria-label="Search sessions"
        />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium text-slate-700">State</span>
        <select className={inputClass} value={value.state} onChange={(e) => onChange({ ...value, state: e.target.value })} aria-label="State">
          <option value="">Any state</option>
          {STATES.map((s) => (
            <option key={s} value={s}>{s.replace('_', ' ')}</option>
          ))}
        </select>
      </label>
      {owners && (
        <label className="flex min-w-0 flex-col gap-1 text-sm">
          <span className="font-medium text-slate-700">Owner</span>
          <select className={`${inputClass} max-w-[16rem]`} value={value.ownerId} onChange={(e) => onChange({ ...value, ownerId: e.target.value })} aria-label="Owner">
            <option value="">Any owner</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>{o.email}</option>
            ))}
          </select>
        </label>
      )}
      <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
        <input type="checkbox" className="h-4 w-4 rounded border-slate-300" checked={value.failing} onChange={(e) => onChange({ ...value, failing: e.target.checked })} />
        Failing webhook
      </label>
    </div>
  );
}
