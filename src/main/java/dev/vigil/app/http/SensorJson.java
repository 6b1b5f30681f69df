package dev.vigil.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.BadConfigException;
import dev.vigil.detect.CalendarInputs;
import dev.vigil.detect.DetectorState;
import dev.vigil.detect.HistoryWindow;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.TrainingInfo;
import dev.vigil.score.CalendarClock;
import dev.vigil.score.CountDispersion;
import dev.vigil.score.IdleReadings;
import dev.vigil.score.RhythmState;
import dev.vigil.score.ScoreState;
import dev.vigil.score.Scorer;
import dev.vigil.stream.VigilJson;

import java.util.List;

/**
 * The JSON bodies of {@code /sensors/{key}} and {@code /sensors/{key}/history}. Readings and predictions follow
 * the score records: a number for a single-value topology, an object keyed by channel name for a multichannel
 * one. Stateless.
 */
final class SensorJson {
    private SensorJson() {
    }

    /**
     * The key's state (after the topology, key, instance and partition that hold it: the detector's source
     * partition, of the input topic or, with a key field, of the repartition topic): events accepted, last event
     * time, last reading, prediction for the next reading, the last event's raw score (bounded prediction error),
     * its anomaly score, the short-term error level (mean of the last {@code shortWindow} raw scores), alert, model
     * version, warm-up, hidden-state resets.
     */
    static ObjectNode state(ServedTopology t, String key, String instance, int partition, DetectorState s) {
        ScoreState score = s.score();
        ObjectNode out = header(t, key, instance, partition);
        out.put("events", s.events());
        if (s.lastTimestamp() == DetectorState.NO_TIMESTAMP) {
            out.putNull("lastTimestamp");
        } else {
            out.put("lastTimestamp", s.lastTimestamp());
        }
        if (s.firstTimestamp() == DetectorState.NO_TIMESTAMP) {
            out.putNull("firstTimestamp");
        } else {
            out.put("firstTimestamp", s.firstTimestamp());
        }
        out.put("youngRange", t.detector().scoring().youngRange(s.ageAt(s.lastTimestamp())));
        Scorer scorer = new Scorer(t.detector().scoring());
        out.put("jumpsLearnt", scorer.asksForJump(score));
        out.put("spikesLearnt", scorer.judgesSpikes(score));
        long time = s.lastTimestamp() == DetectorState.NO_TIMESTAMP ? Scorer.NO_TIME : s.lastTimestamp();
        out.put("timeOfDayWeight", scorer.hourWeight(s.ageAt(time), time));
        CalendarClock clock = scorer.clock();
        out.put("timeZone", clock.toString());
        // what the zone adds to an event time at the latest event: the profile's bins are of that local day
        out.put("timeZoneOffsetMs", time == Scorer.NO_TIME ? 0 : clock.local(time) - time);
        timeOfDay(out, t.topology().channels(), score);
        rhythm(out, t.topology().channels(), score);
        idle(out, t.topology().channels(), score);
        // a counter key's totals at its latest reading (the topology's counters; null for other channels and keys)
        reading(out, "counterTotals", t.topology().channels(), score.counterTotals());
        reading(out, "countDispersion", t.topology().channels(), dispersion(score));
        reading(out, "value", t.topology().channels(), score.updates() > 0 ? score.last() : null);
        reading(out, "prediction", t.topology().channels(), s.hasPrediction() ? s.prediction() : null);
        int n = score.error().recentCount();
        if (n == 0) {
            out.putNull("rawScore");
            out.putNull("errorLevel");
        } else {
            float[] ring = score.error().recent();
            out.put("rawScore", ring[Math.floorMod(score.error().recentNext() - 1, ring.length)]);
            out.put("errorLevel", score.error().level());
        }
        out.put("score", s.lastScore());
        out.put("alertOpen", score.alertOpen());
        out.put("alertsOpened", score.alertsOpened());
        out.put("modelVersion", s.modelVersion());
        out.put("warmup", scorer.inWarmup(score));
        out.put("resets", s.resets());
        return out;
    }

