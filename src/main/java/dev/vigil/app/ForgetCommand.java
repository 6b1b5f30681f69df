package dev.vigil.app;

import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.stream.ForgetRequests;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code vigil forget}: ask the instance holding each key to forget it (a decommissioned sensor): a request on the
 * input topic ({@link ForgetRequests}), in the partition of the key's events, so it is carried out in order with them.
 */
@Command(name = "forget", mixinStandardHelpOptions = true,
        description = "Ask Vigil to forget keys now: their state, history and own model deleted, an open alert closed.")
final class ForgetCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--key", required = true, description = "Sensor key to forget (repeat for several).")
    List<String> keys;

    @Option(names = "--partition", description = "Partition of the input topic the keys' events are in, when their"
            + " producer does not use the Java client's partitioner (e.g. librdkafka's). Default: the Java client's"
            + " partition for each key; with the topology's keyField, leave it out.")
    Integer partition;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology file naming the input topic.")
    Path topology;

    @Option(names = "--topic", description = "Input topic (overrides the topology's). Default: sensor-events.")
    String topic;

    @Override
    public Integer call() throws Exception {
        TopologyConfig t = topology == null ? TopologyConfig.defaults() : TopologyConfigLoader.load(topology);
        String target = topic != null ? topic : t.inputTopic();
        PrintWriter o = spec.commandLine().getOut();
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(KafkaOptions.producerProperties(kafka.appConfig()))) {
            for (String key : keys) {
                if (key.isEmpty()) {
                    throw new dev.vigil.BadConfigException("--key must not be empty");
                }
                RecordMetadata m = producer.send(new ProducerRecord<>(target, partition, null, key, null,
                        ForgetRequests.headers("vigil forget"))).get();
                o.printf("asked to forget key %s: %s-%d@%d%n", key, m.topic(), m.partition(), m.offset());
            }
            o.flush();
        }
        return 0;
    }
}
