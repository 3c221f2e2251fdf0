package dev.fathom.bench;

import dev.fathom.producer.agent.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Command-line options of {@link BenchMain}. Immutable.
 *
 * @param duration how long each throughput phase runs ({@code --duration 30s}, also {@code ms}/{@code m})
 * @param warmup how long Fathom's ingest path runs, unmeasured, before the first measurement ({@code --warmup};
 *               default 60s, {@code 0s} skips it): the JIT compiles the broker's, S3Proxy's, the SDK's and Fathom's
 *               code for minutes (after 20 s it still took 4-9 ms per MiB ingested), and without a warm-up the
 *               measured phases pay for what a long-running worker paid once
 * @param restoreMib size of the restored database in MiB ({@code --restore-mib})
 * @param segmentMib size of each stored segment in MiB ({@code --segment-mib}; default 4, the agent's
 *                   {@code segment.max.bytes} default, so the figures are those of a default deployment)
 * @param manyNamespaces whether to also run ingest with 10 000 namespaces ({@code --many-namespaces})
 * @param idleNamespaces how many idle namespaces the worker heap figure is measured over ({@code --idle-namespaces})
 * @param out the JSON result file ({@code --out})
 * @param dataDir where the broker, S3Proxy and worker keep their data ({@code --data-dir}); null = a temp dir
 * @param config the node library's properties naming given endpoints to measure instead of an in-JVM DevStack
 *               ({@code --config FILE}: bootstrap.servers, storage.profiles, storage.profile.NAME.*, kafka.*); null =
 *               the DevStack
 */
public record BenchOptions(Duration duration, Duration warmup, int restoreMib, int segmentMib, boolean manyNamespaces,
        int idleNamespaces, Path out, Path dataDir, Path config) {

    /** @throws IllegalArgumentException naming the option when an argument is unknown or malformed */
    public static BenchOptions parse(String[] args) {
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(60);
        int restoreMib = 64;
        int segmentMib = (int) (AgentConfig.SEGMENT_MAX_BYTES_DEFAULT >> 20);
        boolean many = false;
        int idle = 10_000;
        Path out = Path.of("bench-result.json");
        Path dataDir = null;
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--duration" -> duration = parseDuration(value(args, ++i, a), a);
                case "--warmup" -> warmup = parseDuration(value(args, ++i, a), a);
                case "--restore-mib" -> restoreMib = positive(value(args, ++i, a), a);
                case "--segment-mib" -> segmentMib = positive(value(args, ++i, a), a);
                case "--many-namespaces" -> many = true;
                case "--idle-namespaces" -> idle = positive(value(args, ++i, a), a);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--config" -> config = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("Unknown option '" + a + "'; known: --duration,"
                        + " --warmup, --restore-mib, --segment-mib, --many-namespaces, --idle-namespaces, --out,"
                        + " --data-dir, --config");
            }
        }
        return new BenchOptions(duration, warmup, restoreMib, segmentMib, many, idle, out, dataDir, config);
    }

    private static int positive(String s, String option) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the option
        }
        throw new IllegalArgumentException("Invalid " + option + " '" + s + "': expected a positive whole number");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("Option " + option + " needs a value");
        }
        return args[i];
    }

    static Duration parseDuration(String s, String option) {
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the option
        }
        throw new IllegalArgumentException("Invalid " + option + " '" + s + "': use e.g. 500ms, 30s or 2m");
    }
}