    /**
     * The model stored for the key ({@code model} null when none): its version, whether it is the topology's shared
     * model rather than the key's own, the readings it was trained on (training part and validation tail), its epochs
     * and its training and validation losses (mean squared one-step error in the model's normalised units), and the
     * calendar it reads: {@code none}, {@code day} or {@code week}, with the day's harmonics (1: its phase alone).
     */
    static void model(ObjectNode out, String key, LstmModel model) {
        if (model == null) {
            out.putNull("model");
            return;
        }
        TrainingInfo info = model.info();
        ObjectNode m = out.putObject("model");
        m.put("version", info.version()).put("shared", !info.modelId().equals(key)).put("readings", info.points())
                .put("epochs", info.epochs());
        finiteOrNull(m, "trainLoss", info.trainLoss());
        finiteOrNull(m, "validationLoss", info.validationLoss());
        CalendarInputs calendar = calendarOf(model.config());
        if (calendar == null) {
            m.putNull("calendar");
        } else {
            m.put("calendar", calendar.configName());
        }
        if (calendar == null || calendar == CalendarInputs.NONE) {
            m.putNull("dayHarmonics");
        } else {
            m.put("dayHarmonics", model.config().dayHarmonics());
        }
    }

    /** The calendar a model's context inputs are, or null for inputs that are none (stored before refused). */
    private static CalendarInputs calendarOf(LstmConfig shape) {
        try {
            return CalendarInputs.of(shape);
        } catch (BadConfigException e) {
            return null;
        }
    }

    private static void finiteOrNull(ObjectNode out, String field, double v) {
        if (Double.isFinite(v)) {
            out.put(field, v);
        } else {
            out.putNull(field);
        }
    }

    /** The key's history window, oldest first: {@code timestamps} and {@code values} per channel, as arrays. */
    static ObjectNode history(ServedTopology t, String key, String instance, int partition, HistoryWindow w) {
        ObjectNode out = header(t, key, instance, partition);
        out.put("capacity", w.capacity());
        out.put("size", w.size());
        ArrayNode timestamps = out.putArray("timestamps");
        for (int i = 0; i < w.size(); i++) {
            timestamps.add(w.timestamp(i));
        }
        ObjectNode values = out.putObject("values");
        List<String> channels = t.topology().channelNames();
        for (int c = 0; c < w.channels() && c < channels.size(); c++) {
            ArrayNode column = values.putArray(channels.get(c));
            for (int i = 0; i < w.size(); i++) {
                column.add(w.value(i, c));
            }
        }
        return out;
    }

    private static ObjectNode header(ServedTopology t, String key, String instance, int partition) {
        return VigilJson.MAPPER.createObjectNode().put("topology", t.name()).put("key", key).put("instance", instance)
                .put("partition", partition);
    }

    /**
     * {@code usualByTimeOfDay}: per channel, the reading usual in each {@value Scorer#HOUR_BINS}th of the day from
     * 00:00 in {@code scoring.timeZone} (the key's centre plus its time-of-day profile, {@code scoring.driftByHour});
     * an array for a single-value topology, an object of arrays by channel name for a multichannel one; null before
     * the first reading.
     */
    private static void timeOfDay(ObjectNode out, List<String> channels, ScoreState score) {
        profile(out, "usualByTimeOfDay", channels, score, score.hourMean(), Scorer.HOUR_BINS);
    }

    /** {@code field}: per channel, the key's centre plus each of its {@code per} bins of {@code bins}. */
    private static void profile(ObjectNode out, String field, List<String> channels, ScoreState score, float[] bins,
                                int per) {
        if (score.updates() == 0) {
            out.putNull(field);
            return;
        }
        byChannel(out, field, channels, (node, name, c) -> {
            ArrayNode usual = node.putArray(name);
            for (int b = 0; b < per; b++) {
                usual.add(score.center()[c] + bins[c * per + b]);
            }
        });
    }

