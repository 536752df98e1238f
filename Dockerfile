# Image for both the Temporal worker (`npm run worker`) and the REST API
# (`npm run api`), which also serves the clinician's web app (web/dist).
# TypeScript runs through tsx, a runtime dependency; only the web app is built
# ahead of time, in a stage of its own, so the image holds what is run and the
# built web files, not the build tools.

# Stage 1: the web app (docs/web.md). Its build needs the dev dependencies
# (Vite, TypeScript, openapi-typescript); only web/dist leaves this stage.
FROM node:20-bookworm-slim AS web
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --include=dev
COPY . .
# The API types from the route registrations, the type check, then vite build.
RUN npm run web:build

# Stage 2: the image that runs.
# glibc (bookworm), not Alpine/musl: the Temporal core bridge and the SWC
# compiler the worker uses to bundle workflows ship glibc-native binaries.
FROM node:20-bookworm-slim

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
# The built web app, served by the API at / (same origin as /api).
COPY --from=web /build/web/dist ./web/dist

USER node

EXPOSE 3000
CMD ["npm", "run", "api"]
