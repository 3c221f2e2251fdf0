package dev.fathom.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a running {@code fathom stack} answers and writes. Immutable.
 *
 * @param dataDir          absolute data directory
 * @param bootstrapServers Kafka bootstrap.servers listing every node
 * @param kafkaLogs        output file of each Kafka node, node 0 first
 * @param s3Endpoint       S3 endpoint (path-style requests, region {@code us-east-1})
 * @param bucket           bucket of storage profile "default"
 * @param accessKey        S3 access key id
 * @param secretKey        S3 secret key (a fixed development secret; the endpoint listens on loopback only)
 * @param workers          the worker processes, worker-1 first
 * @param agent            the demo agent process, or null with {@code --no-demo}
 * @param demoDatabase     the demo database file, or null with {@code --no-demo}
 */
record StackEndpoints(Path dataDir, String bootstrapServers, List<Path> kafkaLogs, URI s3Endpoint, String bucket,
                      String accessKey, String secretKey, List<Member> workers, Member agent, Path demoDatabase) {

    StackEndpoints {
        kafkaLogs = List.copyOf(kafkaLogs);
        workers = List.copyOf(workers);
    }

    /**
     * One child process of the stack.
     *
     * @param name    worker-1, ..., or agent
     * @param pid     its process id
     * @param httpApi base URL of its HTTP API, or null when it serves none
     * @param config  the generated properties file it runs from
     * @param log     its output file
     */
    record Member(String name, long pid, URI httpApi, Path config, Path log) {
    }
}
