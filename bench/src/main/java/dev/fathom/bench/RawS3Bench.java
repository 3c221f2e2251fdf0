package dev.fathom.bench;

import java.time.Duration;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Raw S3 baseline: PUTs 4 MiB objects for a duration with the client Fathom builds (S3Clients), then GETs each
 * back. Sequential, one connection, like one segment upload. Stateless.
 */
final class RawS3Bench {

    static final String PREFIX = "bench-raw/";
    private static final int OBJECT_BYTES = 4 << 20;

    record Result(double putMibS, double getMibS, double putCpuMsPerMib, double getCpuMsPerMib) {
    }

    private RawS3Bench() {
    }

    static Result run(S3Client s3, String bucket, Duration duration) {
        byte[] body = new byte[OBJECT_BYTES];
        new Random(2).nextBytes(body);
        CpuMeter putCpu = CpuMeter.start();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        int count = 0;
        while (System.nanoTime() < end || count == 0) {
            String key = PREFIX + count;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
            count++;
        }
        double putSeconds = (System.nanoTime() - t0) / 1e9;
        double putCpuMsPerMib = putCpu.msPerMib((long) count * OBJECT_BYTES);
        CpuMeter getCpu = CpuMeter.start();
        long t1 = System.nanoTime();
        long read = 0;
        for (int i = 0; i < count; i++) {
            String key = PREFIX + i;
            read += s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray().length;
        }
        double getSeconds = (System.nanoTime() - t1) / 1e9;
        double mib = count * (double) OBJECT_BYTES / BenchMain.MIB;
        return new Result(mib / putSeconds, read / BenchMain.MIB / getSeconds, putCpuMsPerMib,
                getCpu.msPerMib(read));
    }
}
