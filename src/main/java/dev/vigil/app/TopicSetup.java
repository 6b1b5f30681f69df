package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.VigilException;
import dev.vigil.app.broker.WritableTopics;
import dev.vigil.config.AppConfig;
import dev.vigil.config.TopologyConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Startup chores against the cluster: wait (with clear log lines) until the brokers answer, then create the
 * topics a topology needs when they are missing and creation is allowed, and check that each models topic is
 * partitioned like its input. The models topic is compacted.
 */
final class TopicSetup {
    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    /** Pause between attempts to reach the cluster, doubled up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** Time the first attempt to reach the cluster has to get an answer, doubled up to {@link #MAX_ATTEMPT}. */
    static final Duration FIRST_ATTEMPT = Duration.ofMillis(1500);
    static final Duration MAX_ATTEMPT = Duration.ofSeconds(15);
    /** Client id of the Admin that waits for the cluster: names it in Kafka's own log lines. */
    static final String PROBE_CLIENT_ID = "vigil-cluster-probe";
    /** How long a created topic's partitions may take to get leaders that accept writes. */
    static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {
    }

    static Map<String, Object> adminProperties(AppConfig app) {
        Map<String, Object> p = new HashMap<>(app.kafka());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    /**
     * Blocks until the cluster answers, or until {@code giveUpAfter} has passed (then a {@link VigilException}).
     * Each attempt is a new Admin client given {@link #FIRST_ATTEMPT} to answer (doubling per attempt up to
     * {@link #MAX_ATTEMPT}), so the first "unreachable" line comes within about 2 s; a log line per attempt, and
     * a pause of {@link #FIRST_BACKOFF} doubling up to {@link #MAX_BACKOFF} between attempts. Interrupt to stop.
     */
    static void awaitCluster(AppConfig app, Duration giveUpAfter) throws InterruptedException {
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        Duration attemptTime = FIRST_ATTEMPT;
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            String failure;
            long attemptEnd = System.nanoTime() + attemptTime.toNanos();
            try (Admin admin = Admin.create(probeProperties(app, attemptTime))) {
                // the client's creation counts too (its classes load on the first attempt)
                int left = (int) Math.max(TimeUnit.NANOSECONDS.toMillis(attemptEnd - System.nanoTime()), 100);
                String cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(left))
                        .clusterId().get(left + FIRST_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Kafka cluster {} reachable at {}", cluster, app.bootstrapServers());
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException | org.apache.kafka.common.KafkaException e) {
                failure = timedOut(e) ? "no answer within " + seconds(attemptTime) + " s" : rootMessage(e);
            }
            if (System.nanoTime() + backoff.toNanos() > deadline) {
                throw new VigilException("Kafka at " + app.bootstrapServers() + " is unreachable after " + attempt
                        + (attempt == 1 ? " attempt: " : " attempts: ") + failure);
            }
            LOG.warn("Kafka at {} is unreachable (attempt {}: {}); retrying in {} s", app.bootstrapServers(), attempt,
                    failure, backoff.toSeconds());
            Thread.sleep(backoff.toMillis());
            backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            attemptTime = min(attemptTime.multipliedBy(2), MAX_ATTEMPT);
        }
    }

