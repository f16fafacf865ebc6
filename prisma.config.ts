import { defineConfig } from 'prisma/config';

// Prisma CLI configuration. Only `prisma generate` is used (see scripts/prisma-generate.mjs);
// migrations are SQL files in prisma/migrations applied by WaGo at start.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/wago' },
});
