package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.worker.WorkerConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container setup is validated in the build, with no Docker engine: docker-compose.yml against the Compose-Spec
 * schema (deploy/schema/) and its references, the Dockerfile's COPY sources and jar path. The negative cases prove
 * that each check fails on a broken file.
 */
class ComposeFileTest {

    private static Path root;
    private static ComposeFileCheck compose;

    @BeforeAll
    static void load() throws Exception {
        root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        compose = new ComposeFileCheck(root.resolve("deploy/schema/compose-spec.json"), root);
    }

    @Test
    void composeFileIsValidAndEveryReferenceResolves() throws Exception {
        List<String> problems = compose.problems(Files.readString(root.resolve("docker-compose.yml")));
        assertEquals(List.of(), problems, "docker-compose.yml");
    }

    @Test
    void composeFileHasTheStackOfIssue7() throws Exception {
        String yaml = Files.readString(root.resolve("docker-compose.yml"));
        for (String service : List.of("kafka-1", "kafka-2", "kafka-3", "minio", "createbuckets", "worker-1",
                "worker-2", "worker-3", "demo-db-init", "demo-agent", "demo-load")) {
            assertTrue(yaml.contains("\n  " + service + ":\n"), "docker-compose.yml defines service " + service);
        }
        // Every mounted file of the repository exists (a missing one would be created as an empty directory).
        Matcher mount = Pattern.compile("- \\./(\\S+):/").matcher(yaml);
        int mounts = 0;
        while (mount.find()) {
            mounts++;
            assertTrue(Files.isRegularFile(root.resolve(mount.group(1))), "mounted file " + mount.group(1));
        }
        assertTrue(mounts >= 3, "worker.properties, agent.properties and demo-load.sh are mounted");
    }

    @Test
    void mountedConfigFilesAreValidConfigs() throws Exception {
        // As docker-compose.yml starts worker-2: the shared file plus its --set overrides.
        WorkerConfig worker = WorkerConfigFile.load(root.resolve("deploy/worker.properties"),
                Map.of("worker.id", "worker-2", "http.advertised.host", "worker-2"));
        assertEquals("worker-2", worker.workerId());
        assertEquals(3, worker.topicSettings().replicationFactor(), "Fathom topics on all three brokers");
        Properties agent = new Properties();
        try (Reader in = Files.newBufferedReader(root.resolve("deploy/agent.properties"))) {
            agent.load(in);
        }
        assertEquals("/var/lib/fathom-db", new AgentConfig(agent).watchDir().orElseThrow().toString());
        assertEquals(8080, new AgentConfig(agent).httpPort().orElseThrow(), "the demo agent serves /metrics");
    }

    @Test
    void dockerfileCopiesExistingSourcesAndRunsTheBuiltJar() throws Exception {
        List<String> problems = new DockerfileCheck(root).problems(Files.readString(root.resolve("Dockerfile")),
                builtJar());
        assertEquals(List.of(), problems, "Dockerfile");
    }

