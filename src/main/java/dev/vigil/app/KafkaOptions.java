package dev.vigil.app;

import dev.vigil.config.AppConfig;
import dev.vigil.config.AppConfigLoader;
import dev.vigil.config.EnvironmentSettings;
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
    @Option(names = "--config", paramLabel = "FILE", description = "Application settings (config/vigil.properties);"
            + " VIGIL_* environment variables override them.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Overrides bootstrap.servers.")
    String bootstrapServers;

    /** The application settings: the file (if any), then VIGIL_* environment variables, then --bootstrap-servers. */
    AppConfig appConfig() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (bootstrapServers != null) {
            env.put(EnvironmentSettings.variable("bootstrap.servers"), bootstrapServers);
        }
        return AppConfigLoader.load(config, env);
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
