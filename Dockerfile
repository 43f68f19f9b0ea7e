# paperwire container image.
#
# Two stages on debian:bookworm-slim: the build stage has the compiler and
# the -dev packages; the runtime stage has only the shared libraries, the
# CA certificates and the binary. It runs as an unprivileged user (uid
# 10001), keeps its SQLite database in the /data volume, listens on
# 0.0.0.0:8080, and stops cleanly on SIGTERM (responses in flight finish,
# then exit 0, well within Docker's 10 s grace period).
#
# Configuration: the environment (PAPERWIRE_LISTEN, PAPERWIRE_DATABASE,
# PAPERWIRE_BASE_URL) and, optionally, a JSON file mounted into the
# container and named by PAPERWIRE_CONFIG (or passed as --config FILE).
# SIGHUP (docker kill -s HUP) reloads that file. See deploy/README.md.
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake \
      pkg-config libcurl4-openssl-dev libxml2-dev libevent-dev \
      libjansson-dev libsqlite3-dev libssl-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY src ./src
COPY bench ./bench
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
      -DPAPERWIRE_BUILD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target paperwire \
 && strip build/paperwire \
 && build/paperwire --version

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcurl4 \
      libxml2 libevent-2.1-7 libjansson4 libsqlite3-0 libssl3 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 paperwire \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data \
      --no-create-home --shell /usr/sbin/nologin paperwire \
 && install -d -o 10001 -g 10001 -m 0750 /data
COPY --from=build /src/build/paperwire /usr/local/bin/paperwire
USER 10001:10001
WORKDIR /data
VOLUME /data
ENV PAPERWIRE_LISTEN=0.0.0.0:8080 \
    PAPERWIRE_DATABASE=/data/paperwire.db
EXPOSE 8080
# The built-in probe: one GET, exit 0 on a 2xx answer. A path is resolved
# against PAPERWIRE_LISTEN, so the check follows a changed port.
HEALTHCHECK --interval=30s --timeout=10s --start-period=15s --retries=3 \
  CMD ["/usr/local/bin/paperwire", "--healthcheck", "/healthz"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/paperwire"]
