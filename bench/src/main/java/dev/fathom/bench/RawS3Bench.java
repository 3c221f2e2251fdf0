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

    private static final int OBJECT_BYTES = 4 << 20;

    record Result(double putMibS, double getMibS, double putCpuMsPerMib, double getCpuMsPerMib) {
    }

    private RawS3Bench() {
    }

    /** Runs the baseline under {@code prefix}; deletes the objects at the end when {@code cleanUp}. */
    static Result run(S3Client s3, String bucket, String prefix, Duration duration, boolean cleanUp) {
        byte[] body = new byte[OBJECT_BYTES];
        new Random(2).nextBytes(body);
        CpuMeter putCpu = CpuMeter.start();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        int count = 0;
        while (System.nanoTime() < end || count == 0) {
            String key = prefix + count;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
            count++;
        }
        double putSeconds = (System.nanoTime() - t0) / 1e9;
        double putCpuMsPerMib = putCpu.msPerMib((long) count * OBJECT_BYTES);
        CpuMeter getCpu = CpuMeter.start();
        long t1 = System.nanoTime();
        long read = 0;
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            read += s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray().length;
        }
        double getSeconds = (System.nanoTime() - t1) / 1e9;
        double mib = count * (double) OBJECT_BYTES / BenchMain.MIB;
        if (cleanUp) { // in somebody's bucket: GiBs nobody needs after the figure
            for (int i = 0; i < count; i++) {
                String key = prefix + i;
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
        }
        return new Result(mib / putSeconds, read / BenchMain.MIB / getSeconds, putCpuMsPerMib,
                getCpu.msPerMib(read));
    }
}
