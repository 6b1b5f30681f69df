package dev.vigil.app.demo;

import dev.vigil.app.demo.InjectedAnomaly.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSensorTest {
    private static SyntheticSensor sensor(List<InjectedAnomaly> anomalies) {
        return new SyntheticSensor("s", List.of(), new double[] {100}, new double[] {10}, 0.05, 50, anomalies, 9);
    }

    @Test
    void shouldBeDeterministicForASeed() {
        SyntheticSensor a = sensor(List.of());
        SyntheticSensor b = sensor(List.of());
        for (int t = 0; t < 100; t++) {
            assertArrayEquals(a.reading(t), b.reading(t));
        }
    }

    @Test
    void shouldInjectEachKindWhereScheduled() {
        SyntheticSensor clean = sensor(List.of());
        SyntheticSensor dirty = sensor(List.of(new InjectedAnomaly("s", Kind.SPIKE, 10, 10),
                new InjectedAnomaly("s", Kind.LEVEL_SHIFT, 20, 29), new InjectedAnomaly("s", Kind.FROZEN, 40, 49)));
        double frozenValue = Double.NaN;
        for (int t = 0; t < 60; t++) {
            double c = clean.reading(t)[0];
            double d = dirty.reading(t)[0];
            if (t == 10) {
                assertEquals(c + 80, d, 1e-9);
            } else if (t >= 20 && t <= 29) {
                assertEquals(c + 40, d, 1e-9);
            } else if (t >= 40 && t <= 49) {
                frozenValue = t == 40 ? d : frozenValue;
                assertEquals(frozenValue, d);
            } else {
                assertEquals(c, d, 1e-9, "t=" + t);
            }
        }
    }

    @Test
    void shouldWriteSingleAndMultichannelEvents() {
        SyntheticSensor machine = new SyntheticSensor("m", List.of("temp", "vibration"), new double[] {1, 2},
                new double[] {1, 1}, 0, 10, List.of(), 1);
        assertEquals("{\"ts\":5,\"values\":{\"temp\":1.5,\"vibration\":-2.0}}", machine.json(5, new double[] {1.5, -2}));
        assertEquals("{\"ts\":7,\"value\":3.0}", sensor(List.of()).json(7, new double[] {3}));
        assertTrue(new InjectedAnomaly("s", Kind.DRIFT, 5, 9).covers(12, 3));
    }
}
