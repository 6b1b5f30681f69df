package dev.vigil.app.broker;

import dev.vigil.VigilException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Creates a topic and returns only once every partition's leader accepts requests (the embedded broker's tests and
 * benchmarks), or waits for that on a topic just created ({@code vigil run} and {@code demo} at startup).
 *
 * <p>In KRaft, CreateTopics returns when the controller has committed the topic, before the broker has
 * taken leadership of every partition. A producer that writes in that window gets NOT_LEADER_OR_FOLLOWER
 * for some batches while later ones succeed, and an idempotent producer can then retry the first batch
 * with OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout (seen with Kafka 4.4 on a fresh topic).
 * ListOffsets is answered only by a partition's leader. Admin retries it while the leader moves, but a broker that is
 * named leader in the metadata before its replica manager hosts the partition answers UNKNOWN_TOPIC_OR_PARTITION,
 * which Admin hands back; that error is retriable, so it is retried here until the deadline.
 */
public final class WritableTopics {
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

    private WritableTopics() {
    }

    static void create(Admin admin, NewTopic topic, Duration timeout) {
        String name = topic.name();
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new VigilException("creating topic " + name + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new VigilException("topic " + name + " was not created within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException("interrupted while creating topic " + name, e);
        }
        awaitWritable(admin, name, timeout);
    }

    /**
     * Returns once every partition of topic {@code name} has a leader that accepts requests.
     *
     * @throws VigilException when that takes longer than {@code timeout}, or the cluster refuses
     */
    public static void awaitWritable(Admin admin, String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(name);
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                    .map(p -> new TopicPartition(name, p.partition()))
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            awaitLeaders(admin, latest, deadline);
        } catch (ExecutionException e) {
            throw new VigilException("topic " + name + " is not writable: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new VigilException("topic " + name + " was not ready within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException("interrupted while waiting for topic " + name, e);
        }
    }

    private static void awaitLeaders(Admin admin, Map<TopicPartition, OffsetSpec> partitions, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                admin.listOffsets(partitions).all().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || left < RETRY_PAUSE.toNanos()) {
                    throw e;
                }
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        }
    }
}
