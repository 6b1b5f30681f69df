package dev.vigil.app.http;

import dev.vigil.stream.ModelTrainingService;
import dev.vigil.stream.RejectReason;
import dev.vigil.stream.VigilMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Vigil's own meters, named and tagged after Micrometer's conventions (dotted lower-case names, the unit in the base
 * unit, one tag per dimension), each tagged {@code topology}. They read the counters the processors and the trainer
 * keep in Kafka's metrics ({@link VigilMetrics}, the trainer's group {@value ModelTrainingService#GROUP}), summed over
 * stream threads, so recording stays in the stream threads' own sensors and a scrape only reads them:
 * <ul>
 *   <li>{@code vigil.events{outcome=scored|dead-lettered}}, {@code vigil.dlq.records{reason}};</li>
 *   <li>{@code vigil.alert.records} (opened and closed), {@code vigil.alerts.open} (gauge);</li>
 *   <li>{@code vigil.events.replayed}, {@code vigil.model.swaps},
 *       {@code vigil.model.payloads{outcome=accepted|refused|retracted}}, {@code vigil.state.discarded},
 *       {@code vigil.training.requests};</li>
 *   <li>{@code vigil.score.latency.avg|max} (seconds);</li>
 *   <li>{@code vigil.trainer.requests{outcome=queued|deferred}}, {@code vigil.trainer.trainings{outcome}},
 *       {@code vigil.trainer.duration.avg|max} (seconds), and, for the whole service,
 *       {@code vigil.trainer.queue.size}, {@code vigil.trainer.running}.</li>
 * </ul>
 * The README's "Metrics" section lists them with their Prometheus names.
 */
public final class VigilMeters implements MeterBinder {
    /** One topology's metric sources: its Streams application's metrics and its alerts-open count. */
    public record Source(String topology, Supplier<Map<MetricName, ? extends Metric>> streamsMetrics,
                         Supplier<Double> alertsOpen) {
    }

    private static final List<String[]> TRAINER_REQUESTS = List.of(
            new String[] {"queued", "trainings-queued-total"},
            new String[] {"deferred", "trainings-deferred-total"});
    private static final List<String[]> TRAINER_OUTCOMES = List.of(
            new String[] {"published", "models-published-total"},
            new String[] {"not-better", "models-not-better-total"},
            new String[] {"failed", "trainings-failed-total"},
            new String[] {"timed-out", "trainings-timed-out-total"},
            new String[] {"oversized", "models-oversized-total"},
            new String[] {"skipped", "trainings-skipped-total"},
            new String[] {"waited-for", "trainings-waited-for-total"},
            new String[] {"helped", "trainings-helped-total"});

    private final List<Source> sources;
    private final Supplier<Map<MetricName, ? extends Metric>> serviceMetrics;

    /**
     * @param sources        the served topologies
     * @param serviceMetrics the service registry holding the trainer's metrics
     */
    public VigilMeters(List<Source> sources, Supplier<Map<MetricName, ? extends Metric>> serviceMetrics) {
        this.sources = List.copyOf(sources);
        this.serviceMetrics = serviceMetrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Source s : sources) {
            bindStream(registry, s);
            bindTrainer(registry, s.topology());
        }
        Gauge.builder("vigil.trainer.queue.size", this, m -> sum(m.serviceMetrics, ModelTrainingService.GROUP,
                        "queue-size", null, null))
                .description("Training requests waiting for a trainer thread.").register(registry);
        Gauge.builder("vigil.trainer.running", this, m -> sum(m.serviceMetrics, ModelTrainingService.GROUP,
                        "trainings-running", null, null))
                .description("Trainings running now.").register(registry);
    }

    private void bindStream(MeterRegistry registry, Source s) {
        String t = s.topology();
        streamCounter(registry, s, "vigil.events", "Events read from the input topic, by outcome.", "scored",
                VigilMetrics.SCORED);
        FunctionCounter.builder("vigil.events", s, src -> deadLettered(src))
                .description("Events read from the input topic, by outcome.")
                .tags("topology", t, "outcome", "dead-lettered").register(registry);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder("vigil.dlq.records", s, src -> streamTotal(src, reason.metricName()))
                    .description("Records sent to the dead-letter topic, by reason.")
                    .tags("topology", t, "reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .register(registry);
        }
        FunctionCounter.builder("vigil.alert.records", s, src -> streamTotal(src, VigilMetrics.ALERTS))
                .description("Alert records written (opened and closed).").tags("topology", t).register(registry);
        Gauge.builder("vigil.alerts.open", s, src -> src.alertsOpen().get())
                .description("Keys of this instance with an alert open now.").tags("topology", t).register(registry);
        FunctionCounter.builder("vigil.model.swaps", s, src -> streamTotal(src, VigilMetrics.MODEL_SWAPS))
                .description("Keys re-warmed onto a new model version.").tags("topology", t).register(registry);
        FunctionCounter.builder("vigil.events.replayed", s, src -> streamTotal(src, VigilMetrics.EVENTS_REPLAYED))
                .description("Events run again from the input at a task's start, their keys' states having been"
                        + " written behind them (states.replayEvents).").tags("topology", t).register(registry);
        streamCounter(registry, s, "vigil.model.payloads", "Model payloads read from the models topic, by outcome.",
                "accepted", VigilMetrics.MODELS_ACCEPTED);
        streamCounter(registry, s, "vigil.model.payloads", "Model payloads read from the models topic, by outcome.",
                "refused", VigilMetrics.MODELS_REFUSED);
        streamCounter(registry, s, "vigil.model.payloads", "Model payloads read from the models topic, by outcome.",
                "retracted", VigilMetrics.MODELS_RETRACTED);
        FunctionCounter.builder("vigil.state.discarded", s, src -> streamTotal(src, VigilMetrics.STATE_DISCARDED))
                .description("Stored key state or history that could not be used and was restarted.")
                .tags("topology", t).register(registry);
        String[][] forgotten = {{"expired", VigilMetrics.KEYS_EXPIRED}, {"deleted", VigilMetrics.KEYS_DELETED}};
        for (String[] r : forgotten) {
            FunctionCounter.builder("vigil.keys.forgotten", s, src -> streamTotal(src, r[1]))
                    .description("Keys forgotten (state, history and own model), by reason.")
                    .tags("topology", t, "reason", r[0]).register(registry);
        }
        FunctionCounter.builder("vigil.training.requests", s, src -> streamTotal(src, VigilMetrics.TRAINING_REQUESTED))
                .description("Trainings the keys' schedules asked for.")
                .tags("topology", t).register(registry);
        FunctionCounter.builder("vigil.training.inline", s, src -> streamTotal(src, VigilMetrics.TRAINED_IN_LINE))
                .description("Trainings run in line on the stream thread: the swap point came before the trainer"
                        + " delivered.")
                .tags("topology", t).register(registry);
        scoreLatency(registry, s, "avg", "Mean time from an event reaching the detector to its score, recent window.");
        scoreLatency(registry, s, "max",
                "Longest time from an event reaching the detector to its score, recent window.");
    }

    private void bindTrainer(MeterRegistry registry, String topology) {
        for (String[] r : TRAINER_REQUESTS) {
            FunctionCounter.builder("vigil.trainer.requests", this, m -> count(m.trainerValue(topology, r[1])))
                    .description("Training requests offered to the trainer's queue, by outcome.")
                    .tags("topology", topology, "outcome", r[0]).register(registry);
        }
        for (String[] o : TRAINER_OUTCOMES) {
            FunctionCounter.builder("vigil.trainer.trainings", this, m -> count(m.trainerValue(topology, o[1])))
                    .description("Training requests taken by the trainer, by outcome (waited-for, helped: at a stream"
                            + " thread's swap point).")
                    .tags("topology", topology, "outcome", o[0]).register(registry);
        }
        for (String stat : List.of("avg", "max")) {
            TimeGauge.builder("vigil.trainer.duration." + stat, this, TimeUnit.MILLISECONDS,
                            m -> m.trainerValue(topology, "training-time-ms-" + stat))
                    .description(("avg".equals(stat) ? "Mean" : "Longest") + " wall time of a training.")
                    .tags("topology", topology).register(registry);
        }
    }

    private static void streamCounter(MeterRegistry registry, Source s, String name, String description,
                                      String outcome, String operation) {
        FunctionCounter.builder(name, s, src -> streamTotal(src, operation)).description(description)
                .tags("topology", s.topology(), "outcome", outcome).register(registry);
    }

    private static void scoreLatency(MeterRegistry registry, Source s, String stat, String description) {
        TimeGauge.builder("vigil.score.latency." + stat, s, TimeUnit.NANOSECONDS,
                        src -> sum(src.streamsMetrics(), VigilMetrics.GROUP, VigilMetrics.SCORE + "-latency-" + stat,
                                VigilMetrics.TAG, src.topology(), "max".equals(stat)))
                .description(description).tags("topology", s.topology()).register(registry);
    }

    private static double streamTotal(Source s, String operation) {
        return count(sum(s.streamsMetrics(), VigilMetrics.GROUP, operation + "-total", VigilMetrics.TAG, s.topology()));
    }

    private static double deadLettered(Source s) {
        double total = 0;
        for (RejectReason reason : RejectReason.values()) {
            total += streamTotal(s, reason.metricName());
        }
        return total;
    }

    private double trainerValue(String topology, String metric) {
        return sum(serviceMetrics, ModelTrainingService.GROUP, metric, "topology", topology);
    }

    private static double sum(Supplier<Map<MetricName, ? extends Metric>> metrics, String group, String name,
                              String tag, String tagValue) {
        return sum(metrics, group, name, tag, tagValue, false);
    }

    /**
     * The sum (or, with {@code max}, the largest) of the finite values of the metrics named {@code name} in
     * {@code group} with {@code tag=tagValue} (any tags when {@code tag} is null), over every other tag (the stream
     * threads); NaN when there is none, or none is finite yet.
     */
    static double sum(Supplier<Map<MetricName, ? extends Metric>> metrics, String group, String name, String tag,
                      String tagValue, boolean max) {
        double result = Double.NaN;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName n = e.getKey();
            if (!n.name().equals(name) || !n.group().equals(group)
                    || (tag != null && !tagValue.equals(n.tags().get(tag)))) {
                continue;
            }
            if (e.getValue().metricValue() instanceof Number v && Double.isFinite(v.doubleValue())) {
                double d = v.doubleValue();
                result = Double.isNaN(result) ? d : max ? Math.max(result, d) : result + d;
            }
        }
        return result;
    }

    /** A counter's value: 0 before the stream threads have registered it. */
    private static double count(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
