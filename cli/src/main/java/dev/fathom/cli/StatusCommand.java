package dev.fathom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fathom.schemas.InvalidNamespaceException;
import dev.fathom.schemas.Namespace;
import dev.fathom.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fathom status NS}: a namespace's durable frame, last segment, size and update time from a worker's HTTP API,
 * and with {@code --bootstrap-servers} the worker group's lag on the namespace's partition of the segments topic.
 * Exit 0 when the worker knows the namespace, 1 when it does not (404) or cannot be reached, 2 for usage errors.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show how far a namespace is durable (from a worker's HTTP API) and, with --bootstrap-servers,"
                + " how many records of its segments partition the workers have not processed yet.")
final class StatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NS", description = "namespace")
    String namespace;

    @Option(names = "--meta-url", paramLabel = "URL", defaultValue = "http://localhost:8080",
            description = "base URL of any worker's HTTP API (default: ${DEFAULT-VALUE}, as `fathom dev`)")
    URI metaUrl;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster; when given, the workers' lag on the namespace's partition is shown too")
    String bootstrapServers;

    @Mixin
    KafkaCommandOptions kafka;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = "fathom-workers",
            description = "consumer group of the workers (their group.id; default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--segments-topic", paramLabel = "TOPIC", description = "segments topic (default: fathom.segments)")
    String segmentsTopic = Topics.defaults().segments();

    @Option(names = "--json", description = "print one JSON document instead of text")
    boolean json;

    @Override
    public Integer call() throws IOException {
        try {
            Namespace.of(namespace);
        } catch (InvalidNamespaceException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (kafka.commandConfig != null && bootstrapServers == null) {
            throw new UsageException("--command-config configures the Kafka clients that measure the lag: give"
                    + " --bootstrap-servers too");
        }
        // Read before any request, so a bad properties file is a usage error, not a half-printed status.
        Optional<Map<String, Object>> kafkaSettings = Optional.ofNullable(bootstrapServers)
                .map(kafka::clientSettings);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri = namespaceUri();
        HttpResponse<String> response;
        try {
            response = get(uri);
        } catch (IOException e) {
            err.println("fathom status: cannot reach the worker at " + metaUrl + " (" + unreachable(e)
                    + "); is it running, and is --meta-url its HTTP address?");
            err.flush();
            return FathomCli.EXIT_FAILURE;
        }
        if (response.statusCode() == 404) {
            err.println("fathom status: namespace '" + namespace + "' is unknown to the worker at " + metaUrl
                    + ": it has no durable frame yet (HTTP 404 " + errorText(response) + ")");
            err.flush();
            return FathomCli.EXIT_FAILURE;
        }
        if (response.statusCode() != 200) {
            err.println("fathom status: the worker at " + metaUrl + " answered HTTP " + response.statusCode()
                    + " for " + uri + ": " + errorText(response));
            err.flush();
            return FathomCli.EXIT_FAILURE;
        }
        ObjectNode doc = (ObjectNode) JSON.readTree(response.body());
        response.headers().firstValue("X-Fathom-Served-By").ifPresent(w -> doc.put("servedBy", w));
        Optional<PartitionLag> lag = kafkaSettings.map(settings -> PartitionLag.measure(settings, group,
                segmentsTopic, namespace));
        if (json) {
            lag.ifPresent(l -> doc.set("lag", JSON.valueToTree(l)));
            out.println(JSON.writeValueAsString(doc));
        } else {
            print(out, doc, lag);
        }
        out.flush();
        return FathomCli.EXIT_OK;
    }

    private URI namespaceUri() {
        String base = metaUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        try {
            return URI.create(base + "/v1/namespaces/" + namespace);
        } catch (IllegalArgumentException e) {
            throw new UsageException("Invalid value for option '--meta-url': " + metaUrl + " (" + e.getMessage() + ")");
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException {
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new UsageException("Invalid value for option '--meta-url': " + metaUrl
                    + " (expected http://host:port)");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String unreachable(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String errorText(HttpResponse<String> response) {
        try {
            JsonNode error = JSON.readTree(response.body()).get("error");
            return error == null ? response.body() : error.asText();
        } catch (IOException notJson) {
            return response.body();
        }
    }

    private static void print(PrintWriter out, JsonNode doc, Optional<PartitionLag> lag) {
        JsonNode last = doc.path("lastSegment");
        long pages = doc.path("sizeAfter").asLong();
        long pageSize = doc.path("pageSize").asLong();
        out.printf("namespace       %s%n", doc.path("namespace").asText());
        out.printf("durable frame   %d   (every frame up to it is in object storage)%n",
                doc.path("durableFrameNo").asLong());
        out.printf("last segment    %s   (frames %d..%d, sealed %s)%n", last.path("segmentId").asText(),
                last.path("startFrameNo").asLong(), last.path("endFrameNo").asLong(), last.path("sealedAt").asText());
        out.printf("size            %d pages x %d bytes = %d bytes%n", pages, pageSize, pages * pageSize);
        out.printf("profile         %s%n", doc.path("profile").asText());
        out.printf("updated at      %s%n", doc.path("updatedAt").asText());
        if (doc.has("servedBy")) {
            out.printf("served by       worker %s%n", doc.path("servedBy").asText());
        }
        lag.ifPresent(l -> out.printf("lag             %s%n", l.describe()));
    }
}
