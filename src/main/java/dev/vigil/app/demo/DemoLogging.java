package dev.vigil.app.demo;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import dev.vigil.VigilException;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.nio.file.Path;

/**
 * The demo's logging (logback-demo.xml): every line to a file, and to the console only Vigil's own (loggers under
 * {@code dev.vigil}), so that the embedded broker's and the Kafka clients' lines do not bury the alerts.
 * {@link #close} returns to the default configuration (logback.xml). Not for concurrent demos in one JVM: the
 * configuration is the process's.
 */
public final class DemoLogging implements AutoCloseable {
    /** The property logback-demo.xml names its file by. */
    static final String FILE_PROPERTY = "vigil.demo.log";
    private static final String CONFIGURATION = "/logback-demo.xml";

    private final LoggerContext context;
    private final Path file;

    private DemoLogging(LoggerContext context, Path file) {
        this.context = context;
        this.file = file;
    }

    /** Routes logging as described above, writing (from its start) to {@code file}. */
    public static DemoLogging toFile(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        URL configuration = DemoLogging.class.getResource(CONFIGURATION);
        context.reset();
        context.putProperty(FILE_PROPERTY, file.toAbsolutePath().toString());
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new VigilException("cannot configure the demo's logging from " + configuration + ": " + e.getMessage(), e);
        }
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
        return new DemoLogging(context, file);
    }

    /** The file every line goes to. */
    public Path file() {
        return file;
    }

    /** Closes the file and returns to the default configuration. */
    @Override
    public void close() {
        context.reset();
        try {
            new ContextInitializer(context).autoConfig();
        } catch (JoranException e) {
            throw new VigilException("cannot restore the default logging configuration: " + e.getMessage(), e);
        }
    }
}
