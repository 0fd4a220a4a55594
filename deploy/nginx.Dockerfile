# A small nginx for deploy/compose.yaml, from Debian's package, so the
# example needs no registry but Debian's. Any nginx >= 1.15.3 (upstream
# keepalive_timeout) runs deploy/nginx.conf as it is, e.g. the official image:
#   image: nginx:stable   (and mount nginx.conf at /etc/nginx/nginx.conf)
ARG DEBIAN_RUNTIME=debian:bookworm-slim
FROM ${DEBIAN_RUNTIME}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /etc/nginx/sites-enabled/* \
 && nginx -v
# Logs go to the container's output (docker logs).
RUN ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
