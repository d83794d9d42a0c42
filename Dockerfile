# syntax=docker/dockerfile:1
# ^ BuildKit front-end: needed for the `RUN --mount=type=cache` below.
#
# One image for all three Kairos apps (ingest, feature, recommender). The app
# that a container runs is chosen by its command (see docker-compose.yml), e.g.
#   docker run -e PORT=3003 ... kairos:local node dist/apps/recommender/src/main.js
#
# Stages: deps (install all deps) -> build (compile, then drop dev deps) -> runtime.

# Debian (glibc) rather than alpine (musl): onnxruntime-node ships glibc binaries.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------
# deps: install every dependency (dev ones too: the build needs the Nest CLI and
# TypeScript). Only the manifests are copied, so this layer stays cached until
# package.json / package-lock.json / .npmrc change, not on every source edit.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# .npmrc must be present before `npm ci`: it holds onnxruntime-node-install=skip.
COPY package.json package-lock.json .npmrc ./
# The cache mount keeps npm's download cache between builds without putting it
# into a layer. NODE_ENV is deliberately not "production" here, or npm ci would
# skip the dev dependencies the build needs.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---------------------------------------------------------------------------
# build: compile to dist/apps/<app>/src/main.js, then remove dev dependencies so
# the runtime stage can copy a production-only node_modules.
# ---------------------------------------------------------------------------
FROM deps AS build
COPY . .
# models/ may be absent from the build context (it is usually mounted at run
# time): `mkdir -p` makes sure it exists so the runtime COPY below never fails.
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund \
    && mkdir -p models

# ---------------------------------------------------------------------------
# runtime: just node, production node_modules, dist/, models/ and package.json.
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# PORT's default matches the default CMD (ingest); compose sets PORT per service.
ENV NODE_ENV=production \
    MODEL_DIR=/app/models \
    PORT=3001
WORKDIR /app

# Files stay owned by root and are only readable by the app user: the running
# process cannot modify its own code or dependencies.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/models ./models

# Unprivileged user that the official node image already provides (uid 1000).
USER node

EXPOSE 3001 3002 3003

# The slim image has no curl/wget, so probe with Node's built-in fetch (Node 20).
# Exec form (no shell); the port comes from the container's PORT variable, so
# the same check works for every app. Liveness only: readiness (/health/ready)
# depends on Kafka/MongoDB and must not make Docker report the process dead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || '3001') + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Default app; docker-compose.yml overrides this per service. Exec form so node
# is PID 1's direct child under `init: true` and receives SIGTERM for graceful
# shutdown.
CMD ["node", "dist/apps/ingest/src/main.js"]
