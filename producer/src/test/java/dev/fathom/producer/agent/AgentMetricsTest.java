package dev.fathom.producer.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fathom.producer.PublishStatus;
import dev.fathom.producer.QueueFullException;
import dev.fathom.producer.SegmentBuilder;
import dev.fathom.producer.StorageShutdownException;
import dev.fathom.producer.agent.AgentMetrics.CheckpointMode;
import dev.fathom.producer.agent.AgentMetrics.ErrorClass;
import dev.fathom.schemas.format.SealedSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    @Test
    void shouldExportEveryMeterWithItsUnitInThePrometheusName() {
        try (AgentMetrics metrics = new AgentMetrics(() -> new AgentSample(3, 8192, 2, 40, 30, 12, 1))) {
            SegmentBuilder builder = new SegmentBuilder(4096, 1);
            builder.addFrame(1, 1, new byte[4096]);
            SealedSegment segment = builder.seal(Instant.EPOCH);
            metrics.walFramesRead(5);
            metrics.walFramesRead(2);
            metrics.sealed();
            metrics.stored(segment);
            metrics.completed(null, 0);
            metrics.completed(new StorageShutdownException("shut down"), 0);
            metrics.snapshot();
            metrics.resnapshot();
            metrics.checkpoint(CheckpointMode.PASSIVE, true);
            metrics.checkpoint(CheckpointMode.TRUNCATE, false);
            metrics.error(new SQLException("database is locked"));
            metrics.error(ErrorClass.SCAN);
            String text = metrics.scrape();

            assertEquals(7, value(text, "fathom_agent_wal_frames_total"));
            assertEquals(1, value(text, "fathom_agent_segments_sealed_total"));
            assertEquals(1, value(text, "fathom_agent_segments_stored_total"));
            assertEquals(segment.frameBytes(), value(text, "fathom_agent_stored_bytes_total"));
            assertEquals(1, value(text, "fathom_agent_segments_durable_total"));
            assertEquals(1, value(text, "fathom_agent_segments_failed_total"));
            assertEquals(1, value(text, "fathom_agent_snapshots_total"));
            assertEquals(1, value(text, "fathom_agent_resnapshots_total"));
            assertEquals(1, value(text, "fathom_agent_checkpoints_total{mode=\"passive\",result=\"complete\"}"));
            assertEquals(0, value(text, "fathom_agent_checkpoints_total{mode=\"passive\",result=\"incomplete\"}"));
            assertEquals(1, value(text, "fathom_agent_checkpoints_total{mode=\"truncate\",result=\"incomplete\"}"));
            assertEquals(1, value(text, "fathom_agent_errors_total{class=\"sqlite\"}"));
            assertEquals(1, value(text, "fathom_agent_errors_total{class=\"scan\"}"));
            assertEquals(1, value(text, "fathom_agent_errors_total{class=\"storage\"}"), "the failed segment");
            assertEquals(0, value(text, "fathom_agent_errors_total{class=\"other\"}"));
            assertEquals(3, value(text, "fathom_agent_databases"));
            assertEquals(8192, value(text, "fathom_agent_outbox_bytes"));
            assertEquals(2, value(text, "fathom_agent_outbox_entries"));
            assertEquals(40, value(text, "fathom_agent_durable_lag_sum_frames"));
            assertEquals(30, value(text, "fathom_agent_durable_lag_max_frames"));
            assertEquals(12, value(text, "fathom_agent_publish_transactions_total{outcome=\"committed\"}"));
            assertEquals(1, value(text, "fathom_agent_publish_transactions_total{outcome=\"failed\"}"));
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are bound");
        }
    }

    @Test
    void shouldClassifyErrorsByTheFirstKnownCause() {
        assertEquals(ErrorClass.SQLITE, ErrorClass.of(new RuntimeException(new SQLException("busy"))));
        assertEquals(ErrorClass.WAL_FORMAT, ErrorClass.of(new WalFormatException(Path.of("/x/app.db-wal"), 0,
                "bad magic")));
        assertEquals(ErrorClass.IO, ErrorClass.of(new UncheckedIOException(new IOException("disk"))));
        assertEquals(ErrorClass.QUEUE_FULL, ErrorClass.of(new QueueFullException("full")));
        assertEquals(ErrorClass.STORAGE, ErrorClass.of(new StorageShutdownException("closed")));
        assertEquals(ErrorClass.OTHER, ErrorClass.of(new IllegalStateException("?")));
    }

    @Test
    void shouldBeReadyOnlyWhenEveryDatabaseFoundShipsAndPublishingWorks() {
        AgentReadiness.Tailing shipping = new AgentReadiness.Tailing(true, true, 0);
        PublishStatus fine = new PublishStatus(4, 0, false, false);

        assertFalse(AgentReadiness.databases(false, Map.of()).ok(), "before the first scan");
        assertTrue(AgentReadiness.databases(true, Map.of()).ok(), "nothing found is nothing to wait for");
        assertTrue(AgentReadiness.databases(true, Map.of("app", shipping)).ok());
        AgentReadiness.Check pending = AgentReadiness.databases(true, Map.of("app", shipping,
                "later", new AgentReadiness.Tailing(true, false, 0)));
        assertFalse(pending.ok());
        assertTrue(pending.detail().contains("later"), pending.detail());
        AgentReadiness.Check failing = AgentReadiness.databases(true, Map.of("app",
                new AgentReadiness.Tailing(true, true, 3)));
        assertFalse(failing.ok());
        assertTrue(failing.detail().contains("app (3 failed polls in a row)"), failing.detail());

        assertTrue(AgentReadiness.publishing(fine, -1).ok());
        assertFalse(AgentReadiness.publishing(new PublishStatus(4, 2, true, false), 1).ok(), "nothing drained");
        assertTrue(AgentReadiness.publishing(new PublishStatus(4, 2, true, false), 2).ok(), "draining");
        assertFalse(AgentReadiness.publishing(new PublishStatus(4, 0, false, true), 0).ok(), "stopped");
        AgentReadiness.Report report = new AgentReadiness.Report(List.of(failing, AgentReadiness.publishing(fine,
                -1)));
        assertFalse(report.ready());
        assertEquals(List.of("databases"), report.failed());
    }

    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertTrue(m.find(), () -> sample + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }
}
