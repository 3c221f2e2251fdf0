package dev.fathom.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTargetTest {

    @TempDir
    Path dir;

    @Test
    void givenEndpointsPutEveryNameUnderARunIdAndTheProfilePrefix() throws Exception {
        BenchTarget t = BenchTarget.external(write("storage.profiles=lake", "storage.profile.lake.bucket=b",
                "storage.profile.lake.prefix=tenants", "storage.profile.lake.endpoint=http://localhost:9000"));
        assertFalse(t.colocated());
        assertTrue(t.namespace("one-0").matches("bench-\\d{8}-\\d{6}-one-0"), t.namespace("one-0"));
        assertTrue(t.rawTopic().matches("bench-\\d{8}-\\d{6}-raw"), t.rawTopic());
        assertTrue(t.rawPrefix().matches("tenants/bench-\\d{8}-\\d{6}-raw/"), t.rawPrefix());
        String run = "tenants/" + t.namespace("");
        assertTrue(t.isMeasuredObject(run + "one-0/segments/x.seg", "warmup"));
        assertFalse(t.isMeasuredObject(run + "warmup-3/segments/x.seg", "warmup"));
        assertFalse(t.isMeasuredObject(t.rawPrefix() + "0", "warmup"));
        assertFalse(t.isMeasuredObject("tenants/bench-20000101-000000-one-0/segments/x.seg", "warmup"),
                "another run's object");
    }

    @Test
    void aBadConfigFileIsNamedWithWhatIsWrong() throws Exception {
        Path missing = dir.resolve("nope.properties");
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> BenchTarget.external(missing));
        assertTrue(unreadable.getMessage().startsWith("Cannot read --config " + missing), unreadable.getMessage());
        Path noBucket = write("storage.profiles=lake");
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> BenchTarget.external(noBucket));
        assertTrue(invalid.getMessage().startsWith("Invalid --config " + noBucket + ": "), invalid.getMessage());
        assertTrue(invalid.getMessage().contains("storage.profile.lake.bucket"), invalid.getMessage());
    }

    private Path write(String... lines) throws Exception {
        Path file = Files.createTempFile(dir, "bench", ".properties");
        Files.writeString(file, "bootstrap.servers=localhost:9092\n" + String.join("\n", lines) + "\n");
        return file;
    }
}
