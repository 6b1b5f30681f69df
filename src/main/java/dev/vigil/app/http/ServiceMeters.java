package dev.vigil.app.http;

import dev.vigil.stream.DecodedCache;
import dev.vigil.stream.DecodedModels;
import dev.vigil.stream.DecodedStates;
import dev.vigil.stream.KeyCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.metrics.Metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;

/**
 * The service's Micrometer registry, rendered for Prometheus at {@code /metrics}: the JVM binders (memory, GC,
 * threads, class loading, CPU, uptime), Micrometer's Kafka Streams binder on every application (tagged
 * {@code topology}), and {@link VigilMeters}. The Kafka Streams binder would also copy Vigil's own stream counters
 * under Kafka's names ({@code kafka.stream.vigil.*}); those are left out, {@link VigilMeters} has them. The gauges
 * that query the stores ({@code vigil.alerts.open}, {@code vigil.models.held}) are read on threads of their own and
 * waited for at most {@link RefreshedValue#WAIT} each, so a scrape answers even while a stream thread waits on the
 * broker (with the last values read). Thread-safe; {@link #close()} stops the binders' background refresh and those
 * reads.
 */
public final class ServiceMeters implements AutoCloseable {
    /** Content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Micrometer's name prefix for the copies of Vigil's stream counters ({@code stream-vigil-metrics}). */
    static final String KAFKA_COPY_OF_VIGIL = "kafka.stream.vigil.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    /** The store-querying gauges' reads (at most one running per gauge). */
    private final ExecutorService storeReads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-store-gauge");
        t.setDaemon(true);
        return t;
    });
    /** Held here: Micrometer's function meters keep only weak references to the objects they read. */
    private final List<VigilMeters> vigilMeters = new ArrayList<>();
    private final List<DecodedCache<?, ?>> caches = new ArrayList<>();
    private final List<ServedTopology> served = new ArrayList<>();
    private final List<ClusterProbe> probes = new ArrayList<>();

    /** A registry with the JVM binders bound. */
    public ServiceMeters() {
        registry.config().meterFilter(MeterFilter.denyNameStartsWith(KAFKA_COPY_OF_VIGIL));
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds Kafka Streams' metrics of every topology and Vigil's meters over them and the service registry. */
    public synchronized void bind(List<ServedTopology> topologies, Metrics serviceMetrics) {
        List<VigilMeters.Source> sources = new ArrayList<>();
        for (ServedTopology t : topologies) {
            KafkaStreamsMetrics kafka = new KafkaStreamsMetrics(t.streams(), Tags.of("topology", t.name()));
            kafka.bindTo(registry);
            binders.add(kafka);
            RefreshedValue alertsOpen = refreshed(t::alertsOpen);
            sources.add(new VigilMeters.Source(t.name(), t.streams()::metrics, alertsOpen::get));
            // a strong reference: nothing else holds the value, and Micrometer's gauges hold theirs weakly by default
            Gauge.builder("vigil.models.held", refreshed(t::modelsHeld), RefreshedValue::get).tags("topology", t.name())
                    .description("Model payloads in this instance's model stores (its partitions' models), as RocksDB"
                            + " estimates it.").strongReference(true).register(registry);
            Gauge.builder("vigil.keys.held", t.keys(), KeyCounts::total).tags("topology", t.name())
                    .description("Keys whose state this instance's detectors hold (its partitions' keys).")
                    .strongReference(true).register(registry);
            served.add(t);
        }
        bind(new VigilMeters(sources, serviceMetrics::metrics));
    }

    /** {@code source} read on the store-gauge threads, a scrape waiting for it at most {@link RefreshedValue#WAIT}. */
    private RefreshedValue refreshed(DoubleSupplier source) {
        return new RefreshedValue(source, storeReads);
    }

    /** Binds the decoded-model cache's size, bound and evictions ({@code vigil.model.cache.*}), and keeps it. */
    public synchronized void bind(DecodedModels cache) {
        bind(cache, "model", "models.cache.bytes", "Decoded models", "decoded again on the key's next event");
        Gauge.builder("vigil.model.cache.models", cache, DecodedModels::size)
                .description("Decoded models cached now.").register(registry);
    }

    /** Binds the decoded-state cache's size, bound and evictions ({@code vigil.state.cache.*}), and keeps it. */
    public synchronized void bind(DecodedStates cache) {
        bind(cache, "state", "states.cache.bytes", "Decoded detector states",
                "read from the state store at the key's next event");
        Gauge.builder("vigil.state.cache.states", cache, DecodedStates::size)
                .description("Decoded detector states cached now.").register(registry);
        Gauge.builder("vigil.state.held.states", cache, DecodedStates::heldEntries)
                .description("Detector states the tasks hold behind their events now (states.replayEvents): the keys"
                        + " with events coming, scored from them.").register(registry);
        Gauge.builder("vigil.state.held.bytes", cache, DecodedStates::heldBytes).baseUnit("bytes")
                .description("Estimated heap of the states held behind (at most states.cache.bytes again).")
                .register(registry);
    }

    /** {@code vigil.<name>.cache.bytes}, {@code .max} and {@code .evictions} of {@code cache}, which is kept. */
    private void bind(DecodedCache<?, ?> cache, String name, String setting, String what, String evicted) {
        String prefix = "vigil." + name + ".cache";
        Gauge.builder(prefix + ".bytes", cache, DecodedCache::bytes).baseUnit("bytes")
                .description("Estimated heap of the " + what.toLowerCase(java.util.Locale.ROOT) + " cached now"
                        + " (bounded by " + setting + ").").register(registry);
        Gauge.builder(prefix + ".max", cache, DecodedCache::maxBytes).baseUnit("bytes")
                .description("The bound on the cache (" + setting + ").").register(registry);
        FunctionCounter.builder(prefix + ".evictions", cache, DecodedCache::evictions)
                .description(what + " evicted to keep the cache under its bound; " + evicted + ".")
                .register(registry);
        caches.add(cache);
    }

    /**
     * Binds {@code vigil.rocksdb.memory} (bytes the instance's RocksDB stores hold in their shared cache, memtables
     * included) and {@code vigil.rocksdb.memory.max} (its bound, {@code rocksdb.memory.bytes}).
     */
    public synchronized void bindRocksDb(long bound) {
        org.rocksdb.Cache cache = dev.vigil.stream.RocksDbMemory.cache(bound);
        Gauge.builder("vigil.rocksdb.memory", cache, c -> c.getUsage()).baseUnit("bytes")
                .description("Native memory the instance's RocksDB stores hold in their one cache, memtables included"
                        + " (bounded by rocksdb.memory.bytes).").register(registry);
        Gauge.builder("vigil.rocksdb.memory.max", () -> bound).baseUnit("bytes")
                .description("The bound on the RocksDB stores' native memory (rocksdb.memory.bytes).")
                .register(registry);
    }

    /** Binds the cluster probe's {@code vigil.kafka.reachable} (1 while the cluster answers, else 0), and keeps it. */
    public synchronized void bind(ClusterProbe probe) {
        Gauge.builder("vigil.kafka.reachable", probe, ClusterProbe::reachable)
                .description("1 while the Kafka cluster answers this instance's probe, 0 while it is unreachable"
                        + " (/ready answers 503 then).").register(registry);
        probes.add(probe);
    }

    /**
     * Binds the data endpoints' lane: {@code vigil.http.data.waiting} (requests waiting for one of its threads) and
     * {@code vigil.http.data.refused} (requests answered 503 because it was full or they waited too long).
     */
    synchronized void bind(DataLane lane) {
        Gauge.builder("vigil.http.data.waiting", lane, DataLane::waiting)
                .description("Data requests (/sensors, /api) waiting for a thread of their lane.")
                .strongReference(true).register(registry);
        FunctionCounter.builder("vigil.http.data.refused", lane, DataLane::refused)
                .description("Data requests (/sensors, /api) answered 503: every thread of their lane busy and its"
                        + " queue full, or waited too long (state stores that do not answer, e.g. a broker outage).")
                .register(registry);
    }

    /** Binds {@code meters} and keeps them (and so the sources they read) for the registry's life. */
    synchronized void bind(VigilMeters meters) {
        meters.bindTo(registry);
        vigilMeters.add(meters);
    }

    /** The registry, for callers that add meters of their own. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        storeReads.shutdownNow();
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception ignored) {
                // closing a binder only stops its refresh task
            }
        }
        registry.close();
    }
}
