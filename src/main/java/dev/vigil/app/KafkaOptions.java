package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.AppConfigLoader;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Where the Kafka cluster is, for the commands that talk to it: a config file, a bootstrap override, or both. */
final class KafkaOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Application settings (config/vigil.properties).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    /** The application settings: the file (if any) with the bootstrap override applied. */
    AppConfig appConfig() {
        if (config == null) {
            return AppConfig.defaults(bootstrapServers);
        }
        AppConfig c = AppConfigLoader.load(config);
        if (bootstrapServers == null) {
            return c;
        }
        return new AppConfig(bootstrapServers, c.applicationId(), c.stateDir(), c.createTopics(), c.partitions(),
                c.replicationFactor(), c.kafka(), c.trainerThreads(), c.trainerQueue());
    }

    /** Producer settings: the pass-through Kafka settings, then idempotent String/byte[] defaults. */
    static Properties producerProperties(AppConfig app) {
        Map<String, Object> p = new HashMap<>(app.kafka());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, app.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        Properties out = new Properties();
        out.putAll(p);
        return out;
    }
}
