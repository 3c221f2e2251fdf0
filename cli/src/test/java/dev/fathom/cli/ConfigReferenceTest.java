package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.worker.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/config-*.md equal to what {@link ConfigReference} generates from the ConfigDefs. Run with
 * {@code -Dfathom.docs.update=true} to rewrite the files instead of failing.
 */
class ConfigReferenceTest {

    static ConfigReference[] references() {
        return new ConfigReference[] {ConfigReference.worker(), ConfigReference.producer(),
            ConfigReference.agent()};
    }

    @ParameterizedTest
    @MethodSource("references")
    void shouldMatchTheCommittedConfigurationReference(ConfigReference reference) throws IOException {
        Path file = repositoryRoot().resolve(reference.file());
        String generated = reference.render();
        if (Boolean.getBoolean("fathom.docs.update")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertTrue(generated.equals(committed), () -> reference.file() + " is stale: run `"
                + ConfigReference.UPDATE_COMMAND + "` from the repository root and commit the file ("
                + firstDifference(generated, committed) + ")");
    }

    @ParameterizedTest
    @MethodSource("references")
    void shouldNameEveryKeyWithoutObjectIdentitiesOrBlankDefaults(ConfigReference reference) {
        String document = reference.render();
        assertFalse(document.matches("(?s).*(\\$\\$Lambda|@[0-9a-f]{6,}|`null`|``).*"),
                "no object identities, null or blank defaults in the docs:\n" + document);
        reference.def().names().forEach(key -> assertTrue(document.contains("| `" + key + "` |"), key));
    }

    @Test
    void shouldListEveryStaticKeyOfBothConfigClasses() {
        WorkerConfig.configDef().names()
                .forEach(key -> assertTrue(ConfigReference.worker().render().contains("| `" + key + "` |"), key));
        FathomStorageConfig.configDef().names()
                .forEach(key -> assertTrue(ConfigReference.producer().render().contains("| `" + key + "` |"), key));
    }

    @Test
    void shouldNeverPrintASecret() {
        ConfigDef def = new ConfigDef()
                .define("a.secret", Type.PASSWORD, "s3cr3t", Importance.HIGH, "A secret with a default.")
                .define("b.secret", Type.PASSWORD, null, Importance.HIGH, "A secret without one.");
        String table = new ConfigReference("x.md", "X", "x.X", "", def, "", Map.of()).table();
        assertFalse(table.contains("s3cr3t"), table);
        assertTrue(table.contains("| `a.secret` | password | (hidden) |"), table);
        assertTrue(table.contains("| `b.secret` | password | (none) |"), table);

        String worker = ConfigReference.worker().render();
        assertTrue(worker.contains("| `storage.profile.<name>.secret.key` | password | (none) |"), worker);
        assertTrue(worker.contains("| `state.dir` | string | `<java.io.tmpdir>/fathom-worker` |"),
                "the state.dir default does not depend on the machine generating the docs");
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
