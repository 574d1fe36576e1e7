# Castcard's Next app as a container: one build stage, then a final stage that holds only the
# self-contained server `npm run build` leaves in .next/standalone/ (docs/deploy.md).
#   docker build -t castcard .
#   docker run -p 3000:3000 -e APP_URL=https://castcard.example.com -e SHARE_SECRET=… -v castcard-data:/data castcard

FROM node:20-bookworm-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build
# The share analytics' folder, copied into the final stage owned by its user.
RUN mkdir -p data

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 DATA_DIR=/data
COPY --from=build --chown=node:node /src/.next/standalone /app
COPY --from=build --chown=node:node /src/data /data
USER node
# SQLite analytics live here; set DATABASE_URL instead to use PostgreSQL.
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
