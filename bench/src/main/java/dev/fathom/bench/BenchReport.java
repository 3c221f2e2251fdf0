package dev.fathom.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Formats bench figures as a table and as flat JSON. Stateless. */
final class BenchReport {

    private BenchReport() {
    }

    static String json(Map<String, Object> figures) {
        return figures.entrySet().stream()
                .map(e -> "  \"" + e.getKey() + "\": " + number(e.getValue()))
                .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }

    static String table(Map<String, Object> f) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-30s %12s   %s%n", "figure", "value", "baseline / target"));
        row(b, f, "segment_mib", "size of each stored segment");
        row(b, f, "raw_kafka_produce_mib_s", "baseline");
        row(b, f, "raw_kafka_consume_mib_s", "baseline");
        row(b, f, "raw_s3_put_mib_s", "baseline");
        row(b, f, "raw_s3_get_mib_s", "baseline");
        double ingestBase = Math.min(d(f, "raw_kafka_produce_mib_s"), d(f, "raw_s3_put_mib_s"));
        for (String k : new String[] {"ingest_1ns_mib_s", "ingest_100ns_mib_s", "ingest_10000ns_mib_s"}) {
            if (f.containsKey(k)) {
                row(b, f, k, ratio(d(f, k), ingestBase) + " x min(kafka produce, s3 put); target >= 0.80");
            }
        }
        if (f.containsKey("ingest_cpu_bound_mib_s")) { // measured only when everything runs in this JVM
            double bound = d(f, "ingest_cpu_bound_mib_s");
            row(b, f, "ingest_cpu_bound_mib_s", "all cores / (raw kafka + raw s3 put CPU per MiB)");
            for (String k : new String[] {"ingest_1ns_mib_s", "ingest_100ns_mib_s", "ingest_10000ns_mib_s"}) {
                if (f.containsKey(k)) {
                    b.append(String.format(Locale.ROOT, "%-30s %12s   %s%n", "  " + k, ratio(d(f, k), bound),
                            "x that CPU bound"));
                }
            }
        }
        row(b, f, "lag_rate_mib_s", "offered load (50% of best ingest)");
        row(b, f, "lag_p50_ms", "");
        row(b, f, "lag_p95_ms", "");
        row(b, f, "lag_p99_ms", "target <= 250 ms");
        row(b, f, "restore_mib_s", ratio(d(f, "restore_mib_s"), d(f, "raw_s3_get_mib_s"))
                + " x s3 get; target >= 0.70");
        if (f.containsKey("raw_kafka_cpu_ms_per_mib")) { // CPU figures: only when everything runs in this JVM
            cpuRows(b, f);
        }
        row(b, f, "s3_puts_per_gib_wal", "");
        row(b, f, "compaction_ratio", "bytes stored / WAL bytes");
        if (f.containsKey("heap_per_idle_namespace_bytes")) {
            row(b, f, "heap_per_idle_namespace_bytes", "worker heap over " + f.get("idle_namespaces")
                    + " idle namespaces; target <= 1024");
        }
        return b.toString();
    }

    private static void cpuRows(StringBuilder b, Map<String, Object> f) {
        double rawPath = d(f, "raw_kafka_cpu_ms_per_mib") + d(f, "raw_s3_put_cpu_ms_per_mib");
        row(b, f, "raw_kafka_cpu_ms_per_mib", "CPU of the whole JVM per MiB produced + consumed");
        row(b, f, "raw_s3_put_cpu_ms_per_mib", "CPU per MiB PUT");
        row(b, f, "raw_s3_get_cpu_ms_per_mib", "CPU per MiB GET");
        for (String k : new String[] {"ingest_1ns_cpu_ms_per_mib", "ingest_100ns_cpu_ms_per_mib",
                "ingest_10000ns_cpu_ms_per_mib"}) {
            if (f.containsKey(k)) {
                row(b, f, k, ratio(d(f, k), rawPath) + " x (raw kafka + raw s3 put)");
            }
        }
        row(b, f, "ingest_1ns_jit_ms_per_mib", "JIT compiler time per MiB (part of the CPU above)");
        row(b, f, "ingest_100ns_jit_ms_per_mib", "JIT compiler time per MiB (part of the CPU above)");
        row(b, f, "restore_cpu_ms_per_mib", ratio(d(f, "restore_cpu_ms_per_mib"), d(f, "raw_s3_get_cpu_ms_per_mib"))
                + " x raw s3 get");
    }

    private static void row(StringBuilder b, Map<String, Object> f, String key, String note) {
        b.append(String.format(Locale.ROOT, "%-30s %12s   %s%n", key, number(f.get(key)), note));
    }

    private static String ratio(double value, double base) {
        return String.format(Locale.ROOT, "%.2f", value / base);
    }

    private static double d(Map<String, Object> f, String key) {
        return ((Number) f.get(key)).doubleValue();
    }

    private static String number(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(v);
    }
}