    @Test
    void schemaViolationsAreReported() {
        List<String> problems = compose.problems("""
                services:
                  app:
                    image: busybox:1.37
                    enviroment:
                      A: b
                    ports: "8080:8080"
                """);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("schema:") && p.contains("enviroment")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("schema:") && p.contains("ports")), problems::toString);
    }

    @Test
    void undefinedDependencyIsReported() {
        List<String> problems = compose.problems("""
                services:
                  app:
                    image: busybox:1.37
                    depends_on:
                      db:
                        condition: service_started
                """);
        assertEquals(List.of("service app depends_on db, which is not a service of this file"), problems);
    }

    @Test
    void healthyConditionWithoutHealthcheckIsReported() {
        List<String> problems = compose.problems("""
                services:
                  db:
                    image: postgres:17.6
                  app:
                    image: busybox:1.37
                    depends_on:
                      db:
                        condition: service_healthy
                """);
        assertEquals(List.of("service app waits for db to be healthy (service_healthy), but db has no healthcheck"),
                problems);
    }

    @Test
    void untaggedAndLatestImagesAreReported() {
        List<String> problems = compose.problems("""
                services:
                  a:
                    image: busybox
                  b:
                    image: registry.example:5000/team/app:latest
                  c:
                    image: registry.example:5000/team/app
                  d:
                    image: busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000
                """);
        assertEquals(List.of("service a uses image busybox without a tag; pin a version",
                "service b uses image registry.example:5000/team/app:latest; pin a version instead of latest",
                "service c uses image registry.example:5000/team/app without a tag; pin a version"), problems);
    }

    @Test
    void missingBuildContextAndDockerfileAreReported() {
        List<String> problems = compose.problems("""
                services:
                  a:
                    build: ./no-such-dir
                  b:
                    build:
                      context: .
                      dockerfile: Dockerfile.missing
                """);
        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("service a builds from context ./no-such-dir, which is not a directory"),
                problems::toString);
        assertEquals("service b builds with Dockerfile.missing, which does not exist in context .", problems.get(1));
    }

    @Test
    void invalidYamlIsReported() {
        List<String> problems = compose.problems("services:\n  app: [unclosed\n");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("not valid YAML"), problems::toString);
    }

    @Test
    void dockerfileWithMissingSourceOrWrongJarIsReported() {
        DockerfileCheck check = new DockerfileCheck(root);
        List<String> problems = check.problems("""
                FROM maven:3.9-eclipse-temurin-17 AS build
                WORKDIR /src
                COPY no-such-module/src no-such-module/src
                RUN mvn -B -q -DskipTests package
                FROM eclipse-temurin:17-jre
                COPY --from=build /src/cli/target/fathom-cli.jar /opt/fathom/fathom.jar
                ENTRYPOINT ["java", "-jar", "/opt/fathom/fathom.jar"]
                """, "cli/target/fathom.jar");
        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("COPY source no-such-module/src does not exist"), problems::toString);
        assertTrue(problems.get(1).contains("does not copy /src/cli/target/fathom.jar"), problems::toString);
    }

    @Test
    void dockerfileRunningAnotherPathOrLatestBaseIsReported() {
        List<String> problems = new DockerfileCheck(root).problems("""
                FROM maven:3.9-eclipse-temurin-17 AS build
                WORKDIR /src
                FROM eclipse-temurin:latest
                COPY --from=build /src/cli/target/fathom.jar /opt/fathom/fathom.jar
                ENTRYPOINT ["java", "-jar", "/app/fathom.jar"]
                """, "cli/target/fathom.jar");
        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("base image eclipse-temurin:latest has no pinned tag"), problems::toString);
        assertTrue(problems.get(1).startsWith("the final stage's ENTRYPOINT does not run java -jar /opt/fathom/fathom.jar"),
                problems::toString);
    }

    /** The jar the cli module's build writes: target/&lt;finalName&gt;.jar (the shade plugin replaces it in place). */
    private static String builtJar() throws Exception {
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>")
                .matcher(Files.readString(root.resolve("cli/pom.xml")));
        assertTrue(finalName.find(), "cli/pom.xml sets <finalName>");
        return "cli/target/" + finalName.group(1) + ".jar";
    }
    @Test
    void aModuleOfTheRootPomWhosePomIsNotCopiedIsReported() {
        List<String> problems = new DockerfileCheck(root).problems("""
                FROM maven:3.9-eclipse-temurin-17 AS build
                WORKDIR /src
                COPY pom.xml ./
                COPY schemas/pom.xml schemas/
                COPY devstack/pom.xml devstack/
                COPY testkit/pom.xml testkit/
                COPY producer/pom.xml producer/
                COPY worker/pom.xml worker/
                COPY cli/pom.xml cli/
                COPY bench/pom.xml bench/
                FROM eclipse-temurin:17-jre
                COPY --from=build /src/cli/target/fathom.jar /opt/fathom/fathom.jar
                ENTRYPOINT ["java", "-jar", "/opt/fathom/fathom.jar"]
                """, "cli/target/fathom.jar");
        assertEquals(List.of("the root pom lists module faults but the build stage does not COPY faults/pom.xml;"
                + " Maven stops on a missing child module even when -pl does not build it"), problems);
    }
}
