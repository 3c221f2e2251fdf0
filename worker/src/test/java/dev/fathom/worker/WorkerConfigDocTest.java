package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/config-worker.md equal to what {@link WorkerConfig#main} generates. Run with
 * {@code -Dfathom.docs.update=true} to rewrite the file instead of failing.
 */
class WorkerConfigDocTest {

    private static final String FILE = "docs/config-worker.md";

    @Test
    void shouldMatchTheCommittedConfigurationReference() throws IOException {
        Path file = repositoryRoot().resolve(FILE);
        String generated = WorkerConfigKeys.document();
        if (Boolean.getBoolean("fathom.docs.update")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertTrue(generated.equals(committed), () -> FILE + " is stale: run `"
                + WorkerConfigKeys.DOC_REGENERATE_COMMAND + "` from the repository root and commit the file ("
                + firstDifference(generated, committed) + ")");
    }

    @Test
    void shouldNeverPrintASecretAndNameEveryKey() {
        ConfigDef def = new ConfigDef()
                .define("a.secret", Type.PASSWORD, "s3cr3t", Importance.HIGH, "A secret with a default.")
                .define("b.secret", Type.PASSWORD, null, Importance.HIGH, "A secret without one.");
        String table = WorkerConfigKeys.markdown(def);
        assertFalse(table.contains("s3cr3t"), table);
        assertTrue(table.contains("| `a.secret` | password | (hidden) |"), table);
        assertTrue(table.contains("| `b.secret` | password | (none) |"), table);

        String document = WorkerConfigKeys.document();
        assertTrue(document.contains("| `storage.profile.<name>.secret.key` | password | (none) |"), document);
        assertTrue(document.contains("| `state.dir` | string | `<java.io.tmpdir>/fathom-worker` |"),
                "the state.dir default does not depend on the machine generating the docs");
        assertFalse(document.matches("(?s).*(\\$\\$Lambda|@[0-9a-f]{6,}|`null`|``).*"),
                "no object identities, null or blank defaults in the docs:\n" + document);
        WorkerConfig.configDef().names().forEach(key -> assertTrue(document.contains("| `" + key + "` |"), key));
    }

    /** The module's base directory is the working directory of surefire (and exported as "basedir"). */
    private static Path repositoryRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    private static String firstDifference(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] have = actual.split("\n", -1);
        for (int i = 0; i < Math.max(want.length, have.length); i++) {
            String w = i < want.length ? want[i] : "<end of file>";
            String h = i < have.length ? have[i] : "<end of file>";
            if (!w.equals(h)) {
                return "first difference at line " + (i + 1) + ": expected \"" + w + "\" but the file has \"" + h
                        + "\"";
            }
        }
        return "they differ";
    }
}
