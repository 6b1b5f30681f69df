package dev.vigil.app.bench;

import dev.vigil.VigilException;
import dev.vigil.app.broker.WritableTopics;
import dev.vigil.config.TopologyConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates a benchmark run's topics (the models topic compacted) and waits until every partition takes writes. */
final class BenchTopics {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private BenchTopics() {
    }

    static void create(String bootstrap, int partitions, TopologyConfig topology, String countsTopic)
            throws InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(topology.inputTopic(), topology.scoresTopic(), topology.alertsTopic(),
                topology.dlqTopic(), countsTopic)) {
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        topics.add(new NewTopic(topology.modelsTopic(), partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // the controller has the topics; wait until each partition's leader takes writes (see WritableTopics)
            for (NewTopic topic : topics) {
                WritableTopics.awaitWritable(admin, topic.name(), TIMEOUT);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new VigilException("cannot create the benchmark topics at " + bootstrap + ": " + e.getMessage(), e);
        }
    }
}
