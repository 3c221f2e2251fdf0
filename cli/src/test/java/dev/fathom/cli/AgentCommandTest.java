package dev.fathom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.agent.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldMergeTheFileWithFlagsAndSetOverrides() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.properties"), "bootstrap.servers=kafka:9092\nnode.id=n1\n"
                + "state.dir=/var/lib/agent\ndatabases=/data/a.db\nsegment.max.age.ms=5000\n");
        AgentCommand command = new AgentCommand();
        new CommandLine(command).parseArgs("--config", file.toString(), "--database", "/data/b.db", "--node-id", "n2",
                "--set", "segment.max.age.ms=250", "--http-port", "9095");

        AgentConfig config = command.config();
        assertEquals(List.of(Path.of("/data/a.db"), Path.of("/data/b.db")), config.databases());
        assertEquals("n2", config.storageConfig().nodeId(), "a flag wins over the file");
        assertEquals(250, config.sealPolicy().maxAge().toMillis(), "--set wins over the file");
        assertEquals(9095, config.httpPort().orElseThrow(), "--http-port");
        AgentCommand plain = new AgentCommand();
        new CommandLine(plain).parseArgs("--config", file.toString());
        assertTrue(plain.config().httpPort().isEmpty(), "no HTTP port unless asked");
    }

    @Test
    void shouldExitWithUsageNamingTheFileWhoseNameIsNoNamespace() {
        StringWriter err = new StringWriter();
        int code = FathomCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "agent",
                "-b", "kafka:9092", "--node-id", "n1", "--state-dir", dir.toString(), "--database", "/data/bad name.db");

        assertEquals(FathomCli.EXIT_USAGE, code);
        assertTrue(err.toString().contains("/data/bad name.db"), err.toString());
    }
}
