/** Who is acting in the dashboard: a signed-in account. Services decide what it may touch. */
export interface Actor {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'tenant';
}

export const isAdmin = (actor: Actor) => actor.role === 'admin';
