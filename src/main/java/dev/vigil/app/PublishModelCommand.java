package dev.vigil.app;

import dev.vigil.BadBytesException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
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
            RecordMetadata m = producer.send(new ProducerRecord<>(target, key, payload)).get();
            PrintWriter o = spec.commandLine().getOut();
            o.printf("published model %s v%d (%d bytes) for key %s to %s-%d@%d%n", model.info().modelId(),
                    model.info().version(), payload.length, key, m.topic(), m.partition(), m.offset());
            o.flush();
        }
        return 0;
    }
}
