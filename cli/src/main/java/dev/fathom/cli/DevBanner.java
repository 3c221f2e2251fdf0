package dev.fathom.cli;

import java.util.StringJoiner;

/**
 * Renders what a user needs once {@code fathom dev} runs: where the data is, the Kafka, S3 and HTTP addresses with the
 * credentials, commands to try, and how to point {@code FathomStorage} at the stack. Stateless; thread-safe.
 */
final class DevBanner {

    private DevBanner() {
    }

    static String render(DevEndpoints e) {
        String api = e.httpApi().toString();
        StringJoiner b = new StringJoiner(System.lineSeparator());
        b.add("")
                .add("Fathom dev stack is running. Ctrl-C stops it; the data stays for the next start.")
                .add("")
                .add("  data dir      " + e.dataDir())
                .add("  Kafka         " + e.bootstrapServers() + "   (bootstrap.servers)")
                .add("  S3            " + e.s3Endpoint() + "   bucket " + e.bucket() + ", access key " + e.accessKey()
                        + ", secret key " + e.secretKey() + " (path-style, us-east-1)")
                .add("  HTTP API      " + api)
                .add("")
                .add("Try:")
                .add("  curl -s " + api + "/health")
                .add("  curl -s " + api + "/v1/namespaces/mydb")
                .add("  curl -s '" + api + "/v1/namespaces/mydb/segments?from=1&to=1000'")
                .add("")
                .add("Publish from a node with the library (storage profile \"" + e.profile() + "\" is bucket "
                        + e.bucket() + "):")
                .add("  FathomStorage storage = FathomStorage.start(new FathomStorageConfig(Map.of(")
                .add("      \"bootstrap.servers\", \"" + e.bootstrapServers() + "\",")
                .add("      \"node.id\", \"node-1\")));")
                .add("  storage.store(\"mydb\", segment, \"" + e.profile() + "\", (durableFrameNo, failure) -> { });")
                .add("")
                .add("Objects: AWS_ACCESS_KEY_ID=" + e.accessKey() + " AWS_SECRET_ACCESS_KEY=" + e.secretKey()
                        + " aws --endpoint-url " + e.s3Endpoint() + " s3 ls s3://" + e.bucket() + " --recursive")
                .add("");
        return b.toString();
    }
}
