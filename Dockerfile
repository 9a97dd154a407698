# syntax=docker/dockerfile:1
# Moussaillon's own image. Two stages: the build stage resolves the dependencies from uv.lock
# (never from a fresh resolution), the runtime stage only gets the finished virtualenv.
#
# BASE_IMAGE must provide python3 (>= 3.11) with venv at /usr/bin/python3 in BOTH stages, so
# the venv's interpreter link stays valid. CI builds one from Debian with debootstrap
# (.ci/image); anywhere with a registry, `python:3.12-slim` works too (its python3 is
# /usr/local/bin/python3: pass --build-arg PYTHON=/usr/local/bin/python3).
ARG BASE_IMAGE=debian:bookworm-slim
ARG PYTHON=/usr/bin/python3

FROM ${BASE_IMAGE} AS build
# Lets CI prune superseded build stages without touching the current one (.ci/image).
LABEL moussaillon.stage=build
ARG PYTHON
ARG UV_VERSION=0.13.9
# Behind a corporate proxy: docker build --build-arg HTTPS_PROXY=… (Docker passes the *_PROXY
# build args through without declaring them); a PyPI mirror: --build-arg UV_INDEX_URL=…; a
# TLS-inspecting proxy: --build-arg EXTRA_CA_CERTS="$(cat proxy-ca.pem)" (a public certificate,
# so a build arg is fine; it is added to the system bundle that pip and uv are pointed at).
ARG UV_INDEX_URL=
ARG PIP_INDEX_URL=
ARG EXTRA_CA_CERTS=
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
        printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/extra.crt \
        && update-ca-certificates >/dev/null; \
    fi
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    UV_PYTHON=${PYTHON} \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/moussaillon \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN ${PYTHON} -m venv /opt/uv \
    && /opt/uv/bin/pip install --quiet ${PIP_INDEX_URL:+--index-url "$PIP_INDEX_URL"} \
       "uv==${UV_VERSION}"
WORKDIR /src
# Dependencies first, from the lock file only: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock ./
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-install-project \
       ${UV_INDEX_URL:+--index-url "$UV_INDEX_URL"}
COPY README.md ./
COPY moussaillon ./moussaillon
RUN /opt/uv/bin/uv sync --frozen --no-dev --no-editable \
       ${UV_INDEX_URL:+--index-url "$UV_INDEX_URL"}

FROM ${BASE_IMAGE} AS runtime
# The same proxy CA at run time, for the calls to Telegram (python's ssl reads SSL_CERT_FILE).
ARG EXTRA_CA_CERTS=
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
        printf '%s\n' "$EXTRA_CA_CERTS" > /usr/local/share/ca-certificates/extra.crt \
        && update-ca-certificates >/dev/null; \
    fi \
    && groupadd --system --gid 10001 moussaillon \
    && useradd --system --uid 10001 --gid moussaillon --home-dir /data --shell /usr/sbin/nologin \
       moussaillon \
    && mkdir -p /data \
    && chown moussaillon:moussaillon /data
COPY --from=build /opt/moussaillon /opt/moussaillon
ENV PATH=/opt/moussaillon/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    MOUSSAILLON_HTTP_HOST=0.0.0.0 \
    MOUSSAILLON_HTTP_PORT=8000 \
    MOUSSAILLON_DB_PATH=/data/moussaillon.db \
    MOUSSAILLON_LOG_FORMAT=json
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# 2376: the students' terminal, only when MOUSSAILLON_TERMINAL_PORT=2376 (docs/deploy.md).
EXPOSE 8000
EXPOSE 2376
# The engine runs this inside the container: no curl in the image, python's urllib does it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request, sys; port = os.environ.get('MOUSSAILLON_HTTP_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/api/v1/health', timeout=2).status == 200 else 1)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["moussaillon"]
CMD ["serve"]

# Last, so a new revision or date does not rebuild the layers above.
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Moussaillon" \
      org.opencontainers.image.description="Teaching assistant for a hands-on Docker course: Telegram bot, REST API, per-student Docker sandbox." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://example.invalid/moussaillon" \
      org.opencontainers.image.documentation="README.md, docs/deploy.md"
