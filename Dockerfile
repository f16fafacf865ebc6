# WaGo's container image: built in one stage, run from a lean one on Node 24 (the current LTS).
# docker compose up (docker-compose.yml) runs it with PostgreSQL and Redis; see docs/operations.md.

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change reuses this layer (postinstall generates the Prisma client).
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
# The same build `npm start` makes: the server into dist/, the dashboard into .next/.
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund && rm -rf .next/cache

FROM node:24-bookworm-slim
# ffmpeg: media conversion (voice notes, video thumbnails); tini: a minimal init for PID 1.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=1337 \
    WAGO_DATA_DIR=/app/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536
COPY --from=build /app/package.json /app/next.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/dist ./dist
COPY --from=build /app/.next ./.next
COPY --from=build /app/scripts ./scripts
# The image's own user (uid 1000, from the Node image), owning only its data folder.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 1337
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 1337) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One process: the built server, with the module hook Baileys needs (what `npm start` runs).
# tini reaps zombies and passes SIGTERM on, so `docker stop` shuts WaGo down gracefully.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "./dist/async-context/register.mjs", "dist/server.mjs"]
