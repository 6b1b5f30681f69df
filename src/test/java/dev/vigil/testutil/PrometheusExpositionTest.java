package dev.vigil.testutil;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The strict reading of a scrape fails where Prometheus would not store what the text meant. */
class PrometheusExpositionTest {
    @Test
    void shouldReadCountersAndGaugesWithTheirLabels() {
        PrometheusExposition scrape = PrometheusExposition.parse("""
                # HELP a_total A.
                # TYPE a_total counter
                a_total{k="x"} 2.0
                a_total{k="y"} 3.0
                # TYPE b gauge
                b NaN
                """);
        assertEquals(5.0, scrape.sum("a_total"));
        assertEquals(3.0, scrape.sum("a_total", java.util.Map.of("k", "y")));
    }

    @Test
    void shouldFailOnALineTheParserSkips() {
        assertThrows(AssertionError.class, () -> PrometheusExposition.parse("# TYPE a gauge\na{k=\"x} 1\n"));
        assertThrows(AssertionError.class, () -> PrometheusExposition.parse("# TYPE a gauge\na one\n"));
    }

    @Test
    void shouldFailOnAFamilyThatMixesLabelNames() {
        assertThrows(AssertionError.class,
                () -> PrometheusExposition.parse("# TYPE a gauge\na{k=\"x\"} 1\na{j=\"x\"} 1\n"));
    }
}
