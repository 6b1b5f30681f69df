package dev.vigil.app.http;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the Kafka cluster answers, for {@code /ready}: an Admin client asks {@code describeCluster} every
 * {@link #PERIOD}, each answer due within {@link #TIMEOUT}, on a daemon thread of its own, and {@link #reason()}
 * reads the last outcome, so that a readiness check never waits on the cluster. The cluster counts as unreachable
 * after {@value #FAILURES_TO_UNREACHABLE} failed probes in a row (a few seconds), and reachable again at the first
 * answer; each change is logged once.
 *
 * <p>Why a probe of its own: through a broker outage Kafka Streams stays RUNNING (its clients retry and the thread
 * waits), so the applications' states alone would call an instance that is cut off from its cluster ready.
 *
 * <p>Thread-safe.
 */
public final class ClusterProbe implements AutoCloseable {
    /** Time between two probes. */
    public static final Duration PERIOD = Duration.ofSeconds(1);
    /** Time a probe's {@code describeCluster} has to answer. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Failed probes in a row after which the cluster counts as unreachable. */
    static final int FAILURES_TO_UNREACHABLE = 2;
    /** Client id of the probe's Admin client: names it in Kafka's own log lines. */
    static final String CLIENT_ID = "vigil-ready-probe";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterProbe.class);

    private final String bootstrapServers;
    private final Admin admin;
    private final ScheduledExecutorService executor;
    /** Written by the probe thread only. */
    private int failuresInARow;
    private long firstFailureNanos;
    /** Why the cluster is unreachable, or null while it answers. */
    private volatile String reason;
    private volatile long unreachableSinceNanos;

    private ClusterProbe(String bootstrapServers, Admin admin) {
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, CLIENT_ID);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts probing the cluster at {@code bootstrapServers} with an Admin client made of {@code adminProperties}
     * (the service's pass-through Kafka settings, e.g. security), whose timeouts are replaced by {@link #TIMEOUT}.
     */
    public static ClusterProbe start(String bootstrapServers, Map<String, Object> adminProperties) {
        Map<String, Object> p = new HashMap<>(adminProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        ClusterProbe probe = new ClusterProbe(bootstrapServers, Admin.create(p));
        probe.executor.scheduleWithFixedDelay(probe::probe, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Null while the cluster answers; else why not, e.g. {@code "Kafka at host:9092 unreachable for 12 s: ..."}. */
    public String reason() {
        String r = reason;
        return r == null ? null : "Kafka at " + bootstrapServers + " unreachable for "
                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unreachableSinceNanos) + " s: " + r;
    }

    /** 1 while the cluster answers, 0 while it is unreachable: the {@code vigil.kafka.reachable} gauge. */
    public double reachable() {
        return reason == null ? 1 : 0;
    }

    private void probe() {
        String failure;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).clusterId()
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            answered();
            return;
        } catch (ExecutionException e) {
            failure = e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException t
                    ? "no answer within " + TIMEOUT.toMillis() + " ms (" + t.getMessage() + ")"
                    : String.valueOf(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            failure = "no answer within " + TIMEOUT.toMillis() * 2 + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            failure = e.toString();
        }
        failed(failure);
    }

    private void answered() {
        failuresInARow = 0;
        if (reason != null) {
            LOG.info("Kafka at {} reachable again after {} s; /ready follows the Streams applications again",
                    bootstrapServers, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unreachableSinceNanos));
            reason = null;
        }
    }

    private void failed(String failure) {
        if (failuresInARow++ == 0) {
            firstFailureNanos = System.nanoTime();
        }
        if (failuresInARow >= FAILURES_TO_UNREACHABLE) {
            if (reason == null) {
                unreachableSinceNanos = firstFailureNanos;
                LOG.warn("Kafka at {} unreachable ({} probes in a row failed: {}); /ready answers 503 until it"
                        + " answers again", bootstrapServers, failuresInARow, failure);
            }
            reason = failure;
        }
    }

    /** Stops probing and closes the Admin client. */
    @Override
    public void close() {
        executor.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
