package dev.fathom.producer;

import org.apache.kafka.common.config.ConfigDef;

/** Renders a {@link ConfigDef} as a Markdown table for the generated docs. Stateless; thread-safe. */
final class ConfigTable {

    private ConfigTable() {
    }

    static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | valid values | importance | description |\n");
        out.append("| --- | --- | --- | --- | --- | --- |\n");
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            out.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(key.hasDefault() ? "`" + key.defaultValue + "`" : "(required)").append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        out.append("| `kafka.producer.*`, `kafka.consumer.*`, `kafka.admin.*` | | | | low |")
                .append(" Passed to the Kafka clients without the prefix; settings Fathom's guarantees depend on")
                .append(" (transactional.id, enable.idempotence, acks, isolation.level, group.id, serializers)")
                .append(" are rejected. |\n");
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
