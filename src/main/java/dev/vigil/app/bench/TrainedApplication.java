package dev.vigil.app.bench;

import dev.vigil.config.TopologyConfig;
import dev.vigil.detect.DetectorConfig;
import dev.vigil.stream.ModelTrainingService;
import dev.vigil.stream.TopologyTrainer;
import dev.vigil.stream.VigilMetrics;
import dev.vigil.stream.VigilTopology;
import dev.vigil.train.RetrainConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The detector topology with a background trainer of its own, as the service runs it, for the trainer benchmarks
 * ({@link TrainerBenchmark}, {@link FirstModelsBenchmark}): its Streams application, the trainer's pool and the
 * metrics both report to.
 */
final class TrainedApplication implements AutoCloseable {
    final String applicationId;
    final TopologyConfig topology;
    final ModelTrainingService trainer;
    final KafkaStreams streams;
    private final String bootstrap;
    private final Metrics metrics = new Metrics();

    /**
     * @param queue       the trainer's queue ({@code trainer.queue.capacity})
     * @param parallelism threads one training runs on ({@code trainer.parallelism})
     */
    TrainedApplication(String applicationId, String bootstrap, Path stateDir, TopologyConfig topology,
                       RetrainConfig retrain, int queue, int parallelism) {
        this.applicationId = applicationId;
        this.bootstrap = bootstrap;
        this.topology = topology;
        this.trainer = new ModelTrainingService(1, queue, parallelism, metrics);
        Properties props = VigilTopology.streamsConfig(applicationId, bootstrap, stateDir.toString(), topology,
                StreamBenchmark.serviceRocksDb(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                        StreamBenchmark.COMMIT_INTERVAL_MS)));
        DetectorConfig detector = VigilTopology.detectorConfig(topology, DetectorConfig.defaults(), retrain);
        TopologyTrainer training = trainer.forTopology(topology, applicationId, detector, retrain);
        streams = new KafkaStreams(VigilTopology.build(topology, DetectorConfig.defaults(), retrain, props, training),
                props);
    }

    /** Starts the application and waits until the first {@code events} events of its input are scored. */
    StreamBenchmark.Timing startAndAwait(long events) {
        return StreamBenchmark.startAndAwait(streams, applicationId, bootstrap, topology.scoresTopic(), events);
    }

    /** A counter of the detector's ({@link VigilMetrics}), summed over the stream threads. */
    long streamCount(String operation) {
        return (long) FleetMeasures.sum(streams,
                n -> n.group().equals(VigilMetrics.GROUP) && n.name().equals(operation + "-total"));
    }

    /** A metric of the trainer's, by name; NaN when it has none. */
    double metric(String name) {
        return metrics.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).findFirst().orElse(Double.NaN);
    }

    @Override
    public void close() {
        trainer.close();
        streams.close(Duration.ofMinutes(2));
        metrics.close();
    }
}
