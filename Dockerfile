# corpusd container image.
#
#   docker build --network host -t corpusd .
#   docker run --rm --network host -e CORPUSD_BIND=127.0.0.1 corpusd
#
# Three stages:
#   build   compiles corpusd (Release, tests off) and installs it under /usr.
#   rootfs  bookworm-slim + only the runtime libraries + the installed files,
#           a non-root user and a healthcheck; apt's caches and docs removed.
#   final   that tree copied into one layer FROM scratch. Deleting files in a
#           later layer never makes an image smaller, and the base image may
#           carry apt caches of its own (a debootstrapped one does), so
#           flattening is what keeps the image small whichever base is used.
# See deploy/README.md for running it, mounting a corpus, and a read-only root.

ARG DEBIAN_BUILD=debian:bookworm
ARG DEBIAN_RUNTIME=debian:bookworm-slim

FROM ${DEBIAN_BUILD} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev \
      libsqlite3-dev zlib1g-dev python3 python3-yaml \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/corpusd
# Only what the build reads, so that editing tests or docs reuses the cache.
COPY CMakeLists.txt openapi.yaml ./
COPY cmake cmake
COPY tools tools
COPY include include
COPY src src
COPY data/corpus data/corpus
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
          -DCORPUSD_TESTS=OFF \
 && cmake --build build -j"$(nproc)" \
 && DESTDIR=/out cmake --install build --strip \
 && /out/usr/bin/corpusd --version

FROM ${DEBIAN_RUNTIME} AS rootfs
# Runtime libraries only; then what bookworm-slim drops anyway (docs, man
# pages, locales, apt's caches; copyright files stay, for the licences); a
# user with a fixed uid/gid (10001) so volume ownership is stable across builds.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libmicrohttpd12 libjansson4 libsqlite3-0 zlib1g \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/log/* \
 && find /usr/share/doc -mindepth 1 ! -name copyright ! -type d -delete \
 && find /usr/share/doc -mindepth 1 -type d -empty -delete \
 && rm -rf /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/lintian \
 && groupadd --gid 10001 corpusd \
 && useradd --no-log-init --uid 10001 --gid corpusd --home-dir /var/lib/corpusd \
            --no-create-home --shell /usr/sbin/nologin corpusd \
 && install -d -o corpusd -g corpusd -m 0750 /var/lib/corpusd \
 && install -d -m 0755 /corpus
COPY --from=build /out/usr/ /usr/
COPY deploy/healthcheck.sh /usr/local/bin/corpusd-healthcheck
# Fail the build here, not at run time, if a library the binary needs is missing.
RUN chmod 0755 /usr/local/bin/corpusd-healthcheck \
 && corpusd --version \
 && ! ldd /usr/bin/corpusd | grep -q 'not found'

FROM scratch
COPY --from=rootfs / /
LABEL org.opencontainers.image.title="corpusd" \
      org.opencontainers.image.description="REST API over a folder of raw news text files"
# FROM scratch starts with no environment: PATH as Debian's images set it.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CORPUSD_BIND=0.0.0.0 \
    CORPUSD_PORT=8080 \
    CORPUSD_CORPUS=/usr/share/corpusd/corpus \
    CORPUSD_DB=/var/lib/corpusd/corpusd.db \
    TMPDIR=/tmp
# The store is built here at start (or reused when it matches the corpus).
# A volume keeps it writable under --read-only and across restarts.
VOLUME ["/var/lib/corpusd"]
# Mount another corpus read-only at /corpus and set CORPUSD_CORPUS=/corpus.
USER corpusd:corpusd
WORKDIR /var/lib/corpusd
EXPOSE 8080
# /readyz is 200 once the store is loaded (503 while building). The check is
# bash and /dev/tcp: no curl in the image. start-period covers the first build.
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
  CMD ["/usr/local/bin/corpusd-healthcheck"]
# Exec form: corpusd is PID 1 and gets docker stop's SIGTERM itself; it
# blocks the signal and takes it with sigwait, then drains and exits 0.
ENTRYPOINT ["/usr/bin/corpusd"]
CMD ["run"]
