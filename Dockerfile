# TechMarket CRM: one image for every role (ROLE=api | worker | all; see README, "Running in production").

# --- build: every dependency, then the web app (Vite) ------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY packages/contracts packages/contracts
COPY apps/web apps/web
RUN npm run build -w @techmarket/web

# --- runtime: production dependencies only, the API's sources (run by tsx), the built web app ----------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/techmarket \
    ROLE=api
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
# tsx, which runs the API's TypeScript, is one of its dependencies; the dev ones (vitest, drizzle-kit, the
# web app's build tools) stay in the build stage.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /var/lib/techmarket && chown node:node /var/lib/techmarket
COPY packages/contracts packages/contracts
COPY apps/api/src apps/api/src
COPY apps/api/drizzle apps/api/drizzle
COPY apps/api/tsconfig.json apps/api/
COPY tsconfig*.json ./
COPY --from=build /app/apps/web/dist apps/web/dist
USER node
WORKDIR /app/apps/api
EXPOSE 3000
# Liveness of the HTTP roles (api, all); compose turns it off for the worker, which serves no HTTP.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1, no npm or shell between: `docker stop` SIGTERM reaches server.ts, which drains and exits 0.
CMD ["node", "--import", "tsx", "--import", "./src/telemetry.ts", "src/server.ts"]