    /**
     * The rhythm signal's state ({@code scoring.rhythmHalfLife}), all null while it is off: {@code rhythmJudged}, per
     * channel, whether the signal judges it now ({@link Scorer#rhythmJudges}: false before a daily swing is learnt, on
     * a small one, and on a bursty count); {@code rhythmFollowed}, per channel, the share β of the key's usual daily
     * swing that its recent readings follow (1 on a usual day, 0 on a flat one; null for a channel before any swing),
     * as its alerts quote it; {@code usualOnWeekends}, the reading usual in each {@value Scorer#HOUR_BINS}th of a
     * Saturday or Sunday (the centre plus the weekend profile, shaped as {@code usualByTimeOfDay}); {@code
     * rhythmUsualByTimeOfDay}, the reading usual in each {@value Scorer#RHYTHM_BINS}th of the day by the rhythm's own
     * profile, which it judges weekdays by (learnt in clipped steps, so it shows a daily rhythm and not an incident);
     * {@code weekendReadings}, the weekend readings it has learnt from.
     */
    private static void rhythm(ObjectNode out, List<String> channels, ScoreState score) {
        RhythmState r = score.rhythm();
        if (r == null) {
            out.putNull("rhythmJudged");
            out.putNull("rhythmFollowed");
            out.putNull("usualOnWeekends");
            out.putNull("rhythmUsualByTimeOfDay");
            out.putNull("weekendReadings");
            return;
        }
        double[] followed = new double[score.channels()];
        for (int c = 0; c < followed.length; c++) {
            followed[c] = r.swing()[c] > 0 ? r.follow()[c] / r.swing()[c] : Double.NaN;
        }
        byChannel(out, "rhythmJudged", channels, (node, name, c) -> node.put(name, Scorer.rhythmJudges(score, c)));
        reading(out, "rhythmFollowed", channels, followed);
        profile(out, "usualOnWeekends", channels, score, r.weekend(), Scorer.HOUR_BINS);
        profile(out, "rhythmUsualByTimeOfDay", channels, score, r.weekday(), Scorer.RHYTHM_BINS);
        out.put("weekendReadings", r.weekendReadings());
    }

    /**
     * {@code idleReadings}: the readings the stuck-sensor rule has learnt the key idles at ({@code
     * scoring.flatlineRuns}, or {@code scoring.countIdleRuns} for a key that counts), the most recently used first,
     * each a number (an object by channel name for a multichannel topology); empty before its first long run, null
     * while neither applies; {@code longestQuietRun}, the longest run the key has held at a reading it does not idle at
     * without being called stuck (a run there is flagged only past twice it), null with them.
     */
    private static void idle(ObjectNode out, List<String> channels, ScoreState score) {
        IdleReadings idle = score.idle();
        if (idle == null) {
            out.putNull("idleReadings");
            out.putNull("longestQuietRun");
            return;
        }
        out.put("longestQuietRun", idle.longestQuiet());
        ArrayNode readings = out.putArray("idleReadings");
        for (int s = 0; s < IdleReadings.SLOTS; s++) {
            if (Double.isNaN(idle.reading(s, 0))) {
                continue;
            }
            if (channels.isEmpty()) {
                readings.add(idle.reading(s, 0));
            } else {
                ObjectNode byChannel = readings.addObject();
                for (int c = 0; c < channels.size(); c++) {
                    byChannel.put(channels.get(c), idle.reading(s, c));
                }
            }
        }
    }

    /**
     * Per channel, the over-dispersion φ a count key has learnt ({@code scoring.countDispersionHalfLife}; NaN for a
     * channel that does not count), or null when the key keeps none (no channel counts, or the setting is off).
     */
    private static double[] dispersion(ScoreState score) {
        CountDispersion d = score.dispersion();
        if (d == null) {
            return null;
        }
        double[] phi = new double[score.channels()];
        for (int c = 0; c < phi.length; c++) {
            phi[c] = score.counts()[c] ? d.phi(c) : Double.NaN;
        }
        return phi;
    }

    /** {@code field}: a number (an object by channel name for a multichannel topology); NaN as null. */
    private static void reading(ObjectNode out, String field, List<String> channels, double[] values) {
        if (values == null) {
            out.putNull(field);
        } else {
            byChannel(out, field, channels, (node, name, c) -> number(node, name, values[c]));
        }
    }

    /** Writes one channel's part of a field: into {@code node} under {@code name}. */
    @FunctionalInterface
    private interface ChannelPart {
        void write(ObjectNode node, String name, int c);
    }

    /**
     * {@code field} for a single-value topology (channel 0's part under it), or an object under it with each channel's
     * part by channel name for a multichannel one.
     */
    private static void byChannel(ObjectNode out, String field, List<String> channels, ChannelPart part) {
        if (channels.isEmpty()) {
            part.write(out, field, 0);
            return;
        }
        ObjectNode node = out.putObject(field);
        for (int c = 0; c < channels.size(); c++) {
            part.write(node, channels.get(c), c);
        }
    }

    private static void number(ObjectNode out, String field, double value) {
        if (Double.isNaN(value)) {
            out.putNull(field);
        } else {
            out.put(field, value);
        }
    }
}
