'use client';

import { useQuery } from '@tanstack/react-query';
import { trpc, errorMessage } from '../trpc';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { Pill } from './shared';

/** The channels (newsletters) the account follows, asked of WhatsApp. */
export function ChannelsPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const channels = useQuery({ queryKey: ['newsletter.list', sessionId], queryFn: () => trpc.newsletter.list.query({ sessionId }) });
  return (
    <Card className={className} title="Channels" description="The WhatsApp channels this account follows or owns, asked of WhatsApp.">
      <div data-testid="channels-panel">
        {channels.isPending ? (
          <Spinner label="Loading channels" />
        ) : channels.error ? (
          <ErrorNote>{errorMessage(channels.error)}</ErrorNote>
        ) : channels.data.Newsletters.length === 0 ? (
          <EmptyState title="No channels">Channels this account creates or follows appear here.</EmptyState>
        ) : (
          <ul className="-mx-5 divide-y divide-slate-100" aria-label="Channels">
            {channels.data.Newsletters.map((n) => (
              <li key={n.Jid} data-testid="channel-row" data-jid={n.Jid} className="flex items-center justify-between gap-3 px-5 py-3">
                <span className="min-w-0">
                  <span className="block truncate font-medium text-slate-900">{n.Name || n.Jid}</span>
                  <span className="block truncate text-xs text-slate-500">{n.Description || n.Jid}</span>
                </span>
                <span className="flex shrink-0 items-center gap-2">
                  {n.Role && <Pill tone={n.Role === 'owner' ? 'blue' : 'grey'}>{n.Role}</Pill>}
                  <Pill>{n.Subscribers === 1 ? '1 follower' : `${n.Subscribers} followers`}</Pill>
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

/** This account's business profile and catalog, read-only; renders nothing for a personal account. */
export function BusinessPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const view = useQuery({ queryKey: ['business.view', sessionId], queryFn: () => trpc.business.view.query({ sessionId }) });
  if (view.data && !view.data.business) return null;
  return (
    <Card className={className} title="Business profile and catalog" description="This WhatsApp Business account's profile and products, as WhatsApp holds them. Read-only.">
      <div data-testid="business-panel" className="flex flex-col gap-4">
        {view.isPending ? (
          <Spinner label="Loading the business profile" />
        ) : view.error ? (
          <ErrorNote>{errorMessage(view.error)}</ErrorNote>
        ) : view.data.business ? (
          <>
            <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]" data-testid="business-profile">
              {([
                ['Description', view.data.profile.Description || '—'],
                ['Category', view.data.profile.Category ?? '—'],
                ['Address', view.data.profile.Address ?? '—'],
                ['Email', view.data.profile.Email ?? '—'],
                ['Websites', view.data.profile.Websites.join(', ') || '—'],
              ] as const).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-500">{k}</dt>
                  <dd className="break-words text-slate-800">{v}</dd>
                </div>
              ))}
            </dl>
            {view.data.catalog.Products.length === 0 ? (
              <EmptyState title="No products">Products added to the catalog appear here.</EmptyState>
            ) : (
              <ul className="-mx-5 divide-y divide-slate-100" aria-label="Catalog" data-testid="catalog">
                {view.data.catalog.Products.map((p) => (
                  <li key={p.Id} data-testid="product-row" data-product-id={p.Id} className="flex items-center justify-between gap-3 px-5 py-3">
                    <span className="min-w-0">
                      <span className="block truncate font-medium text-slate-900">{p.Name}</span>
                      {p.Description && <span className="block truncate text-xs text-slate-500">{p.Description}</span>}
                    </span>
                    <span className="flex shrink-0 items-center gap-2">
                      {p.Price && <Pill>{`${p.Price} ${p.Currency ?? ''}`.trim()}</Pill>}
                      {p.IsHidden && <Pill tone="grey">hidden</Pill>}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : null}
      </div>
    </Card>
  );
}
