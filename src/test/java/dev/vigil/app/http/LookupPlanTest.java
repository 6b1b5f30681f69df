package dev.vigil.app.http;

import dev.vigil.app.http.LookupPlan.Probe;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The order in which a key is looked for, and the partitions header of forwarded lookups. */
class LookupPlanTest {
    private static final HostInfo A = new HostInfo("a.example", 8080);
    private static final HostInfo B = new HostInfo("b.example", 8080);
    private static final HostInfo C = new HostInfo("c.example", 8080);

    @Test
    void shouldReadTheDirectPartitionFirstThenTheOwnersOthersThenOursThenTheRest() {
        Map<HostInfo, Set<Integer>> hosted = Map.of(A, Set.of(0, 3), B, Set.of(1, 4), C, Set.of(2, 5));
        assertEquals(List.of(new Probe(B, List.of(4, 1)), new Probe(A, List.of(0, 3)), new Probe(C, List.of(2, 5))),
                LookupPlan.of(A, 4, B, hosted));
    }

    @Test
    void shouldReadEveryPartitionHereBeforeAskingAnotherInstanceWhenTheDirectOneIsHere() {
        Map<HostInfo, Set<Integer>> hosted = Map.of(A, Set.of(0, 1, 2), C, Set.of(3), B, Set.of(4));
        assertEquals(List.of(new Probe(A, List.of(2, 0, 1)), new Probe(B, List.of(4)), new Probe(C, List.of(3))),
                LookupPlan.of(A, 2, A, hosted));
    }

    @Test
    void shouldReadOnlyTheDirectPartitionWhenNothingIsToBeScanned() {
        assertEquals(List.of(new Probe(B, List.of(1))), LookupPlan.of(A, 1, B, Map.of()));
        assertEquals(List.of(new Probe(A, List.of(0))), LookupPlan.of(A, 0, A, Map.of(A, Set.of(0))));
    }

    @Test
    void shouldAskEachInstanceOnceAndNeverAnInstanceHoldingNoPartition() {
        // the metadata still lists the direct partition under its old owner as well (a rebalance in flight)
        Map<HostInfo, Set<Integer>> hosted = Map.of(A, Set.of(0, 1, 2), B, Set.of(), C, Set.of(0));
        List<Probe> probes = LookupPlan.of(A, 0, C, hosted);
        assertEquals(List.of(new Probe(C, List.of(0)), new Probe(A, List.of(1, 2))), probes);
    }

    @Test
    void shouldParseThePartitionsOfAForwardedLookupAndRejectAnythingElseInOneLine() {
        assertEquals(List.of(3, 0, 7), PeerClient.partitions("3,0, 7"));
        for (String bad : new String[] {"", "1,,2", "x", "-1", "1;2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerClient.partitions(bad));
            assertEquals("X-Vigil-Partitions must list partition numbers, e.g. 0,3; got '" + bad + "'", e.getMessage());
        }
    }
}
