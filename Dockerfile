# Account Center image: the API (default command) and the Temporal worker
# (`node dist/apps/worker/src/main.js`) and the migration CLI share it; see docker-compose.yml.
# Only the sources are copied (no .dockerignore needed): never the host's node_modules, dist, .tools or .data.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Every native module (argon2, Temporal's core bridge, swc) ships prebuilt binaries: no compilers.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY test ./test
# The reviewer console's build script (npm run build writes dist/console, served at /console).
COPY scripts/build-console.mjs ./scripts/build-console.mjs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The ORM options point the migrator at the migration sources' folder.
COPY --from=build /app/libs/persistence/src/migrations ./libs/persistence/src/migrations
# The filesystem document store's folder (the compose file mounts the documents volume there).
RUN mkdir -p /var/lib/account-center/documents && chown node:node /var/lib/account-center/documents
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
