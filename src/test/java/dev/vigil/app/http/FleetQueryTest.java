package dev.vigil.app.http;

import dev.vigil.VigilException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fleet view's filter, order and paging, and the merge of every instance's first rows into one page. */
class FleetQueryTest {
    private static FleetQuery.Row row(String key, double score, boolean open, String instance) {
        return new FleetQuery.Row(key, 1_000, score, open, open ? "range" : null, open ? 1 : 0, 1, false, 10, instance);
    }

    @Test
    void shouldPutOpenAlertsFirstThenSortByTheChosenColumn() {
        FleetQuery q = FleetQuery.of(Map.of("sort", "score", "order", "desc"), false);
        List<FleetQuery.Row> rows = List.of(row("a", 0.9, false, "x"), row("b", 0.2, true, "x"),
                row("c", 0.95, false, "x"), row("d", 0.6, true, "x"));
        assertEquals(List.of("d", "b", "c", "a"), q.top(rows).stream().map(FleetQuery.Row::key).toList());
        FleetQuery byKey = FleetQuery.of(Map.of("sort", "key", "order", "asc"), false);
        assertEquals(List.of("b", "d", "a", "c"), byKey.top(rows).stream().map(FleetQuery.Row::key).toList());
    }

    @Test
    void shouldMergeEachInstancesFirstRowsIntoTheSamePageAsOneInstanceWouldGive() {
        List<FleetQuery.Row> all = new ArrayList<>();
        List<FleetQuery.Row> first = new ArrayList<>();
        List<FleetQuery.Row> second = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            FleetQuery.Row r = row(String.format("key-%04d", i), (i * 7919 % 1000) / 1000.0, i % 97 == 0,
                    i % 3 == 0 ? "one" : "two");
            all.add(r);
            (i % 3 == 0 ? first : second).add(r);
        }
        FleetQuery q = FleetQuery.of(Map.of("q", "KEY-0", "offset", "200", "limit", "50"), false);
        List<FleetQuery.Row> merged = q.page(List.of(q.top(first), q.top(second)));
        List<FleetQuery.Row> single = q.page(List.of(q.top(all)));
        assertEquals(single, merged);
        assertEquals(50, merged.size());
        assertEquals(1000, q.count(all), "every key contains key-0, ignoring case");
        assertEquals(250, q.top(first).size(), "an instance sends at most offset + limit rows");
    }

    @Test
    void shouldRefuseBadParametersWithAClearMessage() {
        VigilException e = assertThrows(VigilException.class, () -> FleetQuery.of(Map.of("sort", "colour"), false));
        assertEquals("sort must be one of [key, score, lastTimestamp, modelVersion, events], got 'colour'",
                e.getMessage());
        assertThrows(VigilException.class, () -> FleetQuery.of(Map.of("limit", "501"), false));
        assertEquals(5000, FleetQuery.of(Map.of("limit", "5000"), true).limit(), "a peer asks for any depth");
        assertThrows(VigilException.class, () -> FleetQuery.of(Map.of("offset", "-1"), false));
        assertThrows(VigilException.class, () -> FleetQuery.of(Map.of("order", "up"), false));
        assertThrows(VigilException.class, () -> FleetQuery.of(Map.of("limit", "ten"), false));
    }
}
