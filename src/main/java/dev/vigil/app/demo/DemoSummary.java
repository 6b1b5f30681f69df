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
 * {@code grace} events after; an opened alert that catches nothing is a false alarm. An anomaly not caught is missed
 * only when the run went on past its grace; one the run stopped in (a short {@code --duration}) is "cut short",
 * not a miss. Not thread-safe.
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
        this(sensors.stream().flatMap(s -> s.anomalies().stream()).toList(), sensors.size(), grace);
    }

    DemoSummary(List<InjectedAnomaly> anomalies, int sensorCount, int grace) {
        injected.addAll(anomalies);
        this.sensorCount = sensorCount;
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
        int perSensor = produced == 0 ? 0 : (int) (produced / Math.max(1, sensorCount));
        List<InjectedAnomaly> due = reached(perSensor);
        long hit = due.stream().filter(caught::contains).count();
        long cut = due.stream().filter(a -> cutShort(a, perSensor)).count();
        out.println();
        out.println("vigil demo summary");
        out.printf(Locale.ROOT, "  events produced %d, scored %d%n", produced, scored);
        out.printf(Locale.ROOT, "  models trained in the background %d%n", models);
        out.printf(Locale.ROOT, "  alerts opened %d, false alarms %d%n", opened, falseAlarms);
        out.printf(Locale.ROOT, "  injected anomalies reached %d: caught %d, missed %d%s%n", due.size(), hit,
                due.size() - hit - cut, cut == 0 ? "" : ", cut short by the end of the run " + cut);
        for (InjectedAnomaly a : due) {
            String verdict = caught.contains(a) ? "caught" : cutShort(a, perSensor) ? "cut" : "MISSED";
            String note = verdict.equals("cut") ? " (the run stopped " + (perSensor - a.start())
                    + " events into it: a longer --duration judges it)" : "";
            out.printf(Locale.ROOT, "    %-7s %-10s %-12s events %d-%d%s%n", verdict, a.sensor(),
                    a.kind().name().toLowerCase(Locale.ROOT), a.start(), a.end(), note);
        }
        out.flush();
    }

    /** Not caught, and the run stopped before the anomaly's last event plus the grace: not judged. */
    private boolean cutShort(InjectedAnomaly a, int eventsPerSensor) {
        return !caught.contains(a) && eventsPerSensor <= a.end() + grace;
    }
}
