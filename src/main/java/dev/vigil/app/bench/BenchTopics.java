package dev.vigil.app.bench;

import dev.vigil.VigilException;
import dev.vigil.config.TopologyConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates a benchmark run's topics (the models topic compacted) and waits until every partition has a leader. */
final class BenchTopics {
    private static final long TIMEOUT_MS = 60_000;

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
            admin.createTopics(topics).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (!allLed(admin, names)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new VigilException("benchmark topics have no leaders after " + TIMEOUT_MS + " ms");
                }
                Thread.sleep(100);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new VigilException("cannot create the benchmark topics at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private static boolean allLed(Admin admin, List<String> names) throws InterruptedException {
        try {
            for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
                if (d.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
                    return false;
                }
            }
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
