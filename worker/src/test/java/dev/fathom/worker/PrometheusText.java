package dev.fathom.worker;

import dev.fathom.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Prometheus text exposition (format 0.0.4) for tests: the samples with their labels, and the metric
 * families declared by {@code # TYPE} lines, and the scrape of a {@code /metrics} endpoint (worker or agent).
 * Immutable; thread-safe.
 */
final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final Map<String, String> families;

    private PrometheusText(List<Sample> samples, Map<String, String> families) {
        this.samples = samples;
        this.families = families;
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> families = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).split(" ");
                families.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line.trim());
                if (!m.matches()) {
                    throw new IllegalArgumentException("Not a Prometheus sample line: " + line);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                }
                samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            }
        }
        return new PrometheusText(List.copyOf(samples), Map.copyOf(families));
    }

    /** GETs {@code base}/metrics, checks it answers 200 in the text format, and parses it. */
    static PrometheusText scrape(HttpClient http, URI base) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10))
                .GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + request.uri() + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
                throw new AssertionError("GET " + request.uri() + " is not the Prometheus text format");
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + request.uri(), e);
        }
    }

    /** Scrapes until {@code accept} holds (a meter not exported yet counts as not yet), within {@code wait}. */
    static PrometheusText scrapeUntil(HttpClient http, URI base, Duration wait, Predicate<PrometheusText> accept,
            String what) {
        return Await.value(wait, () -> scrape(http, base), t -> {
            try {
                return accept.test(t);
            } catch (AssertionError e) {
                return false;
            }
        }, what);
    }

    /** The value of {@link #value}, or an AssertionError naming the sample when there is none. */
    double require(String name, String... labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + " " + List.of(labels)));
    }

    /** Every sample name (histogram series included: {@code _bucket}, {@code _count}, {@code _sum}). */
    Set<String> sampleNames() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** Family name to type ({@code counter}, {@code gauge}, {@code histogram}, ...). */
    Map<String, String> families() {
        return families;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels} (key, value, ...). */
    OptionalDouble value(String name, String... labels) {
        List<Sample> matching = samples.stream().filter(s -> s.name().equals(name) && has(s, labels)).toList();
        if (matching.size() > 1) {
            throw new IllegalArgumentException(matching.size() + " samples match " + name + " " + List.of(labels)
                    + ": " + matching);
        }
        return matching.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(matching.get(0).value());
    }

    /** The samples named {@code name}. */
    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private static boolean has(Sample sample, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
