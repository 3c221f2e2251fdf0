package dev.fathom.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a multi-stage Dockerfile without a Docker engine: every {@code COPY} from the build context names a file or
 * directory of the context, every {@code FROM} image has an explicit tag, and the final stage copies the jar the Maven
 * build produces out of the build stage and runs exactly that copy. When the build stage copies the root
 * {@code pom.xml}, it must also copy the pom of every module the root pom lists: Maven refuses a reactor with a
 * missing child module even when {@code -pl} does not build it. Returns problems as sentences naming the line;
 * empty = fine. Handles the subset of the Dockerfile syntax this repository uses (no heredocs, no ONBUILD).
 * Immutable; thread-safe.
 */
final class DockerfileCheck {

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?$");
    private static final Pattern WORKDIR = Pattern.compile("(?i)^WORKDIR\\s+(\\S+)$");
    private static final Pattern COPY = Pattern.compile("(?i)^COPY\\s+(.+)$");
    private static final Pattern ENTRYPOINT_EXEC = Pattern.compile("(?i)^ENTRYPOINT\\s+(\\[.*])$");
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    private final Path context;

    /** @param context the build context the Dockerfile's COPY sources resolve against */
    DockerfileCheck(Path context) {
        this.context = context;
    }

    /**
     * Every problem of {@code dockerfile} (its text).
     *
     * @param builtJar the jar the Maven build writes, relative to the context (e.g. cli/target/fathom.jar)
     */
    List<String> problems(String dockerfile, String builtJar) {
        List<String> problems = new ArrayList<>();
        List<String> instructions = instructions(dockerfile);
        String buildStage = null;
        String buildWorkdir = "/";
        String finalStage = null;
        String runtimeJar = null;
        String entrypoint = null;
        List<String> buildSources = new ArrayList<>();
        int stages = 0;
        for (String line : instructions) {
            Matcher from = FROM.matcher(line);
            if (from.matches()) {
                stages++;
                checkBaseTag(from.group(1), line, problems);
                finalStage = from.group(2);
                if (stages == 1) {
                    buildStage = from.group(2);
                }
                runtimeJar = null;
                entrypoint = null;
                continue;
            }
            Matcher workdir = WORKDIR.matcher(line);
            if (workdir.matches() && stages == 1) {
                buildWorkdir = workdir.group(1);
            }
            Matcher copy = COPY.matcher(line);
            if (copy.matches()) {
                List<String> words = List.of(copy.group(1).trim().split("\\s+"));
                String fromStage = words.stream().filter(w -> w.startsWith("--from=")).map(w -> w.substring(7))
                        .findFirst().orElse(null);
                List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
                if (paths.size() < 2) {
                    problems.add("COPY needs a source and a destination: " + line);
                    continue;
                }
                List<String> sources = paths.subList(0, paths.size() - 1);
                if (fromStage == null) {
                    sources.forEach(source -> checkContextPath(source, line, problems));
                    if (stages == 1) {
                        buildSources.addAll(sources);
                    }
                } else if (stages > 1 && fromStage.equals(buildStage)
                        && sources.contains(join(buildWorkdir, builtJar))) {
                    runtimeJar = paths.get(paths.size() - 1);
                }
            }
            Matcher exec = ENTRYPOINT_EXEC.matcher(line);
            if (exec.matches()) {
                entrypoint = exec.group(1);
            }
        }
        if (stages < 2) {
            problems.add("expected a multi-stage build (a Maven build stage, then a runtime stage), found " + stages
                    + " FROM");
            return problems;
        }
        checkModulePoms(buildSources, problems);
        if (runtimeJar == null) {
            problems.add("the final stage" + (finalStage == null ? "" : " " + finalStage) + " does not copy "
                    + join(buildWorkdir, builtJar) + " (the jar the Maven build produces) from stage " + buildStage);
        } else if (entrypoint == null || !entrypoint.contains("\"-jar\", \"" + runtimeJar + "\"")) {
            problems.add("the final stage's ENTRYPOINT does not run java -jar " + runtimeJar + ": " + entrypoint);
        }
        return problems;
    }

    private void checkModulePoms(List<String> buildSources, List<String> problems) {
        Path rootPom = context.resolve("pom.xml");
        if (!buildSources.contains("pom.xml") || !Files.exists(rootPom)) {
            return;
        }
        String pom;
        try {
            pom = Files.readString(rootPom);
        } catch (java.io.IOException e) {
            problems.add("could not read " + rootPom + ": " + e);
            return;
        }
        Matcher module = MODULE.matcher(pom);
        while (module.find()) {
            String name = module.group(1);
            if (!buildSources.contains(name + "/pom.xml") && !buildSources.contains(name)
                    && !buildSources.contains(name + "/")) {
                problems.add("the root pom lists module " + name + " but the build stage does not COPY " + name
                        + "/pom.xml; Maven stops on a missing child module even when -pl does not build it");
            }
        }
    }

    private void checkContextPath(String source, String line, List<String> problems) {
        if (source.contains("*") || source.contains("?")) {
            return; // a glob may legitimately match nothing yet; the named files are the ones that must exist
        }
        if (!Files.exists(context.resolve(source).normalize())) {
            problems.add("COPY source " + source + " does not exist in the build context " + context + ": " + line);
        }
    }

    private static void checkBaseTag(String image, String line, List<String> problems) {
        String lastPart = image.substring(image.lastIndexOf('/') + 1);
        if (!image.contains("@sha256:") && (!lastPart.contains(":") || lastPart.endsWith(":latest"))) {
            problems.add("base image " + image + " has no pinned tag: " + line);
        }
    }

    private static String join(String dir, String path) {
        return dir.endsWith("/") ? dir + path : dir + "/" + path;
    }

    /** Instructions with continuation lines joined and comments and blank lines dropped. */
    private static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            instructions.add(current.toString().strip().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().strip());
        }
        return instructions;
    }
}
