package dev.vigil.app.broker;

import dev.vigil.BadConfigException;
import dev.vigil.VigilException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka cluster (KRaft, broker and controller in one node) running inside this JVM,
 * listening on free ports of 127.0.0.1. Used by {@code vigil demo} and by the integration tests.
 *
 * <p>Internal topics (consumer offsets, transaction state, share-group state) have replication factor 1,
 * so consumer groups and transactions (exactly_once_v2) work; topics are never auto-created. Cold start
 * takes a few seconds; {@link #start} returns once the broker answers an Admin {@code describeCluster}.
 *
 * <p>{@link #stop} and {@link #restart} take the node down and bring it back on the same log directory and ports
 * (a broker outage, as the fault tests inject it): clients see the same cluster, with every record, offset and
 * transaction it had.
 *
 * <p>Thread-safe. {@link #close} stops the node and deletes the log directory if this class created it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    /** How long {@link #start} waits for the broker to answer before giving up. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int BIND_ATTEMPTS = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final Path logDir;
    private final boolean ownsLogDir;
    /** The node's settings: {@link #restart} starts it again with the same ones (log directory, ports). */
    private final KafkaConfig config;
    /** The running node, or null while stopped. */
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, KafkaConfig config, String bootstrapServers, Path logDir,
                                boolean ownsLogDir) {
        this.server = server;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
    }

    /** Starts a broker on a new temporary log directory, deleted again by {@link #close}. */
    public static EmbeddedKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("vigil-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
        return start(dir, Map.of(), true);
    }

    /**
     * Starts a broker storing its data in {@code logDir} (created and formatted if needed; kept by
     * {@link #close}), with {@code brokerProperties} overriding the single-node defaults, e.g.
     * {@code log.retention.ms}.
     */
    public static EmbeddedKafkaBroker start(Path logDir, Map<String, String> brokerProperties) {
        return start(logDir, Map.copyOf(brokerProperties), false);
    }

    private static EmbeddedKafkaBroker start(Path logDir, Map<String, String> overrides, boolean ownsLogDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka log directory " + logDir, e);
        }
        boolean started = false;
        try {
            EmbeddedKafkaBroker broker = startRetryingPorts(logDir, overrides, ownsLogDir);
            started = true;
            return broker;
        } finally {
            if (!started && ownsLogDir) {
                deleteRecursively(logDir);
            }
        }
    }

    private static EmbeddedKafkaBroker startRetryingPorts(Path logDir, Map<String, String> overrides,
                                                          boolean ownsLogDir) {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnFreePorts(logDir, overrides, ownsLogDir);
            } catch (PortTakenException e) {
                if (attempt == BIND_ATTEMPTS) {
                    throw new VigilException("Kafka broker could not bind a port after " + attempt
                            + " attempts: " + e.getCause().getMessage(), e.getCause());
                }
                LOG.info("port taken while starting the Kafka broker, retrying on other ports");
            }
        }
    }

    private static EmbeddedKafkaBroker startOnFreePorts(Path logDir, Map<String, String> overrides,
                                                        boolean ownsLogDir) {
        int[] ports = BrokerSettings.freePorts(2);
        int brokerPort = ports[0];
        int controllerPort = ports[1];
        KafkaConfig config;
        try {
            config = new KafkaConfig(BrokerSettings.forNode(logDir, brokerPort, controllerPort, overrides), false);
        } catch (ConfigException e) {
            throw new BadConfigException("invalid embedded Kafka broker settings: " + e.getMessage(), e);
        }
        long begin = System.nanoTime();
        KraftStorage.format(config);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = BrokerSettings.HOST + ":" + brokerPort;
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (RuntimeException | Error e) {
            stopQuietly(server);
            if (bindFailure(e) != null) {
                throw new PortTakenException(bindFailure(e));
            }
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms (log dir {})", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), logDir);
        return new EmbeddedKafkaBroker(server, config, bootstrap, logDir, ownsLogDir);
    }

    /** Polls {@code describeCluster} until it lists a node, or fails after {@link #STARTUP_TIMEOUT}. */
    private static void awaitReady(String bootstrap) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
        Exception last = null;
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    var cluster = admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) PROBE_TIMEOUT.toMillis()));
                    if (!cluster.nodes().get().isEmpty() && cluster.clusterId().get() != null) {
                        return;
                    }
                } catch (ExecutionException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException("interrupted while waiting for the Kafka broker at " + bootstrap, e);
        }
        throw new VigilException("Kafka broker at " + bootstrap + " did not answer describeCluster within "
                + STARTUP_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getCause()),
                last == null ? new TimeoutException() : last);
    }

    /** {@code host:port} of the PLAINTEXT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions (replication factor 1) and returns once
     * every partition's leader accepts requests: a producer writing right after a bare CreateTopics can
     * stall until its delivery timeout. Throws {@link VigilException} if the topic exists.
     */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty());
            WritableTopics.create(admin, newTopic, ADMIN_TIMEOUT);
        }
    }

    /** Where the node keeps its data and metadata log. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Shuts the node down and waits for it, keeping its log directory and ports for {@link #restart}: until then
     * clients find nothing listening at {@link #bootstrapServers}. Idempotent.
     */
    public synchronized void stop() {
        if (closed || server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.info("Kafka broker at {} stopped (log dir {} kept)", bootstrapServers, logDir);
    }

    /**
     * Starts the node stopped by {@link #stop} again, on the same log directory and ports, and returns once it
     * answers {@code describeCluster}. Throws {@link VigilException} if a port was taken meanwhile, and
     * {@link IllegalStateException} if the node is running or closed.
     */
    public synchronized void restart() {
        if (closed || server != null) {
            throw new IllegalStateException("restart needs a stopped broker; " + bootstrapServers + " is "
                    + (closed ? "closed" : "running"));
        }
        long begin = System.nanoTime();
        KafkaRaftServer restarted = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            restarted.startup();
            awaitReady(bootstrapServers);
        } catch (RuntimeException | Error e) {
            stopQuietly(restarted);
            BindException bind = bindFailure(e);
            if (bind != null) {
                throw new VigilException("Kafka broker could not bind " + bootstrapServers + " again: "
                        + bind.getMessage(), bind);
            }
            throw e;
        }
        server = restarted;
        LOG.info("Kafka broker at {} restarted in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Shuts the node down and waits for it; deletes the log directory when {@link #start()} created it.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
        } finally {
            if (ownsLogDir) {
                deleteRecursively(logDir);
            }
        }
        LOG.info("Kafka broker at {} stopped", bootstrapServers);
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping a Kafka broker that failed to start", e);
        }
    }

    private static BindException bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        return null;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete Kafka log directory {}: {}", dir, e.toString());
        }
    }

    /** A listener port was taken between choosing it and binding it. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(BindException cause) {
            super(cause);
        }
    }
}
