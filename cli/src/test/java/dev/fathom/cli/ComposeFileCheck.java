package dev.fathom.cli;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks a Compose file the way {@code docker compose config} would, without a Docker engine: against the
 * Compose-Spec JSON schema, then the references the schema cannot see (depends_on targets, build contexts and
 * Dockerfiles, image tags, healthchecks behind {@code service_healthy}). Returns problems as sentences naming the
 * service and key; empty = the file is fine. Immutable after construction; thread-safe.
 */
final class ComposeFileCheck {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Schema schema;
    private final Path repoRoot;

    /**
     * @param schemaFile the vendored Compose-Spec schema (draft-07)
     * @param repoRoot directory the Compose file's relative paths resolve against (where it lives)
     */
    ComposeFileCheck(Path schemaFile, Path repoRoot) throws Exception {
        ObjectNode schemaNode = (ObjectNode) JSON.readTree(Files.readString(schemaFile));
        // The schema's "$id" is the relative "compose_spec.json", which the validator rejects as a base IRI; an
        // absolute one changes nothing else ($refs are all local "#/definitions/...").
        schemaNode.put("$id", "urn:compose-spec:compose_spec.json");
        this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schemaNode);
        this.repoRoot = repoRoot;
    }

    /** Every problem of {@code yaml} (the text of a Compose file), in file order; empty when there is none. */
    List<String> problems(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            return List.of("not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return List.of("not a Compose file: the document is not a mapping");
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(root)) {
            problems.add("schema: " + error.getInstanceLocation() + " " + error.getMessage());
        }
        JsonNode services = root.path("services");
        for (Map.Entry<String, JsonNode> service : services.properties()) {
            checkService(service.getKey(), service.getValue(), services, problems);
        }
        return problems;
    }

    private void checkService(String name, JsonNode service, JsonNode services, List<String> problems) {
        checkDependencies(name, service.path("depends_on"), services, problems);
        checkBuild(name, service.path("build"), problems);
        JsonNode image = service.path("image");
        if (image.isString()) {
            checkImageTag(name, image.asString(), problems);
        } else if (service.path("build").isMissingNode()) {
            problems.add("service " + name + " has neither image nor build");
        }
    }

    private static void checkDependencies(String name, JsonNode dependsOn, JsonNode services, List<String> problems) {
        List<String> targets = new ArrayList<>();
        if (dependsOn.isArray()) {
            dependsOn.forEach(target -> targets.add(target.asString()));
        } else if (dependsOn.isObject()) {
            dependsOn.propertyNames().forEach(targets::add);
        }
        for (String target : targets) {
            JsonNode dependency = services.path(target);
            if (dependency.isMissingNode()) {
                problems.add("service " + name + " depends_on " + target + ", which is not a service of this file");
                continue;
            }
            String condition = dependsOn.path(target).path("condition").asString("service_started");
            if (condition.equals("service_healthy") && !hasHealthcheck(dependency)) {
                problems.add("service " + name + " waits for " + target + " to be healthy (service_healthy), but "
                        + target + " has no healthcheck");
            }
            if (condition.equals("service_completed_successfully") && isRestartedForever(dependency)) {
                problems.add("service " + name + " waits for " + target + " to complete (service_completed_successfully),"
                        + " but " + target + " restarts " + dependency.path("restart").asString());
            }
        }
    }

    /** Whether the service defines a healthcheck in this file (one from the image is not visible to the check). */
    private static boolean hasHealthcheck(JsonNode service) {
        JsonNode healthcheck = service.path("healthcheck");
        JsonNode test = healthcheck.path("test");
        // "disable: true" or a test of ["NONE"] switch the healthcheck off: the service never becomes healthy.
        return healthcheck.isObject() && !healthcheck.path("disable").asBoolean(false)
                && (test.isString() || test.isArray() && !test.path(0).asString("NONE").equals("NONE"));
    }

    private static boolean isRestartedForever(JsonNode service) {
        String restart = service.path("restart").asString("no");
        return restart.equals("always") || restart.equals("unless-stopped");
    }

    private void checkBuild(String name, JsonNode build, List<String> problems) {
        if (build.isMissingNode()) {
            return;
        }
        String context = build.isString() ? build.asString() : build.path("context").asString(".");
        Path contextDir = repoRoot.resolve(context).normalize();
        if (!Files.isDirectory(contextDir)) {
            problems.add("service " + name + " builds from context " + context + ", which is not a directory ("
                    + contextDir + ")");
            return;
        }
        if (build.path("dockerfile_inline").isMissingNode()) {
            String dockerfile = build.path("dockerfile").asString("Dockerfile");
            if (!Files.isRegularFile(contextDir.resolve(dockerfile))) {
                problems.add("service " + name + " builds with " + dockerfile + ", which does not exist in context "
                        + context);
            }
        }
    }

    private static void checkImageTag(String name, String image, List<String> problems) {
        if (image.contains("@sha256:")) {
            return;
        }
        // The tag follows the last ':' after the last '/' (a registry host may carry a port: host:5000/app:1.0).
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastPart.lastIndexOf(':');
        if (colon < 0 || colon == lastPart.length() - 1) {
            problems.add("service " + name + " uses image " + image + " without a tag; pin a version");
        } else if (lastPart.substring(colon + 1).equals("latest")) {
            problems.add("service " + name + " uses image " + image + "; pin a version instead of latest");
        }
    }
}
