package dev.vigil.app.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the demo saw: events produced and scored, models trained, alerts opened, and which injected anomalies
 * they caught.
 * An opened alert catches an anomaly of its sensor when it opens within the anomaly's events or up to
 * {@code grace} events after; an opened alert that catches nothing is a false alarm. Not thread-safe.
 */
public final class DemoSummary {
    private final List<InjectedAnomaly> injected = new ArrayList<>();
    private final Set<InjectedAnomaly> caught = new HashSet<>();
    private final int grace;
    private long produced;
    private long scored;
    private int opened;
    private int falseAlarms;
    private int models;
    private final int sensorCount;

    public DemoSummary(List<SyntheticSensor> sensors, int grace) {
        sensors.forEach(s -> injected.addAll(s.anomalies()));
        this.sensorCount = sensors.size();
        this.grace = grace;
    }

    public void produced(int events) {
        produced += events;
    }

    public void scoredOne() {
        scored++;
    }

    public long producedCount() {
        return produced;
    }

    public long scored() {
        return scored;
    }

    /** Records an alert record and returns the line to print for it. */
    public String alert(String sensor, String type, int eventIndex, double score, String reason, String channels) {
        String verdict = "";
        if (type.equals("opened")) {
            opened++;
            List<InjectedAnomaly> hits = injected.stream()
                    .filter(a -> a.sensor().equals(sensor) && a.covers(eventIndex, grace)).toList();
            if (hits.isEmpty()) {
                falseAlarms++;
                verdict = "  (no injected anomaly here)";
            } else {
                caught.addAll(hits);
                verdict = "  <- injected " + hits.get(0).kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " at event " + hits.get(0).start();
            }
        }
        return String.format(Locale.ROOT, "ALERT %-6s %-10s event %5d  score %.3f  %-16s channels %s%s", type, sensor,
                eventIndex, score, reason, channels, verdict);
    }

    /** Records a model the background trainer published and returns the line to print for it. */
    public String model(String sensor, long version, int points, double validationLoss) {
        models++;
        return String.format(Locale.ROOT, "MODEL %-10s version %d trained on %d readings (validation loss %.4f)", sensor,
                version, points, validationLoss);
    }

    /** Injected anomalies whose start the run reached. */
    public List<InjectedAnomaly> reached(int eventsPerSensor) {
        return injected.stream().filter(a -> a.start() < eventsPerSensor).toList();
    }

    public void print(PrintWriter out) {
        long perSensor = produced == 0 ? 0 : produced / Math.max(1, sensorCount);
        List<InjectedAnomaly> due = reached((int) perSensor);
        out.println();
        out.println("vigil demo summary");
        out.printf(Locale.ROOT, "  events produced %d, scored %d%n", produced, scored);
        out.printf(Locale.ROOT, "  models trained in the background %d%n", models);
        out.printf(Locale.ROOT, "  alerts opened %d, false alarms %d%n", opened, falseAlarms);
        out.printf(Locale.ROOT, "  injected anomalies reached %d: caught %d, missed %d%n", due.size(), due.stream().filter(caught::contains).count(), due.stream().filter(a -> !caught.contains(a)).count());
        for (InjectedAnomaly a : due) {
            out.printf(Locale.ROOT, "    %-7s %-10s %-12s events %d-%d%n", caught.contains(a) ? "caught" : "MISSED",
                    a.sensor(), a.kind().name().toLowerCase(Locale.ROOT), a.start(), a.end());
        }
        out.flush();
    }
}
