package dev.vigil.detect;

import dev.vigil.BadBytesException;
import dev.vigil.testutil.PayloadMutations;
import dev.vigil.testutil.SyntheticSeries;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorStateCodecTest {
    /** One key's state with the default configuration (H=32, 1 layer, d=1) within 1 KiB; the README gives its size. */
    static final int STATE_BYTES_BUDGET = 1024;
    static final String FIXTURE_V1 = "/fixtures/detector-state-v1.bin";
    static final String FIXTURE_V2 = "/fixtures/detector-state-v2.bin";
    static final String FIXTURE_V3 = "/fixtures/detector-state-v3.bin";
    static final String FIXTURE_V4 = "/fixtures/detector-state-v4.bin";
    static final String FIXTURE_V5 = "/fixtures/detector-state-v5.bin";
    static final String FIXTURE_V6 = "/fixtures/detector-state-v6.bin";
    static final String FIXTURE_V7 = "/fixtures/detector-state-v7.bin";
    static final String FIXTURE_V8 = "/fixtures/detector-state-v8.bin";
    static final String FIXTURE_V9 = "/fixtures/detector-state-v9.bin";
    static final String FIXTURE_V10 = "/fixtures/detector-state-v10.bin";
    static final String FIXTURE_V11 = "/fixtures/detector-state-v11.bin";
    static final String FIXTURE_V12 = "/fixtures/detector-state-v12.bin";
    static final String FIXTURE_V13 = "/fixtures/detector-state-v13.bin";
    static final String FIXTURE_V14 = "/fixtures/detector-state-v14.bin";
    static final String FIXTURE_V15 = "/fixtures/detector-state-v15.bin";
    static final String FIXTURE_V16 = "/fixtures/detector-state-v16.bin";
    static final String FIXTURE_V17 = "/fixtures/detector-state-v17.bin";
    static final String FIXTURE_V18 = "/fixtures/detector-state-v18.bin";
    static final String FIXTURE = "/fixtures/detector-state-v19.bin";

    /**
     * A mature one-channel state as the released fixtures hold one: the defaults without the rhythm signal, whose state
     * the formats before 14 have no place for ({@code RhythmSignalTest} round-trips one).
     */
    static DetectorState sampleState() {
        Detector detector = new Detector(new DetectorConfig(DetectorConfig.defaults().lstm(),
                dev.vigil.score.ScoringConfigs.withoutOptionalSections()));
        DetectorState state = detector.newState();
        var model = dev.vigil.lstm.LstmModel.initialise(DetectorConfig.defaults().lstm(),
                new dev.vigil.lstm.Normalisation(new double[] {10}, new double[] {2}), 5)
                .withInfo(new dev.vigil.lstm.TrainingInfo("sensor-1", 3, 5, 0, 0, 0, 0));
        int n = 0;
        for (Event e : SyntheticSeries.events(SyntheticSeries.seasonal(300, 10, 2, 40, 0.2, 3))) {
            detector.step(model, state, e);
            if (++n == 250) {
                state.schedule().attempted(e.timestamp());
                state.schedule().swapPending(250, 4);
            }
        }
        return state;
    }

    @Test
    void shouldRoundTripEveryField() {
        DetectorState state = sampleState();
        byte[] bytes = DetectorStateCodec.encode(state);
        DetectorState back = DetectorStateCodec.decode(bytes);
        assertArrayEquals(bytes, DetectorStateCodec.encode(back));
        assertEquals(state.score(), back.score());
        assertEquals(300, back.events());
        assertEquals(SyntheticSeries.START, back.firstTimestamp(), "the first event's time");
        assertEquals(3, back.modelVersion());
    }

    @Test
    void shouldReadTheLatestEventTimeWithoutDecodingFromEveryReleasedFormatAndShape() throws IOException {
        DetectorState state = sampleState();
        assertEquals(state.lastTimestamp(), DetectorStateBytes.lastTimestamp(DetectorStateCodec.encode(state)));
        assertEquals(SyntheticSeries.START + 299 * SyntheticSeries.STEP_MS, state.lastTimestamp());
        // three channels, two layers: the read skips a state's own shape
        Detector wide = new Detector(new DetectorConfig(new dev.vigil.lstm.LstmConfig(3, 6, 2, 1.0, true),
                DetectorConfig.defaults().scoring()));
        DetectorState multi = wide.newState();
        wide.step(null, multi, new Event(1_767_225_600_123L, new double[] {1, 2, 3}));
        assertEquals(1_767_225_600_123L, DetectorStateBytes.lastTimestamp(DetectorStateCodec.encode(multi)));
        for (String f : List.of(FIXTURE_V1, FIXTURE_V4, FIXTURE_V9, FIXTURE_V14, FIXTURE_V15, FIXTURE_V16, FIXTURE_V17,
                FIXTURE_V18, FIXTURE)) {
            byte[] bytes = fixture(f);
            assertEquals(DetectorStateCodec.decode(bytes).lastTimestamp(), DetectorStateBytes.lastTimestamp(bytes), f);
        }
        byte[] flipped = DetectorStateCodec.encode(state);
        flipped[40] ^= 0x10;
        assertThrows(BadBytesException.class, () -> DetectorStateBytes.lastTimestamp(flipped));
    }

    @Test
    void shouldReadWhetherAnAlertIsOpenWithoutDecodingFromEveryReleasedFormatAndShape() throws IOException {
        Detector detector = new Detector(DetectorConfig.defaults());
        DetectorState state = detector.newState();
        List<Event> events = SyntheticSeries.events(SyntheticSeries.seasonal(300, 10, 2, 40, 0.2, 3));
        int open = 0;
        int closed = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = i == 200 ? new Event(events.get(i).timestamp(), new double[] {500}) : events.get(i);
            detector.step(null, state, e);
            byte[] bytes = DetectorStateCodec.encode(state, new byte[i % 7]);
            assertEquals(state.score().alertOpen(), DetectorStateBytes.alertOpen(bytes), "event " + i);
            open += state.score().alertOpen() ? 1 : 0;
            closed += state.score().alertOpen() ? 0 : 1;
        }
        assertTrue(open > 0 && closed > 0, open + " open, " + closed + " closed");
        Detector wide = new Detector(new DetectorConfig(new dev.vigil.lstm.LstmConfig(3, 6, 2, 1.0, true),
                DetectorConfig.defaults().scoring()));
        DetectorState multi = wide.newState();
        for (int i = 0; i < 200; i++) {
            double v = i == 150 ? 900 : Math.sin(i / 5.0);
            wide.step(null, multi, new Event(1_767_225_600_000L + i * 60_000L, new double[] {v, 2 * v, 3}));
            assertEquals(multi.score().alertOpen(), DetectorStateBytes.alertOpen(DetectorStateCodec.encode(multi)));
            assertEquals(multi.score().alertOpen(),
                    DetectorStateBytes.alertOpen(DetectorStateCodec.encode(multi, new byte[i % 7], 1L << i % 60)));
        }
        for (String f : List.of(FIXTURE_V1, FIXTURE_V4, FIXTURE_V9, FIXTURE_V13, FIXTURE_V14, FIXTURE_V15,
                FIXTURE_V16, FIXTURE_V17, FIXTURE_V18, FIXTURE)) {
            byte[] bytes = fixture(f);
            assertEquals(DetectorStateCodec.decode(bytes).score().alertOpen(), DetectorStateBytes.alertOpen(bytes), f);
        }
    }

    @Test
    void shouldKeepTheDefaultStateSmall() {
        int size = DetectorStateCodec.encode(sampleState()).length;
        assertTrue(size <= STATE_BYTES_BUDGET, "default state takes " + size + " bytes");
    }

    @Test
    void shouldRejectUnknownVersionsTruncationAndCorruption() {
        byte[] bytes = DetectorStateCodec.encode(sampleState());
        byte[] wrongVersion = bytes.clone();
        wrongVersion[0] = (byte) (DetectorStateCodec.FORMAT_VERSION + 1);
        assertTrue(assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(wrongVersion))
                .getMessage().contains("version " + (DetectorStateCodec.FORMAT_VERSION + 1)));
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(Arrays.copyOf(bytes, bytes.length - 7)));
        byte[] flipped = bytes.clone();
        flipped[40] ^= 0x10;
        assertTrue(assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(flipped))
                .getMessage().contains("checksum"));
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(new byte[3]));
    }

    @Test
    void shouldRefuseAnImpossiblePendingSwap() {
        byte[] bytes = DetectorStateCodec.encode(sampleState());
        int pendingVersionAt = 5 + 2 * 32 * 4 + 8 + 1 + 8 * 8 + 8;
        java.nio.ByteBuffer.wrap(bytes).putLong(pendingVersionAt, 0);
        PayloadMutations.fixChecksum(bytes);
        assertThrows(dev.vigil.BadBytesException.class, () -> DetectorStateCodec.decode(bytes));
    }


    @Test
    void shouldRefuseAnImpossibleHistoryHeadLength() {
        byte[] bytes = DetectorStateCodec.encode(sampleState(), new byte[] {7, 7, 7});
        java.nio.ByteBuffer.wrap(bytes).putInt(bytes.length - 8, bytes.length);
        PayloadMutations.fixChecksum(bytes);
        assertThrows(BadBytesException.class, () -> DetectorStateCodec.decode(bytes));
        assertThrows(BadBytesException.class, () -> DetectorStateBytes.historyHead(bytes));
    }

    /** How a fixture's bytes are made when it is written anew. */
    interface FixtureBytes {
        byte[] make() throws IOException;
    }

    /**
     * Writes the fixture {@code name} into the test sources anew, only when asked ({@code -Dvigil.updateFixtures=true},
     * as a format changes on purpose); {@link #fixture} reads it from the test classes of the next build.
     */
    static void writeWhenAsked(String name, FixtureBytes bytes) throws IOException {
        if (Boolean.getBoolean("vigil.updateFixtures")) {
            java.nio.file.Files.write(java.nio.file.Path.of("src/test/resources" + name), bytes.make());
        }
    }

    /** A released fixture's bytes, from the test resources. */
    static byte[] fixture(String name) throws IOException {
        try (InputStream in = DetectorStateCodecTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing");
            return in.readAllBytes();
        }
    }
}
