# syntax=docker/dockerfile:1
# Build stage: dev dependencies, TypeScript compile, then only the runtime dependencies kept.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
# The benchmarks mint session tokens and stand in for Clerk with the tests' helpers.
COPY test/support/tokens.ts test/support/clerk-stand-in.ts ./test/support/
RUN npm run build && npm prune --omit=dev

# Runtime stage: compiled JavaScript and production dependencies, run as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm) so that SIGTERM reaches the service and it shuts down gracefully.
CMD ["node", "dist/src/main.js"]
