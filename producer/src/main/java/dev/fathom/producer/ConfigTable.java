package dev.fathom.producer;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Renders a {@link ConfigDef} as the generated Markdown reference, docs/config-producer.md. Stateless; thread-safe. */
final class ConfigTable {

    /** Regeneration command printed in the generated reference; FathomStorageConfigDocTest runs it. */
    static final String DOC_REGENERATE_COMMAND =
            "mvn -B -pl producer test -Dtest=FathomStorageConfigDocTest -Dfathom.docs.update=true";

    private ConfigTable() {
    }

    /** Returns the whole reference: a header, then {@link #markdown} of {@code def}. */
    static String document(ConfigDef def) {
        return "# Producer library configuration\n\n"
                + "<!-- Generated from the ConfigDef of dev.fathom.producer.FathomStorageConfig; do not edit by hand.\n"
                + "     Regenerate from the repository root with:\n"
                + "     " + DOC_REGENERATE_COMMAND + " -->\n\n"
                + "Keys of `FathomStorageConfig`, the configuration of `FathomStorage.start(config)` on a database"
                + " node.\nSecrets (type `password`), if any, have no default here and print as `[hidden]`.\n\n"
                + markdown(def);
    }

    /** Renders {@code def} as a Markdown table, one row per key in definition order, plus the pass-through prefixes. */
    static String markdown(ConfigDef def) {
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
        out.append("| `kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*` | | | | low |")
                .append(" Passed to the Kafka clients without the prefix; settings Fathom's guarantees depend on")
                .append(" (transactional.id, enable.idempotence, acks, isolation.level, group.id, serializers)")
                .append(" are rejected. |\n");
        return out.toString();
    }

    /** A secret's default is never printed; empty and absent defaults are spelled out rather than left blank. */
    private static String defaultCell(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
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
