package dev.fathom.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    @Test
    void shouldExportEveryMeterWithItsUnitInThePrometheusName() {
        try (WorkerMetrics metrics = WorkerMetricsTest.exercised()) {
            PrometheusText text = PrometheusText.parse(metrics.scrape());

            assertEquals(2.0, text.value("fathom_worker_segments_total", "outcome", "durable").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_segments_total", "outcome", "replayed").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_segments_total", "outcome", "dead_lettered").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_failures_total", "class", "transient").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_failures_total", "class", "poison").orElseThrow());
            assertEquals(0.0, text.value("fathom_worker_failures_total", "class", "fatal").orElseThrow());
            assertEquals(3.0, text.value("fathom_worker_dead_letters_total").orElseThrow());
            assertEquals(4096.0, text.value("fathom_worker_upload_bytes_total", "profile", "default").orElseThrow());
            assertEquals(0.0, text.value("fathom_worker_upload_bytes_total", "profile", "cold").orElseThrow(),
                    "every profile's meters exist from the start");
            assertEquals(1.0, text.value("fathom_worker_upload_seconds_count", "profile", "default").orElseThrow());
            assertTrue(text.samples("fathom_worker_upload_seconds_bucket").size() > 10, "a percentile histogram");
            assertEquals(1.0, text.value("fathom_worker_commit_seconds_count", "outcome", "committed").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_commit_seconds_count", "outcome", "failed").orElseThrow());
            assertEquals(3.0, text.value("fathom_worker_jobs_in_flight").orElseThrow());
            assertEquals(2.0, text.value("fathom_worker_assigned_partitions").orElseThrow());
            assertEquals(1.0, text.value("fathom_worker_paused_partitions").orElseThrow());
            assertEquals(1_000_000.0, text.value("fathom_worker_backlog_bytes").orElseThrow());
            assertEquals(7.0, text.value("fathom_worker_backlog_segments").orElseThrow());
            assertEquals(12.0, text.value("fathom_worker_segment_lag_records", "partition", "0").orElseThrow());
            assertEquals(0.0, text.value("fathom_worker_segment_lag_records", "partition", "3").orElseThrow());
            assertEquals(50.0, text.value("fathom_worker_durable_frame_lag_sum_frames").orElseThrow());
            assertEquals(40.0, text.value("fathom_worker_durable_frame_lag_max_frames").orElseThrow());
            assertEquals(2.0, text.value("fathom_worker_lagging_namespaces").orElseThrow());
            assertTrue(text.sampleNames().contains("jvm_memory_used_bytes"), "JVM metrics are bound");
            assertTrue(text.sampleNames().contains("jvm_threads_live_threads"), "JVM metrics are bound");
        }
    }

    @Test
    void shouldDropTheLagOfAPartitionNoLongerOwned() {
        try (WorkerMetrics metrics = exercised()) {
            metrics.publish(new LoopSample(true, 1, 0, 0, 0, 0, Map.of(3, 4L), 0, 0, 0));
            PrometheusText text = PrometheusText.parse(metrics.scrape());

            assertEquals(List.of(Map.of("partition", "3")), text.samples("fathom_worker_segment_lag_records")
                    .stream().map(PrometheusText.Sample::labels).toList());
            assertEquals(4.0, text.value("fathom_worker_segment_lag_records", "partition", "3").orElseThrow());
        }
    }

    /** A registry in which every meter the worker declares has been used once. */
    static WorkerMetrics exercised() {
        WorkerMetrics metrics = new WorkerMetrics(List.of("default", "cold"));
        metrics.segment(WorkerMetrics.Outcome.DURABLE);
        metrics.segment(WorkerMetrics.Outcome.DURABLE);
        metrics.segment(WorkerMetrics.Outcome.REPLAYED);
        metrics.segment(WorkerMetrics.Outcome.DEAD_LETTERED);
        metrics.failure(FailureClass.TRANSIENT);
        metrics.failure(FailureClass.POISON);
        metrics.deadLettersCommitted(3);
        metrics.uploaded(metrics.startTimer(), "default", 4096);
        metrics.committed(metrics.startTimer(), true);
        metrics.committed(metrics.startTimer(), false);
        metrics.publish(new LoopSample(true, 2, 1, 3, 1_000_000, 7, Map.of(0, 12L, 3, 0L), 50, 40, 2));
        return metrics;
    }
}
