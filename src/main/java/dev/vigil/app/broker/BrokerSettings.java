package dev.vigil.app.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker properties of a single-node KRaft cluster on the loopback interface: one process that is
 * both broker and (the only) controller, and every internal topic at replication factor 1.
 */
final class BrokerSettings {
    static final String HOST = "127.0.0.1";
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final int NODE_ID = 1;

    /** Segments small enough that a demo or test never writes hundreds of MB of preallocated files. */
    private static final String SEGMENT_BYTES = Integer.toString(1024 * 1024);
    /** Internal topics get few partitions: each one costs files and coordinator work on first use. */
    private static final String INTERNAL_TOPIC_PARTITIONS = "4";
    /** How long a produce request may wait for its transaction's previous commit (below the 30 s request timeouts). */
    private static final String ADD_PARTITIONS_RETRY_MAX_MS = "5000";

    private BrokerSettings() {
    }

    /**
     * Properties for a node listening on {@code brokerPort} (clients) and {@code controllerPort} (KRaft),
     * storing data under {@code dataDir}; {@code overrides} are applied last and win.
     */
    static Map<String, String> forNode(Path dataDir, int brokerPort, int controllerPort,
                                       Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());

        // One node: every replicated internal topic must accept a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("offsets.topic.segment.bytes", SEGMENT_BYTES);
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("transaction.state.log.segment.bytes", SEGMENT_BYTES);
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        p.put("share.coordinator.state.topic.segment.bytes", SEGMENT_BYTES);
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");

        // Topics are created on purpose (Admin / Kafka Streams), never by a typo in a producer.
        p.put("auto.create.topics.enable", "false");
        // A single consumer should not wait 3 s for company before its first assignment.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Transactions v2: the partition leader adds a transaction's partitions at their first produce request and is
        // told CONCURRENT_TRANSACTIONS while the previous commit's markers are being written. It retries for this long,
        // then refuses the request, and the requests the producer pipelined behind it arrive out of sequence
        // (ReplicaManager logs OutOfOrderSequenceException at ERROR). The default, 100 ms, is shorter than a fresh
        // broker's first commit (0.8-0.9 s measured; 25-170 ms once warm).
        p.put("add.partitions.to.txn.retry.backoff.max.ms", ADD_PARTITIONS_RETRY_MAX_MS);

        p.put("log.segment.bytes", SEGMENT_BYTES);
        p.put("log.index.size.max.bytes", Integer.toString(64 * 1024));
        // The cleaner preallocates this buffer; 128 MB by default is a lot inside someone else's JVM.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        // Threads sized for a laptop or CI box, not a production host.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.putAll(overrides);
        return p;
    }

    /**
     * {@code count} different TCP ports on {@link #HOST} that were free a moment ago: all bound at once, so that no
     * two are the same (one bound and closed after the other, the system may hand out the same port twice, and a
     * broker whose listener and controller share a port does not start). Another process can take one before the
     * broker binds it; {@link EmbeddedKafkaBroker} retries with new ports when that happens.
     */
    static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // the port was only held to keep it from the next one: nothing to undo
        }
    }
}
