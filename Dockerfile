# syntax=docker/dockerfile:1
# The fathom executable (cli/target/fathom.jar) in a JRE image. Build: docker build -t fathom:0.1.0-SNAPSHOT .
# Run:   docker run --rm fathom --help     |   docker run ... fathom worker --config /etc/fathom/worker.properties

# --- build: the whole reactor is needed because cli depends on the other modules -----------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first: the dependency download layer is reused until a pom changes.
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY devstack/pom.xml devstack/
COPY testkit/pom.xml testkit/
COPY producer/pom.xml producer/
COPY worker/pom.xml worker/
COPY cli/pom.xml cli/
# Listed in the root pom, so Maven needs their poms; -pl cli -am does not build them, so their sources stay out.
COPY bench/pom.xml bench/
COPY faults/pom.xml faults/
COPY schemas/src schemas/src
COPY devstack/src devstack/src
COPY testkit/src testkit/src
COPY producer/src producer/src
COPY worker/src worker/src
COPY cli/src cli/src
# Tests run in CI (mvn verify), not in the image build; -am builds the modules cli depends on.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests -pl cli -am package

# --- runtime -------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre
# curl: the compose healthchecks (GET /ready). sqlite3: the demo node's load script and inspecting restored files.
# /var/lib/fathom (state) and /var/lib/fathom-db (demo databases) belong to fathom, so named volumes mounted there
# start with that owner.
RUN apt-get update && apt-get install -y --no-install-recommends curl sqlite3 && rm -rf /var/lib/apt/lists/* \
    && groupadd --system fathom && useradd --system --gid fathom --home-dir /var/lib/fathom fathom \
    && mkdir -p /opt/fathom /etc/fathom /var/lib/fathom /var/lib/fathom-db \
    && chown fathom:fathom /var/lib/fathom /var/lib/fathom-db
COPY --from=build /src/cli/target/fathom.jar /opt/fathom/fathom.jar
USER fathom
WORKDIR /var/lib/fathom
# Worker HTTP query API, /ready and /metrics (http.port); `fathom dev` in a container would also use 19092 (Kafka)
# and 19000 (S3). The path below is checked against cli/pom.xml's finalName by cli ComposeFileTest.
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/fathom/fathom.jar"]
CMD ["--help"]
