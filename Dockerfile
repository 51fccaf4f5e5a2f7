# Build stage: compile the release binary with the locked dependency set.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin clientele

# Runtime stage: a slim image, a non-root user, data in a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/clientele --create-home clientele
COPY --from=build /src/target/release/clientele /usr/local/bin/clientele
USER clientele
WORKDIR /var/lib/clientele
ENV CLIENTELE_LISTEN=0.0.0.0:8080 \
    CLIENTELE_DATABASE_URL=sqlite:///var/lib/clientele/clientele.db?mode=rwc \
    CLIENTELE_LOG_FORMAT=json
VOLUME ["/var/lib/clientele"]
EXPOSE 8080
ENTRYPOINT ["clientele"]
CMD ["serve"]
