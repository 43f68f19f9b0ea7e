# paperwire container image: build stage with the -dev packages, runtime
# stage with only the shared libraries. The database lives in /data.
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
      libcurl4-openssl-dev libxml2-dev libevent-dev libjansson-dev \
      libsqlite3-dev libssl-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY src ./src
COPY tests ./tests
COPY bench ./bench
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPAPERWIRE_BUILD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target paperwire \
 && strip build/paperwire

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libcurl4 \
      libxml2 libevent-2.1-7 libjansson4 libsqlite3-0 libssl3 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin paperwire \
 && mkdir -p /data && chown paperwire /data
COPY --from=build /src/build/paperwire /usr/local/bin/paperwire
USER paperwire
WORKDIR /data
VOLUME /data
ENV PAPERWIRE_LISTEN=0.0.0.0:8080 \
    PAPERWIRE_DATABASE=/data/paperwire.db
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/paperwire"]
