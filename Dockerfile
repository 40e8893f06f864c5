# syntax=docker/dockerfile:1
# sanctions-radar: `docker compose up -d` (see compose.yaml), or
#   docker build -t sanctions-radar . && docker run -v radar-data:/data --env-file .env -p 3000:3000 sanctions-radar
# The build stage compiles TypeScript and better-sqlite3's native module; the image that runs has
# only the compiled program, production dependencies and Node, and runs as the unprivileged "node" user.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# node-gyp's tools, in case no prebuilt better-sqlite3 binary matches this Node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts off: `prepare` would build before the sources are here; better-sqlite3 is built next.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY adapters ./adapters
COPY db ./db
# The demo's real files are copied into dist/ by the build (bin/build-assets.js).
COPY tests/fixtures ./tests/fixtures
# better-sqlite3's sources and build leftovers (26 MB) stay here: the image needs its .node only.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund \
 && find node_modules/better-sqlite3/build -mindepth 1 -maxdepth 1 ! -name Release -exec rm -rf {} + \
 && find node_modules/better-sqlite3/build/Release -mindepth 1 ! -name better_sqlite3.node -exec rm -rf {} + \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    SANCTIONS_RADAR_DB=/data/sanctions-radar.db \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /readyz answers 503 while the health is degraded (a source failing, a platform refusing, the disk).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/sanctions-radar.js"]
CMD ["start"]
