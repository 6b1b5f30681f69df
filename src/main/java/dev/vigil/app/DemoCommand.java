package dev.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.app.broker.EmbeddedKafkaBroker;
import dev.vigil.app.demo.DemoFleet;
import dev.vigil.app.demo.DemoLogging;
import dev.vigil.app.demo.DemoSummary;
import dev.vigil.app.demo.SyntheticSensor;
import dev.vigil.config.AppConfig;
import dev.vigil.config.HttpConfig;
import dev.vigil.config.TopologyConfig;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.TrainingInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code vigil demo}: everything in one process, no setup. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker, the detector, and synthetic sensors with injected anomalies;"
                + " print alerts as they happen and a summary at the end (after --duration or Ctrl-C).")
final class DemoCommand implements Callable<Integer> {
    /** Simulated time between two readings of a sensor. */
    static final Duration SIMULATED_STEP = Duration.ofMinutes(1);
    /** Simulated start of every demo. */
    static final Instant SIMULATED_START = Instant.parse("2026-01-01T00:00:00Z");
    /** An alert this many events after an injected anomaly still counts as catching it. */
    static final int GRACE_EVENTS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MACHINES_MODELS = "vigil.models.machines";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", defaultValue = "90s", paramLabel = "DURATION",
            description = "How long to run, e.g. 90s or 2m. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--rate", defaultValue = "25", description = "Readings per second per sensor. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the synthetic sensors. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--http-port", defaultValue = "8080", description = "Port of the HTTP endpoint on 127.0.0.1"
            + " (the dashboard, /health, /metrics, /sensors/<key>); when it is taken, any free port. -1: no endpoint."
            + " Default: ${DEFAULT-VALUE}.")
    int httpPort;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Duration runFor = DurationText.parse(duration, "--duration");
        if (!(rate > 0 && rate <= 10_000)) {
            throw new dev.vigil.BadConfigException("--rate must be in (0, 10000], got " + rate);
        }
        PrintWriter out = spec.commandLine().getOut();
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Path stateDir = Files.createTempDirectory("vigil-demo-state");
        Path logFile = Files.createTempFile("vigil-demo-", ".log");
        out.println("vigil demo: starting an embedded Kafka broker; the full log, Kafka's lines included, goes to " + logFile);
        out.flush();
        try (DemoLogging logging = DemoLogging.toFile(logFile);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            TopologyConfig sensors = TopologyConfig.defaults();
            TopologyConfig machines = new TopologyConfig("machines", "machine-events", null, DemoFleet.MACHINE_CHANNELS,
                    "ts", 0, 65_536, sensors.scoresTopic(), sensors.alertsTopic(), sensors.dlqTopic(),
                    MACHINES_MODELS, Map.of());
            AppConfig app = new AppConfig(broker.bootstrapServers(), "vigil-demo", stateDir, false, 2, 1, Map.of(),
                    httpPort < 0 ? HttpConfig.disabled() : new HttpConfig(true, "127.0.0.1", freeOr(httpPort), null));
            // the two topologies share their output topics: create each name once
            Set<String> topics = new LinkedHashSet<>();
            for (TopologyConfig t : List.of(sensors, machines)) {
                TopicSetup.topicsFor(t, app).forEach(topic -> topics.add(topic.name()));
            }
            topics.forEach(topic -> broker.createTopic(topic, app.partitions()));
            try (VigilService service = VigilService.start(app, List.of(sensors, machines), Duration.ofMinutes(1))) {
                if (!service.awaitRunning(Duration.ofMinutes(2))) {
                    throw new dev.vigil.VigilException("the detector did not reach RUNNING within 2 minutes");
                }
                if (service.http() != null) {
                    out.printf(Locale.ROOT, "vigil demo: dashboard at http://127.0.0.1:%d/ (also /health, /metrics,"
                            + " /sensors/pump-1, /sensors/turbine-1?topology=machines)%n", service.http().port());
                }
                DemoSummary summary = run(broker, sensors, machines, runFor, out);
                summary.print(out);
            }
        } finally {
            deleteQuietly(stateDir);
            finished.countDown();
        }
        return 0;
    }

    private DemoSummary run(EmbeddedKafkaBroker broker, TopologyConfig sensors, TopologyConfig machines, Duration runFor,
                            PrintWriter out) throws InterruptedException {
        List<SyntheticSensor> single = DemoFleet.sensors(seed);
        List<SyntheticSensor> multi = DemoFleet.machines(seed);
        List<SyntheticSensor> all = new ArrayList<>(single);
        all.addAll(multi);
        DemoSummary summary = new DemoSummary(all, GRACE_EVENTS);
        out.printf(Locale.ROOT, "vigil demo: %d sensors (%d multichannel), %.0f readings/s each, for %d s; alerts:%n",
                all.size(), multi.size(), rate, runFor.toSeconds());
        out.flush();
        AppConfig producerApp = AppConfig.defaults(broker.bootstrapServers());
        long start = System.nanoTime();
        long end = start + runFor.toNanos();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaOptions.producerProperties(producerApp));
             KafkaConsumer<String, byte[]> consumer = outputConsumer(broker, sensors, machines)) {
            int t = 0;
            while (!stop.get() && System.nanoTime() < end) {
                long due = start + (long) (t * 1e9 / rate);
                while (System.nanoTime() < due && !stop.get()) {
                    drain(consumer, sensors, summary, out, 5);
                }
                long ts = SIMULATED_START.plus(SIMULATED_STEP.multipliedBy(t)).toEpochMilli();
                for (SyntheticSensor s : single) {
                    producer.send(new ProducerRecord<>(sensors.inputTopic(), s.key(), bytes(s.json(ts, s.reading(t)))));
                }
                for (SyntheticSensor s : multi) {
                    producer.send(new ProducerRecord<>(machines.inputTopic(), s.key(), bytes(s.json(ts, s.reading(t)))));
                }
                summary.produced(all.size());
                t++;
            }
            producer.flush();
            long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (summary.scored() < summary.producedCount() && System.nanoTime() < settle) {
                drain(consumer, sensors, summary, out, 200);
            }
        }
        return summary;
    }

    private static KafkaConsumer<String, byte[]> outputConsumer(EmbeddedKafkaBroker broker, TopologyConfig t,
                                                                TopologyConfig other) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-demo-printer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(t.scoresTopic(), t.alertsTopic(), t.modelsTopic(), other.modelsTopic()));
        return c;
    }

    /** Prints alerts and published models, counts scores (the two demo topologies share scores and alerts topics). */
    private static void drain(KafkaConsumer<String, byte[]> consumer, TopologyConfig outputs, DemoSummary summary,
                              PrintWriter out, long pollMs) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(pollMs))) {
            if (r.topic().equals(outputs.modelsTopic()) || r.topic().equals(MACHINES_MODELS)) {
                TrainingInfo info = ModelCodec.decode(r.value()).info();
                out.println(summary.model(r.key(), info.version(), info.points(), info.validationLoss()));
                out.flush();
            } else if (r.topic().equals(outputs.alertsTopic())) {
                JsonNode alert = read(r.value());
                int index = eventIndex(alert.path("ts").asLong());
                String line = summary.alert(r.key(), alert.path("type").asText(), index, alert.path("score").asDouble(),
                        alert.path("reason").asText(), alert.path("channels").toString());
                out.println(line);
                out.flush();
            } else {
                summary.scoredOne();
            }
        }
    }

    /** {@code port} if it can be bound on 127.0.0.1 now, else 0 (any free port). */
    private static int freeOr(int port) {
        if (port == 0) {
            return 0;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            return 0;
        }
    }

    static int eventIndex(long epochMillis) {
        return (int) ((epochMillis - SIMULATED_START.toEpochMilli()) / SIMULATED_STEP.toMillis());
    }

    private static JsonNode read(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new dev.vigil.VigilException("unreadable alert record: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
