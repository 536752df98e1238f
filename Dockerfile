# Image for both the Temporal worker (`npm run worker`) and the REST API
# (`npm run api`). TypeScript runs through tsx, a runtime dependency, so there
# is no build stage and the image holds exactly what is run.
FROM node:20-bookworm-slim

# glibc (bookworm), not Alpine/musl: the Temporal core bridge and the SWC
# compiler the worker uses to bundle workflows ship glibc-native binaries.
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so a source-only change reuses this layer.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# Sources (workflows, activities, api, models, worker, programs, config,
# scripts, lib, tsconfig.json); .dockerignore keeps out tests, secrets and
# local data. Files stay root-owned, so the app cannot rewrite its own code.
COPY . .

USER node

EXPOSE 3000
CMD ["npm", "run", "api"]
