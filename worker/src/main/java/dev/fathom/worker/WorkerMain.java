package dev.fathom.worker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Runs a worker from a properties file: {@code WorkerMain <worker.properties>}. Closes the worker on JVM shutdown;
 * exits with status 1 when the worker stops because of a failure, 2 on a usage or configuration error.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("Usage: WorkerMain <worker.properties>");
            System.exit(2);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(in);
        }
        WorkerConfig config;
        try {
            config = new WorkerConfig(props);
        } catch (ConfigException e) {
            System.err.println("Invalid worker configuration in " + args[0] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Worker worker = Worker.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "fathom-worker-shutdown"));
        worker.awaitStop();
        if (worker.failure() != null) {
            System.exit(1);
        }
    }
}
