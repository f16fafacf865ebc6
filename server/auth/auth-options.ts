import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authenticateAccount } from '../services/account.service';
import { getRuntime, type Runtime } from '../runtime/registry';
import { LoginThrottle } from './login-throttle';

export const SIGN_IN_MAX_AGE_SECONDS = 7 * 24 * 3600;

const built = new WeakMap<Runtime, AuthOptions>();

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.['x-forwarded-for'];
  return typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : 'unknown';
}

/**
 * next-auth's options for this runtime: e-mail + password (argon2id hashes in `accounts`),
 * JWT sessions in an http-only SameSite=Lax cookie, sign-in page `/login`. next-auth itself
 * guards sign-in and sign-out with its double-submit CSRF token.
 */
export function authOptions(): AuthOptions {
  const runtime = getRuntime();
  const cached = built.get(runtime);
  if (cached) return cached;
  const log = runtime.logger.child({ component: 'dashboard-auth' });
  const throttle = new LoginThrottle();
  const options: AuthOptions = {
    secret: runtime.authSecret,
    session: { strategy: 'jwt', maxAge: SIGN_IN_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'E-mail and password',
        credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? '').trim().toLowerCase();
          const keys = [`email:${email}`, `ip:${clientAddress(req.headers)}`];
          if (!throttle.allowed(keys)) {
            log.warn({ email }, 'sign-in refused: too many failed attempts');
            return null;
          }
          const actor = await authenticateAccount(email, String(credentials?.password ?? ''));
          if (!actor) {
            throttle.fail(keys);
            log.info({ email }, 'sign-in failed');
            return null;
          }
          throttle.succeed(keys);
          log.info({ accountId: actor.id }, 'signed in');
          return { id: actor.id, email: actor.email, name: actor.name };
        },
      }),
    ],
    callbacks: {
      // The token carries only the account id (`sub`); role and e-mail are read fresh on every request.
      jwt: ({ token }) => ({ sub: token.sub, email: token.email, name: token.name }),
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata }, 'next-auth error'),
      warn: (code) => log.warn({ code }, 'next-auth warning'),
      debug: (code, metadata) => log.debug({ code, metadata }, 'next-auth'),
    },
  };
  built.set(runtime, options);
  return options;
}
