package dev.fathom.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole JVM (broker, S3Proxy, worker and client all run in it) between {@link #start()} and a
 * reading, per MiB moved. On a machine whose cores are saturated, this, not MiB/s, says what a phase costs: the
 * ingest path's CPU per MiB against the sum of the raw Kafka and raw S3 PUT paths' is the overhead Fathom adds.
 * Immutable; readings may be taken from any thread.
 */
final class CpuMeter {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final long startNanos;
    private final long startJitMs;

    private CpuMeter(long startNanos, long startJitMs) {
        this.startNanos = startNanos;
        this.startJitMs = startJitMs;
    }

    static CpuMeter start() {
        return new CpuMeter(OS.getProcessCpuTime(), JIT.getTotalCompilationTime());
    }

    /** Milliseconds of CPU since {@link #start()} per MiB of {@code bytes}. */
    double msPerMib(long bytes) {
        double cpuMs = (OS.getProcessCpuTime() - startNanos) / 1e6;
        return cpuMs / Math.max(bytes / BenchMain.MIB, 1e-9);
    }

    /**
     * Milliseconds the JIT compilers spent since {@link #start()} per MiB of {@code bytes}: the part of
     * {@link #msPerMib} a long-running worker no longer pays once its code is compiled.
     */
    double jitMsPerMib(long bytes) {
        return (JIT.getTotalCompilationTime() - startJitMs) / Math.max(bytes / BenchMain.MIB, 1e-9);
    }
}
