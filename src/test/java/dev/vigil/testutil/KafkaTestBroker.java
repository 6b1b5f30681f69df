package dev.vigil.testutil;

import dev.vigil.app.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded Kafka broker per test JVM, shared by every integration test that asks for it: started
 * on first use (a cold start costs seconds), stopped when the JVM exits.
 *
 * <p>Use {@link #shared()} directly, or {@code @ExtendWith(KafkaTestBroker.class)} to have an
 * {@link EmbeddedKafkaBroker} parameter injected into test methods, constructors or lifecycle methods.
 * Tests sharing the broker must not assume it is empty: each uses its own topic and group names.
 */
public final class KafkaTestBroker implements ParameterResolver {
    private static EmbeddedKafkaBroker broker;

    /** The shared broker, started now if this is the first call in this JVM. */
    public static synchronized EmbeddedKafkaBroker shared() {
        if (broker == null) {
            EmbeddedKafkaBroker started = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-broker-shutdown"));
            broker = started;
        }
        return broker;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return shared();
    }
}
