package dev.fathom.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmIT {

    @TempDir
    Path dir;

    @Test
    void shouldRunAMainClassFromTestClassesAndReportItsExitCode() throws Exception {
        Path log = dir.resolve("exit.log");
        try (ForkedJvm jvm = ForkedJvm.start(ExitingMain.class.getName(), List.of("3", "x"),
                List.of("-Dfixture.prop=yes"), log)) {
            assertEquals(3, jvm.awaitExit(Duration.ofSeconds(30)));
        }
        assertEquals("started with 3,x prop=yes", Files.readString(log).trim());
    }

    @Test
    void shouldKillHard() {
        Path log = dir.resolve("wait.log");
        try (ForkedJvm jvm = ForkedJvm.start(ExitingMain.class.getName(), List.of("wait"), log)) {
            Await.until(Duration.ofSeconds(30), () -> jvm.logTail(1).startsWith("started"), "the forked JVM to start");
            assertThrows(AssertionError.class, () -> jvm.awaitExit(Duration.ofMillis(100)));
            jvm.killHard();
            assertFalse(jvm.isAlive());
            assertEquals(137, jvm.awaitExit(Duration.ofSeconds(1)), "128 + SIGKILL");
        }
    }
}
