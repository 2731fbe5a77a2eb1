# syntax=docker/dockerfile:1
# Backup Graph: the same commands the topology test runs (test/topology/):
# npm ci, npm run build, then node dist/main.js --config FILE with REDIS_URL.

FROM node:20-slim AS build
WORKDIR /app
# npm ci runs the prepare script (scripts/build.mjs), which has nothing to build before src/ is there.
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY src ./src
RUN npm run build

FROM node:20-slim AS runtime
# NODE_OPTIONS: npm start's young-generation size; its initial old space, which node
# refuses in NODE_OPTIONS, is in CMD (docs/production-measurements.md, "Memory").
# MALLOC_ARENA_MAX=2: glibc's malloc then keeps at most two arenas for node's threads (V8's
# workers, libuv's pool) where it would give each its own: peak RSS at 16 dashboards 1-6 MiB lower
# in 9 of 10 pairs, idle 1-4 MiB, no CPU cost measured (docs/benchmark-history.md, "Memory at 16
# clients, the twenty-ninth session"). glibc reads it only as the process starts, so it is set in
# every way the gateway is started: npm start, this ENV, the systemd unit, the plain-host commands
# (docs/operations.md, "Start-up, memory, sizing"); `docker run -e MALLOC_ARENA_MAX=...` overrides it.
# PORT and HOST beat the config's listen.port and listen.host: in this image a listen.port
# in the config changes nothing; move the port with PORT (and the probes' containerPort).
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0 \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# dist/ is one bundle (main.js, chunks/), the schema written into it (scripts/bundled-schema.mjs).
# node_modules still serves what the bundle loads by path: pino-pretty, the GraphiQL renderer.
COPY --from=build /app/dist ./dist
# The config is mounted here (compose: deploy/config.yaml; Kubernetes: a ConfigMap).
RUN mkdir -p /etc/backup-graph
USER node
EXPOSE 4000
# Liveness only: readiness (/readyz) is the load balancer's and the orchestrator's business.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: /readyz turns 503, then requests in flight finish and the process exits 0. docker stop's
# default wait (10 s) is no longer than the drain: docker run --stop-timeout 30 (docs/operations.md, "Container").
STOPSIGNAL SIGTERM
CMD ["node", "--initial-old-space-size=32", "dist/main.js", "--config", "/etc/backup-graph/config.yaml"]
