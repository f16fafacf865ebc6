import { cache } from 'react';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Actor } from '../../server/auth/actor';
import { actorFromCookieHeader } from '../../server/auth/dashboard-session';

/** The signed-in account of this request (server components), or null; read once per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  return actorFromCookieHeader(header);
});

/** The signed-in account, or a redirect to the sign-in page that comes back here. */
export async function requireActor(returnTo: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}
