package dev.vigil.app;

import dev.vigil.VigilException;
import dev.vigil.eval.CsvSeries;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** {@code vigil replay}: publish a CSV series as sensor events. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publish a CSV series (timestamp,value) as JSON events {\"ts\": epochMillis, \"value\": v} under one key.")
final class ReplayCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--file", required = true, description = "CSV series, header timestamp,value.")
    Path file;

    @Option(names = "--topic", defaultValue = "sensor-events", description = "Events topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--key", required = true, description = "Sensor key of every event.")
    String key;

    @Option(names = "--rate", paramLabel = "N/s", description = "Events per second (e.g. 100/s). Default: as fast as possible.")
    String rate;

    @Override
    public Integer call() throws Exception {
        double perSecond = parseRate(rate);
        CsvSeries series = CsvSeries.read(file, file.getFileName().toString());
        long start = System.nanoTime();
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicInteger acknowledged = new AtomicInteger();
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(kafka.appConfig()))) {
            // a failed send (a topic that never appears, an unreachable cluster) stops the replay: the events after a
            // gap would read as the series without it
            for (int i = 0; i < series.size() && failed.get() == null; i++) {
                if (perSecond > 0) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                producer.send(new ProducerRecord<>(topic, key, event(series.epochMillis()[i], series.numbers()[i])),
                        (metadata, e) -> {
                            if (e == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failed.compareAndSet(null, e);
                            }
                        });
                sent++;
            }
            producer.flush();
        }
        if (failed.get() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "error: %d of %d events for key %s published to %s, then a send failed (%s);"
                    + " the replay stopped after %d sends%n", acknowledged.get(), series.size(), key, topic,
                    failed.get().getMessage(), sent);
            err.flush();
            return 1;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "published %d events for key %s to %s in %.1f s%n", series.size(), key, topic,
                (System.nanoTime() - start) / 1e9);
        o.flush();
        return 0;
    }

    /** The JSON event for one reading. */
    static byte[] event(long epochMillis, double value) {
        return ("{\"ts\":" + epochMillis + ",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    static double parseRate(String text) {
        if (text == null) {
            return 0;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        }
        try {
            double r = Double.parseDouble(t);
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new VigilException("--rate must look like 100/s (a positive number per second), got '" + text + "'");
        }
    }
}
