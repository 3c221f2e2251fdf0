package dev.fathom.cli;

import dev.fathom.devstack.LocalS3;
import dev.fathom.producer.storage.StorageProfile;
import dev.fathom.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the configuration of the one worker of {@code fathom dev}: storage profile "default" on the embedded S3
 * endpoint, state under the data dir, a fixed worker id and group so a restart resumes the same consumer group and
 * fences the previous run's transactions. Stateless; thread-safe.
 */
final class DevWorkerConfig {

    static final String GROUP_ID = "fathom-dev";
    static final String WORKER_ID = "dev";

    private DevWorkerConfig() {
    }

    /** The worker properties, as a user would write them in a worker.properties file. */
    static Map<String, Object> properties(DevSettings settings, String bootstrapServers, LocalS3 s3, Path stateDir) {
        String profile = StorageProfile.DEFAULT_NAME;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(WorkerConfig.GROUP_ID_CONFIG, GROUP_ID);
        p.put(WorkerConfig.WORKER_ID_CONFIG, WORKER_ID);
        p.put(WorkerConfig.TOPIC_PARTITIONS_CONFIG, Integer.toString(settings.partitions()));
        // Loopback only: the dev stack has fixed credentials and is not meant to be reached from other machines.
        p.put(WorkerConfig.HTTP_LISTEN_HOST_CONFIG, "127.0.0.1");
        p.put(WorkerConfig.HTTP_ADVERTISED_HOST_CONFIG, "localhost");
        p.put(WorkerConfig.HTTP_PORT_CONFIG, Integer.toString(settings.httpPort()));
        p.put(WorkerConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(WorkerConfig.STORAGE_PROFILES_CONFIG, profile);
        p.put(StorageProfile.key(profile, "bucket"), settings.bucket());
        p.put(StorageProfile.key(profile, "endpoint"), s3.endpoint().toString());
        p.put(StorageProfile.key(profile, "region"), LocalS3.REGION);
        p.put(StorageProfile.key(profile, "path.style"), "true");
        p.put(StorageProfile.key(profile, "access.key"), s3.accessKey());
        p.put(StorageProfile.key(profile, "secret.key"), s3.secretKey());
        return p;
    }

    static WorkerConfig of(DevSettings settings, String bootstrapServers, LocalS3 s3, Path stateDir) {
        return new WorkerConfig(properties(settings, bootstrapServers, s3, stateDir));
    }
}