    /**
     * Admin settings for one attempt at reaching the cluster: it answers within {@code attempt}, and connects to
     * each bootstrap server once in that time, so the Kafka client's own "could not be established" warning comes
     * once per attempt instead of at every reconnect (50 ms, doubling up to 1 s, by default).
     */
    static Map<String, Object> probeProperties(AppConfig app, Duration attempt) {
        Map<String, Object> p = adminProperties(app);
        String timeout = Long.toString(attempt.toMillis());
        String reconnect = Long.toString(attempt.multipliedBy(2).toMillis());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, PROBE_CLIENT_ID);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, reconnect);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, reconnect);
        return p;
    }

    private static boolean timedOut(Exception e) {
        return e instanceof java.util.concurrent.TimeoutException
                || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) > 0 ? b : a;
    }

    /** The topics a topology reads and writes, with their settings. */
    static List<NewTopic> topicsFor(TopologyConfig t, AppConfig app) {
        short rf = (short) app.replicationFactor();
        List<NewTopic> out = new ArrayList<>();
        for (String name : List.of(t.inputTopic(), t.scoresTopic(), t.alertsTopic(), t.dlqTopic())) {
            out.add(new NewTopic(name, app.partitions(), rf));
        }
        out.add(new NewTopic(t.modelsTopic(), app.partitions(), rf)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return out;
    }

    /**
     * Creates whichever of the topology's topics are missing; returns the names created. A models topic is created
     * with its input topic's partition count when the input exists already ({@link #checkModelPartitions}).
     */
    static List<String> createMissing(AppConfig app, List<TopologyConfig> topologies) throws InterruptedException {
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(adminProperties(app))) {
            Set<String> existing = admin.listTopics().names().get();
            Map<String, Integer> inputs = partitionCounts(admin, topologies.stream().map(TopologyConfig::inputTopic)
                    .filter(existing::contains).toList());
            Map<String, NewTopic> wanted = new java.util.LinkedHashMap<>();
            for (TopologyConfig t : topologies) {
                for (NewTopic n : topicsFor(t, app)) {
                    Integer input = inputs.get(t.inputTopic());
                    wanted.putIfAbsent(n.name(), n.name().equals(t.modelsTopic()) && input != null
                            ? new NewTopic(n.name(), input, n.replicationFactor()).configs(n.configs()) : n);
                }
            }
            for (NewTopic topic : wanted.values()) {
                if (existing.contains(topic.name())) {
                    continue;
                }
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    // producers (Streams', the demo's) may write at once: a bare CreateTopics returns before the
                    // partitions' leaders accept writes
                    WritableTopics.awaitWritable(admin, topic.name(), TOPIC_READY_TIMEOUT);
                    created.add(topic.name());
                    LOG.info("created topic {} ({} partitions, replication {})", topic.name(), topic.numPartitions(),
                            topic.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new VigilException("cannot create topic " + topic.name() + ": " + rootMessage(e), e);
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new VigilException("cannot list topics at " + app.bootstrapServers() + ": " + rootMessage(e), e);
        }
        return created;
    }

    /**
     * Refuses to start ({@link BadConfigException}, one line naming both topics and their partition counts) when a
     * topology's models topic and input topic both exist with different partition counts: a key's model is kept by
     * the task of its events' partition, so the models topic must be partitioned like the input (a topology with a
     * key field repartitions into a topic with the input's count). Topics not there yet are left to Kafka Streams.
     */
    static void checkModelPartitions(AppConfig app, List<TopologyConfig> topologies) throws InterruptedException {
        try (Admin admin = Admin.create(adminProperties(app))) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> names = new ArrayList<>();
            for (TopologyConfig t : topologies) {
                names.add(t.inputTopic());
                names.add(t.modelsTopic());
            }
            Map<String, Integer> counts = partitionCounts(admin, names.stream().filter(existing::contains).distinct().toList());
            for (TopologyConfig t : topologies) {
                Integer input = counts.get(t.inputTopic());
                Integer models = counts.get(t.modelsTopic());
                if (input != null && models != null && !input.equals(models)) {
                    throw new BadConfigException(modelPartitionsMismatch(t, input, models));
                }
            }
        } catch (ExecutionException e) {
            throw new VigilException("cannot describe topics at " + app.bootstrapServers() + ": " + rootMessage(e), e);
        }
    }

    /** The one line that refuses a models topic partitioned unlike its input. */
    static String modelPartitionsMismatch(TopologyConfig t, int input, int models) {
        return "topology " + t.name() + ": models topic " + t.modelsTopic() + " has " + models + " partition(s) but input"
                + " topic " + t.inputTopic() + " has " + input + "; they must be equal (each key's model is kept with"
                + " its events' partition): migrate the models to a topic with " + input + " partitions (vigil"
                + " migrate-models, see docs/operations.md)";
    }

    private static Map<String, Integer> partitionCounts(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException {
        Map<String, Integer> out = new HashMap<>();
        if (!topics.isEmpty()) {
            admin.describeTopics(topics).allTopicNames().get()
                    .forEach((name, d) -> out.put(name, d.partitions().size()));
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
