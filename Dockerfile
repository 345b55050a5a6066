# syntax=docker/dockerfile:1
# faultline image: `docker build -t faultline:0.1.0 .`, then `docker run faultline:0.1.0` runs the
# worker (configured by environment, see README), `docker run … scan -` scans stdin, `rules check`
# checks a KB. Runs as uid 10001 and writes nothing outside /tmp (read-only root filesystem).
#
# Node: the 26 line, the Active LTS since 2026-10-28. re2 1.27 builds against it, and the codec
# packages (snappy, lz4-napi) are N-API prebuilds that load on every line; zstd comes from
# node:zlib here. CI runs the tests on exactly this Node (scripts/ci/other-node.sh 26.12.1);
# bump both together for security releases.
ARG NODE_IMAGE=node:26.12.1-bookworm-slim

FROM ${NODE_IMAGE} AS build
# re2 is a native module: node-gyp needs python3, make and a C++ compiler if no prebuilt fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the root `prepare` script (tsc) cannot run before the sources are copied, and
# the dependencies' install scripts are not wanted (the devDependencies' natives are unused).
# re2's own install script (allowed in package.json "allowScripts") is then run on its own.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild re2 \
  && node -e "const RE2 = require('re2'); if (!new RE2('a+b').test('xaab')) process.exit(1)"
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, drop the devDependencies, and drop re2's sources and object files (~85 MB): only
# build/Release/re2.node is loaded at run time.
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/re2/vendor node_modules/re2/build/Release/obj.target node_modules/re2/build/Release/.deps \
  && node -e "require('re2')"

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="faultline" \
  org.opencontainers.image.description="Tags known error signatures in Kafka log streams and exports Prometheus metrics" \
  org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production
# A heap ceiling of its own rather than V8's default (a quarter of the memory V8 sees, gigabytes
# on a node without a container limit): V8 then collects before the heap balloons, and peak RSS
# stays near 250 MB with the 2,522-rule deadends KB (docs/deployment.md, "Memory"). The flags of
# `npm start`; raise it here, with the pod's memory limit, for a much larger KB.
ENV NODE_OPTIONS="--max-old-space-size=256"
# No package manager at run time: smaller, and fewer CVEs to triage.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && groupadd --system --gid 10001 faultline \
  && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin faultline
WORKDIR /app
# Owned by root and read-only for the worker: it only reads its code and rules.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY rules ./rules
USER 10001:10001
EXPOSE 9464
# No curl in slim images: node asks /healthz itself. Only meaningful for the worker command.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.FAULTLINE_METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["worker"]
