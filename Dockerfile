# Vigil as a container: `docker build -t vigil .` then, for example,
#   docker run --rm -p 8080:8080 -e VIGIL_BOOTSTRAP_SERVERS=broker:9092 vigil
# config/ and topologies/ are baked in at /opt/vigil and can be replaced by mounting volumes there.
# README "Operations" has the details; docker-compose.yml runs it with a broker and a demo producer.

# --- build: the shaded jar target/vigil.jar --------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# dependencies in their own layer, so editing the sources does not download them again
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

# --- runtime ----------------------------------------------------------------------------------------------
# JDK 25: there the LSTM step reads trained weights in 16 bits (docs/performance.md, eleventh session); the jar
# itself needs 17 or later.
FROM eclipse-temurin:25-jre
# curl for the HEALTHCHECK (the JRE image has neither curl nor wget)
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system vigil \
    && useradd --system --gid vigil --home-dir /opt/vigil --shell /usr/sbin/nologin vigil \
    && mkdir -p /var/lib/vigil \
    && chown vigil:vigil /var/lib/vigil
WORKDIR /opt/vigil
COPY --from=build /src/target/vigil.jar /opt/vigil/vigil.jar
COPY config/ /opt/vigil/config/
COPY topologies/ /opt/vigil/topologies/
COPY examples/ /opt/vigil/examples/
# Settings by environment (they win over config/vigil.properties): serve HTTP on every interface of the
# container, on the port the HEALTHCHECK calls; keep state on the volume.
ENV VIGIL_HTTP_HOST=0.0.0.0 \
    VIGIL_HTTP_PORT=8080 \
    VIGIL_STATE_DIR=/var/lib/vigil/state
USER vigil
EXPOSE 8080
VOLUME ["/var/lib/vigil"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${VIGIL_HTTP_PORT}/health" > /dev/null || exit 1
# RocksDB loads its native library and Kafka unmaps buffers through sun.misc.Unsafe: allowed, without JDK 25's warnings
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", "/opt/vigil/vigil.jar"]
CMD ["run", "--config", "/opt/vigil/config/vigil.properties", "--topology", "/opt/vigil/topologies/sensors.yaml"]
