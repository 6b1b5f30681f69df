package dev.vigil.app;

import dev.vigil.app.http.ClusterProbe;
import dev.vigil.app.http.HttpEndpoint;
import dev.vigil.app.http.ScoreFeed;
import dev.vigil.app.http.ServedTopology;
import dev.vigil.app.http.ServiceMeters;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.stream.RocksDbMemory;
import dev.vigil.stream.DecodedModels;
import dev.vigil.stream.DecodedStates;
import dev.vigil.stream.KeyCounts;
import dev.vigil.stream.VigilTopology;
import dev.vigil.stream.ModelTrainingService;
import dev.vigil.stream.StateDirectoryCheck;
import dev.vigil.stream.TopologyTrainer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * The running service: one Kafka Streams application per topology, application id
 * {@code <application.id>-<topology name>}, and the background trainer ({@link ModelTrainingService}: one pool
 * for all topologies, a {@link TopologyTrainer}). Instances started with the
 * same settings share the partitions.
 * {@link #close()} stops every application cleanly (with exactly-once, the last transaction commits, so no
 * event is lost or scored twice).
 */
final class VigilService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VigilService.class);
    /** How long {@link #close()} waits for each application to commit and stop. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Longest the close waits for the detector tasks to write the states they hold behind their events. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final List<KafkaStreams> applications = new ArrayList<>();
    /** The topology name of each application, in the same order. */
    private final List<String> names = new ArrayList<>();
    /** Each topology's count of the keys this instance's detectors hold, in the order of {@link #applications}. */
    private final List<KeyCounts> keyCounts = new ArrayList<>();
    /** Per topology: the states its detectors hold behind their events, for queries. */
    private final List<dev.vigil.stream.HeldStates> heldStates = new ArrayList<>();
    /** Metrics of the service outside the stream threads (the background trainer's), group {@code vigil-service}. */
    private final Metrics metrics = new Metrics();
    /** What the check of each application's state directory found at start, in the same order. */
    private final List<StateDirectoryCheck.Result> stateChecks = new ArrayList<>();
    /** The Micrometer registry {@code /metrics} serves: JVM, Kafka Streams and Vigil's meters. */
    private final ServiceMeters meters = new ServiceMeters();
    private ModelTrainingService trainer;
    /** Decoded models of every topology's detectors, bounded by {@code models.cache.bytes}. */
    private DecodedModels decoded;
    /** Decoded states of every topology's detectors, bounded by {@code states.cache.bytes}. */
    private DecodedStates states;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The HTTP endpoint, or null when {@code http.enabled=false}. */
    private HttpEndpoint http;
    /** The dashboard's reader of the scores and alerts topics, or null without the HTTP endpoint. */
    private ScoreFeed feed;
    /** Whether the cluster answers, for {@code /ready} and {@code vigil_kafka_reachable}; null without HTTP. */
    private ClusterProbe cluster;

    private VigilService() {
    }

    /**
     * Serves the health checks (when HTTP is enabled), waits for the cluster, creates missing topics (when allowed),
     * builds and starts every topology.
     *
     * @param waitForCluster how long to keep retrying an unreachable cluster
     */
    static VigilService start(AppConfig app, List<TopologyConfig> topologies, Duration waitForCluster)
            throws InterruptedException {
        // a bad detector section fails before the cluster is contacted
        List<DetectorSettings> settings = topologies.stream().map(VigilService::detectorSettings).toList();
        VigilService service = new VigilService();
        try {
            // bound before the applications start: they advertise its address (application.server); alive, and
            // saying why it is not ready, while the cluster is out of reach
            service.http = app.http().enabled() ? HttpEndpoint.bind(app.http()) : null;
            service.starting("waiting for Kafka at " + app.bootstrapServers());
            TopicSetup.awaitCluster(app, waitForCluster);
            if (app.createTopics()) {
                service.starting("creating missing topics at " + app.bootstrapServers());
                TopicSetup.createMissing(app, topologies);
            }
            TopicSetup.checkModelPartitions(app, topologies);
            service.trainer = new ModelTrainingService(app.trainerThreads(), app.trainerQueue(),
                    app.trainerParallelism(), service.metrics);
            service.decoded = new DecodedModels(app.modelCacheBytes());
            service.states = new DecodedStates(app.stateCacheBytes());
            for (int i = 0; i < topologies.size(); i++) {
                service.applications.add(service.startOne(app, topologies.get(i), settings.get(i)));
                service.names.add(topologies.get(i).name());
            }
            List<ServedTopology> served = new ArrayList<>();
            for (int i = 0; i < topologies.size(); i++) {
                served.add(new ServedTopology(topologies.get(i), settings.get(i).detector(),
                        service.applications.get(i), service.keyCounts.get(i), service.heldStates.get(i)));
            }
            service.meters.bind(served, service.metrics);
            service.meters.bind(service.decoded);
            service.meters.bind(service.states);
            if (RocksDbMemory.applies(app.kafka(), app.rocksDbMemoryBytes())) {
                service.meters.bindRocksDb(app.rocksDbMemoryBytes());
            }
            if (service.http != null) {
                service.feed = ScoreFeed.start(app.bootstrapServers(), app.kafka(), served);
                service.cluster = ClusterProbe.start(app.bootstrapServers(), TopicSetup.adminProperties(app));
                service.meters.bind(service.cluster);
                service.http.start(served, service.meters, service.feed, service.cluster,
                        KafkaOptions.producerProperties(app));
            }
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void starting(String reason) {
        if (http != null) {
            http.serveStarting(reason);
        }
    }

    /** Application id of a topology's Streams application. */
    static String applicationId(AppConfig app, TopologyConfig t) {
        return app.applicationId() + "-" + t.name();
    }

    /** The detector parameters of a topology's {@code detector} section, validated. */
    static DetectorSettings detectorSettings(TopologyConfig t) {
        return DetectorSettings.load(null, t.detector().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private KafkaStreams startOne(AppConfig app, TopologyConfig t, DetectorSettings settings) {
        Map<String, String> kafka = new HashMap<>(app.kafka());
        if (http != null) {
            kafka.put(StreamsConfig.APPLICATION_SERVER_CONFIG, http.advertised());
        }
        String instance = instanceId(app, http == null ? null : http.advertised());
        if (instance != null) {
            // static membership: restarted after a crash, this instance takes its tasks back at once instead of
            // after the dead member's session timeout (Streams appends the thread index for each consumer)
            kafka.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        }
        if (!RocksDbMemory.apply(kafka, app.rocksDbMemoryBytes()) && app.rocksDbMemoryBytes() > 0) {
            LOG.info("topology {}: rocksdb.memory.bytes not applied, kafka.rocksdb.config.setter is set", t.name());
        }
        Properties props = VigilTopology.streamsConfig(applicationId(app, t), app.bootstrapServers(),
                app.stateDir().toString(), t, kafka);
        TopologyTrainer training = trainer.forTopology(t, applicationId(app, t),
                VigilTopology.detectorConfig(t, settings.detector(), settings.retrain()), settings.retrain());
        KeyCounts keys = new KeyCounts();
        keyCounts.add(keys);
        dev.vigil.stream.HeldStates held = new dev.vigil.stream.HeldStates();
        heldStates.add(held);
        Topology topology = VigilTopology.build(t, settings.detector(), settings.retrain(), props, training, decoded,
                states, keys, app.replayEvents(), held);
        // a damaged store would fail KafkaStreams#start on every start (or, without CURRENT, open empty): its task
        // is deleted first and restored from the changelogs
        stateChecks.add(StateDirectoryCheck.wipeDamagedTasks(Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG)),
                props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)));
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("topology {}: stream thread failed; stopping this instance", t.name(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("topology {}: {} -> {}", t.name(), before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.start();
        LOG.info("topology {} started: {} -> scores {}, alerts {}, dead letters {}; models from {}", t.name(),
                t.inputTopic(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic(), t.modelsTopic());
        return streams;
    }

    /**
     * The instance's {@code group.instance.id}, or null for dynamic membership: {@code instance.id} when set (null
     * for {@value AppConfig#NO_INSTANCE_ID}); else derived from the advertised HTTP address {@code host:port} as
     * {@code host-port}, when the port was configured (not 0) and the host is not a loopback address (two instances
     * on two machines would both advertise 127.0.0.1 and fence each other).
     */
    static String instanceId(AppConfig app, String advertised) {
        if (app.instanceId() != null) {
            return app.instanceId().equals(AppConfig.NO_INSTANCE_ID) ? null : app.instanceId();
        }
        if (advertised == null || app.http().port() == 0
                || app.kafka().containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) {
            return null;
        }
        String host = advertised.substring(0, advertised.lastIndexOf(':'));
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1")) {
            return null;
        }
        return (host + "-" + advertised.substring(advertised.lastIndexOf(':') + 1)).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    List<KafkaStreams> applications() {
        return applications;
    }

    /** What the check of each application's state directory found before it started ({@link StateDirectoryCheck}). */
    List<StateDirectoryCheck.Result> stateChecks() {
        return stateChecks;
    }

    /** The service's own metrics registry (thread-safe); the Streams applications' metrics are in theirs. */
    Metrics metrics() {
        return metrics;
    }

    /** The service's Micrometer registry (the one {@code /metrics} renders). */
    ServiceMeters meters() {
        return meters;
    }

    /** The HTTP endpoint, or null when disabled. */
    HttpEndpoint http() {
        return http;
    }

    /** True when every application is RUNNING. */
    boolean running() {
        return !applications.isEmpty() && applications.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
    }

    /** Blocks until every application is RUNNING or {@code timeout} passes; returns whether they are. */
    boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return running();
    }

    /** Blocks until some application stops on its own (an error) or the service is closed. */
    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * With states written behind their events ({@code states.replayEvents}): asks every detector task to write what it
     * holds before the applications close, so that their last commits hold every event's state and the next start
     * (this instance's, or another's taking the partitions over) replays nothing; a task that does not within
     * {@link #DRAIN_TIMEOUT} (a stream thread stuck on an unreachable broker, a task still restoring) replays at the
     * next start as after a crash.
     */
    private void drainHeldStates() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        heldStates.forEach(dev.vigil.stream.HeldStates::askToDrain); // every topology's tasks asked, then awaited
        for (int i = 0; i < heldStates.size(); i++) {
            int tasks = heldStates.get(i).tasks();
            if (tasks == 0) {
                continue; // (no task here writes behind: writing behind is off, or the topology does not apply it)
            }
            try {
                int left = heldStates.get(i).drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (left > 0) {
                    LOG.warn("topology {}: {} task(s) did not write the states they hold behind within {} s; they"
                            + " replay their events at the next start", names.get(i), left, DRAIN_TIMEOUT.toSeconds());
                } else {
                    LOG.info("topology {}: the {} task(s) here wrote the states they held behind", names.get(i),
                            tasks);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (trainer != null) {
            trainer.close();
        }
        drainHeldStates();
        for (int i = 0; i < applications.size(); i++) {
            // leave the group at once, so that another instance (or this one restarted) takes the partitions over
            // without waiting for the session timeout
            if (applications.get(i).close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT))) {
                // logged here, by the closing thread: Streams tells its state listener of NOT_RUNNING only after
                // close() has returned, and a JVM shutting down may halt before that line is written
                LOG.info("topology {}: closed", names.get(i));
            } else {
                LOG.warn("topology {}: the Streams application did not stop within {} s", names.get(i),
                        CLOSE_TIMEOUT.toSeconds());
            }
        }
        meters.close();
        metrics.close();
        stopped.countDown();
    }
}
