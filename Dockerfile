# syntax=docker/dockerfile:1
# Backup Graph: the same commands the topology test runs (test/topology/):
# npm ci, npm run build, then node dist/main.js --config FILE with REDIS_URL.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json schema.graphql ./
COPY src ./src
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The schema is read at start (src/graphql/schema.ts), beside the compiled code.
COPY --from=build /app/dist ./dist
COPY schema.graphql ./
# The config is mounted here (compose: deploy/config.yaml; Kubernetes: a ConfigMap).
RUN mkdir -p /etc/backup-graph
USER node
EXPOSE 4000
# Liveness only: readiness (/readyz) is the load balancer's and the orchestrator's business.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: /readyz turns 503, then requests in flight finish and the process exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js", "--config", "/etc/backup-graph/config.yaml"]
