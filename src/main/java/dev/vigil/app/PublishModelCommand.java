package dev.vigil.app;

import dev.vigil.BadBytesException;
import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.stream.ModelRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil publish-model}: put a model payload on the models topic, after checking it decodes. */
@Command(name = "publish-model", mixinStandardHelpOptions = true,
        description = "Validate a model payload and publish it to the models topic under a key.")
final class PublishModelCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--file", required = true, description = "Model payload (from vigil train).")
    Path file;

    @Option(names = "--key", required = true, description = "Sensor key the model is for.")
    String key;

    @Option(names = "--partition", description = "Partition of the models topic to publish to: the one the key's events"
            + " are in, when their producer does not use the Java client's partitioner (e.g. librdkafka's). Default: the"
            + " Java client's partition for the key; every partition for the shared model (key 'shared').")
    Integer partition;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology file naming the models topic.")
    Path topology;

    @Option(names = "--topic", description = "Models topic (overrides the topology's). Default: vigil.models.")
    String topic;

    @Override
    public Integer call() throws Exception {
        byte[] payload = Files.readAllBytes(file);
        LstmModel model;
        try {
            model = ModelCodec.decode(payload);
        } catch (BadBytesException e) {
            throw new BadBytesException(file + " is not a valid model payload: " + e.getMessage(), e);
        }
        TopologyConfig t = topology == null ? TopologyConfig.defaults() : TopologyConfigLoader.load(topology);
        String target = topic != null ? topic : t.modelsTopic();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(kafka.appConfig()))) {
            if (ModelRecords.shared(key) && partition != null) {
                throw new BadConfigException("--partition does not apply to the shared model: it goes to every partition");
            }
            PrintWriter o = spec.commandLine().getOut();
            for (ProducerRecord<String, byte[]> r : ModelRecords.of(target, key, payload,
                    producer.partitionsFor(target).size(), partition)) {
                RecordMetadata m = producer.send(r).get();
                o.printf("published model %s v%d (%d bytes) for key %s to %s-%d@%d%n", model.info().modelId(),
                        model.info().version(), payload.length, key, m.topic(), m.partition(), m.offset());
            }
            o.flush();
        }
        return 0;
    }
}
