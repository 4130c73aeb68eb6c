# syntax=docker/dockerfile:1
# Build stage: dev dependencies, TypeScript compile of src/ only, then only the runtime dependencies kept.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install script is needed to build or run the service, and mongodb-memory-server's (a dev
# dependency) would download a MongoDB binary into node_modules.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: compiled JavaScript, production dependencies and what the npm commands run
# (`npm run users:backfill`, `npm run webhook:send`), as the unprivileged `node` user. No
# benchmarks, no test helpers, no MongoDB: production requires MONGODB_URI.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
# Two malloc arenas instead of one per thread: the crypto work on libuv's threads otherwise leaves
# each thread's arena resident (measured: webhooks' peak RSS 271 -> 197 MiB under load).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The commands' `pre` step (with no source tree here, it does nothing) and the service's launcher.
COPY --chown=node:node scripts/build-if-stale.cjs scripts/start.cjs ./scripts/
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# npm start's command, without npm so that SIGTERM reaches the service and it shuts down
# gracefully: the launcher replaces itself (same process) by node with the service's V8 flags and,
# under the container's memory limit, an old space sized to fit it (scripts/start.cjs).
CMD ["node", "scripts/start.cjs"]
