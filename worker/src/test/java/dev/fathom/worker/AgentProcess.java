package dev.fathom.worker;

import dev.fathom.producer.agent.Agent;
import dev.fathom.producer.agent.AgentConfig;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Main class of an agent in a forked JVM (so a test can kill -9 it): {@code AgentProcess <agent.properties>}. Runs
 * until killed, or closes the agent on SIGTERM.
 */
public final class AgentProcess {

    private AgentProcess() {
    }

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            p.load(in);
        }
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        Agent agent = Agent.start(new AgentConfig(props));
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-stop"));
        System.out.println("AGENT STARTED");
        new CountDownLatch(1).await();
    }
}
