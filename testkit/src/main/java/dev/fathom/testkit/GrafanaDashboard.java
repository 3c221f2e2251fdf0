package dev.fathom.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Grafana dashboard JSON file as the dashboard tests see it: every PromQL text it runs (panel targets and template
 * variable queries), so a test can check each metric it names is exported and each exported metric is shown.
 * Immutable; thread-safe.
 */
public final class GrafanaDashboard {

    private final JsonNode root;

    private GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    /** Parses {@code file}. */
    public static GrafanaDashboard read(Path file) {
        try {
            return new GrafanaDashboard(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the Grafana dashboard " + file, e);
        }
    }

    /** The parsed document. */
    public JsonNode json() {
        return root;
    }

    /** Every PromQL text: the values of {@code expr}, {@code definition} and {@code query} fields, in document order. */
    public List<String> queries() {
        List<String> queries = new ArrayList<>();
        collect(root, queries);
        return queries;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ((field.getKey().equals("expr") || field.getKey().equals("definition")
                        || field.getKey().equals("query")) && field.getValue().isTextual()) {
                    out.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, out));
        }
    }
}
