# TechMarket CRM: one image for every role (ROLE=api | worker | all; see README, "Running in production").

# --- build: every dependency, then the web app (Vite) and the API (esbuild, apps/api/build.mjs) --------
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
COPY apps/api apps/api
RUN npm run build -w @techmarket/api

# --- runtime: production dependencies only, the built API (plain node, no tsx), the built web app ------
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
# The dev dependencies (vitest, drizzle-kit, the web app's build tools) stay in the build stage.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /var/lib/techmarket && chown node:node /var/lib/techmarket
# dist/ holds the app's code (bundled, with @techmarket/contracts) and the files it reads beside it
# (platform/assets.ts); the migrations are read from apps/api/drizzle.
COPY --from=build /app/apps/api/dist apps/api/dist
COPY apps/api/drizzle apps/api/drizzle
COPY --from=build /app/apps/web/dist apps/web/dist
USER node
WORKDIR /app/apps/api
EXPOSE 3000
# Liveness of the HTTP roles (api, all); compose turns it off for the worker, which serves no HTTP.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1, no npm or shell between: `docker stop` SIGTERM reaches server.ts, which drains and exits 0.
# The flags are `npm run start:api`'s (apps/api/package.json). The worker caps V8's young generation
# (`--max-semi-space-size=8`, compose.yaml): it keeps its memory low; an API keeps the default for its throughput.
CMD ["node", "--import", "./dist/telemetry.js", "dist/server.js"]
