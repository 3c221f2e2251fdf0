package dev.fathom.cli;

import dev.fathom.producer.FathomStorageConfig;
import dev.fathom.producer.agent.AgentConfig;
import dev.fathom.worker.WorkerConfig;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * One generated configuration reference under docs/, rendered from a {@link ConfigDef} so the docs cannot drift
 * from the code. The cli module renders every deployable's reference because it is the one module that sees all
 * config classes; ConfigReferenceTest fails when a committed file is stale. Immutable; thread-safe.
 *
 * @param file        path of the generated file, relative to the repository root
 * @param title       Markdown title
 * @param source      fully qualified name of the config class the keys come from
 * @param intro       paragraph under the title
 * @param def         the keys, rendered in definition order
 * @param passThrough last table row: the prefixes passed to the Kafka clients
 * @param docDefaults defaults shown instead of the real ones where those depend on the generating machine
 */
record ConfigReference(String file, String title, String source, String intro, ConfigDef def, String passThrough,
                       Map<String, String> docDefaults) {

    /** Regenerates every reference; printed in each generated file. */
    static final String UPDATE_COMMAND = "mvn -B -pl cli -am test -Dtest=ConfigReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dfathom.docs.update=true";

    private static final String SECRETS = "Secrets (type `password`) have no default here and print as `(hidden)`.";

    /** Returns the worker's reference, docs/config-worker.md, with the storage profile keys under {@code <name>}. */
    static ConfigReference worker() {
        return new ConfigReference("docs/config-worker.md", "Worker configuration", WorkerConfig.class.getName(),
                "Keys of the worker's properties file (`fathom worker --config worker.properties`). Storage"
                        + " profiles are dynamic\nkeys: `storage.profiles` lists the names, and each name `<name>`"
                        + " takes the `storage.profile.<name>.*` keys below.\n" + SECRETS,
                WorkerConfig.documentedConfigDef(),
                "| `kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*`, `kafka.streams.*` | | | | low |"
                        + " Passed to the Kafka clients without the prefix; settings the worker's guarantees depend"
                        + " on (transactional.id, enable.idempotence, acks, isolation.level, enable.auto.commit,"
                        + " group.id, serializers) are always set by the worker. |",
                Map.of("state.dir", "<java.io.tmpdir>/fathom-worker"));
    }

    /** Returns the producer library's reference, docs/config-producer.md. */
    static ConfigReference producer() {
        return new ConfigReference("docs/config-producer.md", "Producer library configuration",
                FathomStorageConfig.class.getName(),
                "Keys of `FathomStorageConfig`, the configuration of `FathomStorage.start(config)` on a database"
                        + " node.\n" + SECRETS,
                FathomStorageConfig.configDef(),
                "| `kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*` | | | | low |"
                        + " Passed to the Kafka clients without the prefix; settings Fathom's guarantees depend on"
                        + " (transactional.id, enable.idempotence, acks, isolation.level, group.id, serializers)"
                        + " are rejected. |",
                Map.of());
    }

    /** Returns the SQLite agent's reference, docs/config-agent.md (its storage keys are the producer's). */
    static ConfigReference agent() {
        return new ConfigReference("docs/config-agent.md", "Agent configuration", AgentConfig.class.getName(),
                "Keys of the agent's properties file (`fathom agent --config agent.properties`). Every other key"
                        + " goes to the agent's\n`FathomStorage` (bootstrap.servers, node.id, outbox.dir, ...): see"
                        + " [config-producer.md](config-producer.md). A database's\nnamespace is its file name"
                        + " without the last extension (`orders.db` -> `orders`).",
                AgentConfig.configDef(),
                "| (any producer key) | | | | | Passed to the agent's FathomStorage; see config-producer.md. |",
                Map.of());
    }

    /** Returns the whole Markdown document: title, generation notice, intro and the key table. */
    String render() {
        return "# " + title + "\n\n"
                + "<!-- Generated from the ConfigDef of " + source + "; do not edit by hand.\n"
                + "     Regenerate from the repository root with:\n"
                + "     " + UPDATE_COMMAND + " -->\n\n"
                + intro + "\n\n"
                + table();
    }

    /** Renders the keys as a Markdown table, one row per key in definition order, then the pass-through row. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | valid values | importance | description |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            out.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(defaultCell(key)).append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        return out.append(passThrough).append('\n').toString();
    }

    /** A secret's default is never printed; empty and absent defaults are spelled out rather than left blank. */
    private String defaultCell(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (docDefaults.containsKey(key.name)) {
            return "`" + docDefaults.get(key.name) + "`";
        }
        if (key.defaultValue == null) {
            return "(none)";
        }
        if (key.type == Type.PASSWORD) {
            return "(hidden)";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? "(empty)" : "`" + text + "`";
    }

    /** Escapes a table cell: '|' would end the cell, and '<name>' would be swallowed as an HTML tag. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;");
    }
}
