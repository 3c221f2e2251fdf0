package dev.fathom.cli;

import java.util.StringJoiner;

/**
 * Renders what a user needs once {@code fathom stack} runs: Kafka, S3 and worker addresses, every log file, and
 * commands to try. Stateless; thread-safe.
 */
final class StackBanner {

    private StackBanner() {
    }

    static String render(StackEndpoints e) {
        StringJoiner b = new StringJoiner(System.lineSeparator());
        b.add("")
                .add("Fathom stack is running. Ctrl-C stops every process; the data stays for the next start.")
                .add("")
                .add("  data dir      " + e.dataDir())
                .add("  Kafka         " + e.bootstrapServers() + "   (bootstrap.servers; " + e.kafkaLogs().size()
                        + " KRaft node(s), each broker and controller)")
                .add("  S3            " + e.s3Endpoint() + "   bucket " + e.bucket() + ", access key " + e.accessKey()
                        + ", secret key " + e.secretKey() + " (path-style, us-east-1)");
        for (int i = 0; i < e.kafkaLogs().size(); i++) {
            b.add("  kafka-" + i + "       log " + e.kafkaLogs().get(i));
        }
        for (StackEndpoints.Member w : e.workers()) {
            b.add(String.format("  %-13s %s   pid %d   log %s", w.name(), w.httpApi(), w.pid(), w.log()));
        }
        if (e.agent() != null) {
            StackEndpoints.Member a = e.agent();
            b.add(String.format("  %-13s %s -> namespace %s   pid %d   log %s", a.name(), e.demoDatabase(),
                    StackSettings.DEMO_NAMESPACE, a.pid(), a.log()));
            if (a.httpApi() != null) {
                b.add("                /metrics, /health, /ready at " + a.httpApi());
            }
        }
        String api = e.workers().get(0).httpApi().toString();
        b.add("")
                .add("Try:")
                .add("  curl -s " + api + "/ready");
        if (e.agent() != null && e.agent().httpApi() != null) {
            b.add("  curl -s " + e.agent().httpApi() + "/metrics | grep fathom_agent_durable_lag");
        }
        if (e.agent() != null) {
            b.add("  curl -s " + api + "/v1/namespaces/" + StackSettings.DEMO_NAMESPACE)
                    .add("  java -jar fathom.jar restore --namespace " + StackSettings.DEMO_NAMESPACE
                            + " -o /tmp/demo.db --meta-url " + api + " --s3-endpoint " + e.s3Endpoint()
                            + " --path-style --bucket " + e.bucket() + " --access-key " + e.accessKey()
                            + " --secret-key " + e.secretKey());
        }
        b.add("  kill -9 <a worker pid>   # the others take its partitions over within seconds")
                .add("")
                .add("Generated configs: " + e.workers().get(0).config().getParent()
                        + (e.agent() != null ? ", " + e.agent().config() : ""))
                .add("");
        return b.toString();
    }
}
