package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevBannerTest {

    @Test
    void shouldShowEveryEndpointCredentialAndHowToUseThem() {
        DevEndpoints endpoints = new DevEndpoints(Path.of("/data/fathom"), "localhost:19092",
                URI.create("http://127.0.0.1:19000"), "wal", "fathom", "s3cret", "default",
                URI.create("http://localhost:8080"));
        String banner = DevBanner.render(endpoints);
        for (String expected : List.of("/data/fathom", "localhost:19092", "http://127.0.0.1:19000", "bucket wal",
                "fathom", "s3cret", "curl -s http://localhost:8080/health", "/v1/namespaces/mydb",
                "\"bootstrap.servers\", \"localhost:19092\"", "storage.store(\"mydb\", segment, \"default\"")) {
            assertTrue(banner.contains(expected), () -> "missing '" + expected + "' in\n" + banner);
        }
    }
}
