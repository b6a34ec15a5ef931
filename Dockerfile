# syntax=docker/dockerfile:1
#
# prepbot's image: a static Go binary on distroless, running as non-root.
#
#   docker build --build-arg VERSION=$(git describe --always --dirty) -t prepbot .
#   docker run --rm -e SLACK_APP_TOKEN -e SLACK_BOT_TOKEN -v prepbot_data:/data prepbot
#
# Needs BuildKit (Docker's default builder since 23.0, and Fly's). Fly builds
# it from fly.toml ([build] dockerfile). deploy_test.go checks that
# the `go build` line below still builds and that the image settings match
# fly.toml.

# The Go release go.mod names (go 1.26.8). The official image sets
# GOTOOLCHAIN=local, so it must not be older than go.mod's go line.
ARG GO_VERSION=1.26.8

# ---- build ------------------------------------------------------------------
# Runs on the builder's own platform and cross-compiles for the target (no
# emulation); TARGETOS/TARGETARCH come from BuildKit (--platform).
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
WORKDIR /src

# Modules first, in their own layer: it is rebuilt only when go.mod or go.sum
# change, not on every source edit.
COPY go.mod go.sum ./
RUN go mod download && go mod verify

COPY . .
# CGO off: a static binary that needs no libc, so it runs on distroless/static.
# -trimpath: no build-machine paths in the binary. -s -w: no symbol table or
# DWARF (smaller image; panics still print file:line). Zone data is compiled
# in (cmd/prepbot imports time/tzdata), so schedules never depend on the image.
RUN --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/prepbot ./cmd/prepbot

# The mount point, owned by the runtime user: a fresh Docker named volume
# copies this ownership. (Fly's init mounts a volume with the image's USER as
# owner, so on Fly this works without it.) Distroless has no shell to mkdir.
RUN mkdir -p /out/data

# ---- runtime ----------------------------------------------------------------
# distroless/static: CA certificates (for slack.com), /etc/passwd with the
# nonroot user (65532), tzdata, and nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/prepbot /prepbot
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532

# One bbolt file (plus its control socket prepbot.db.sock, used by
# `prepbot backup`) on the volume.
VOLUME ["/data"]
ENV PREPBOT_DB=/data/prepbot.db
# /healthz and /metrics (PREPBOT_HTTP_ADDR, default :8080). Nothing else
# listens: Socket Mode is an outbound WebSocket.
EXPOSE 8080
# prepbot stops taking envelopes on SIGTERM, lets handlers finish (3 s at
# most), closes the database and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/prepbot"]
CMD ["run"]
