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
 * which Admin hands back, and DescribeTopics can do the same on a broker whose metadata has not caught up yet; that
 * error is retriable, so both are retried here until the deadline.
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
            while (!leadersAnswer(admin, name, deadline)) {
                Thread.sleep(RETRY_PAUSE.toMillis());
            }
        } catch (ExecutionException e) {
            throw new VigilException("topic " + name + " is not writable: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new VigilException("topic " + name + " was not ready within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VigilException("interrupted while waiting for topic " + name, e);
        }
    }

    /**
     * Describes the topic and asks every partition's leader for its latest offset: true when all answered, false
     * after a retriable error (a broker that does not know the topic yet, in either request) with time left to retry.
     */
    private static boolean leadersAnswer(Admin admin, String name, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(left(deadline), TimeUnit.NANOSECONDS).get(name);
            Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
                    .map(p -> new TopicPartition(name, p.partition()))
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
            admin.listOffsets(latest).all().get(left(deadline), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RetriableException) || left(deadline) < RETRY_PAUSE.toNanos()) {
                throw e;
            }
            return false;
        }
    }

    private static long left(long deadline) {
        return Math.max(deadline - System.nanoTime(), 0);
    }
}
