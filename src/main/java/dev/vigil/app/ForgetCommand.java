package dev.vigil.app;

import dev.vigil.BadConfigException;
import dev.vigil.config.TopologyConfig;
import dev.vigil.config.TopologyConfigLoader;
import dev.vigil.stream.ForgetRequests;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

    @Option(names = "--key", description = "Sensor key to forget (repeat for several).")
    List<String> keys;

    @Option(names = "--keys-file", paramLabel = "FILE", description = "A file of keys to forget, one a line (UTF-8;"
            + " blank lines and lines starting with # skipped; - for standard input).")
    Path keysFile;

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
        List<String> all = keys(keys, keysFile == null ? null : keysFile.toString().equals("-")
                ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : readKeys(keysFile));
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(KafkaOptions.producerProperties(kafka.appConfig()))) {
            for (String key : all) {
                RecordMetadata m = producer.send(new ProducerRecord<>(target, partition, null, key, null,
                        ForgetRequests.headers("vigil forget"))).get();
                o.printf("asked to forget key %s: %s-%d@%d%n", key, m.topic(), m.partition(), m.offset());
            }
            o.flush();
        }
        return 0;
    }

    /**
     * The keys to forget: those of {@code --key}, then the file's lines (each as it is, but for a trailing carriage
     * return; blank lines and lines starting with {@code #} skipped), each once, in that order.
     *
     * @param options   the {@code --key} values, or null
     * @param fileLines the keys file's text, or null without one
     * @throws BadConfigException when there is no key, or a {@code --key} is empty
     */
    static List<String> keys(List<String> options, String fileLines) {
        Set<String> out = new LinkedHashSet<>();
        for (String key : options == null ? List.<String>of() : options) {
            if (key.isEmpty()) {
                throw new BadConfigException("--key must not be empty");
            }
            out.add(key);
        }
        if (fileLines != null) {
            for (String line : fileLines.split("\n", -1)) {
                String key = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (!key.isBlank() && !key.startsWith("#")) {
                    out.add(key);
                }
            }
        }
        if (out.isEmpty()) {
            throw new BadConfigException(fileLines == null ? "give the keys to forget: --key K or --keys-file FILE"
                    : "--keys-file holds no key (blank lines and # comments are skipped)");
        }
        return List.copyOf(out);
    }

    private static String readKeys(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadConfigException("cannot read --keys-file " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.toString()), e);
        }
    }
}
