package dev.vigil.app.bench;

import dev.vigil.testutil.KafkaTestBroker;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny run of {@code vigil bench fleet} against the shared test broker: both fleets process every event, the
 * stores hold one state per key and the published models, the restore reads the changelogs back, and the counting
 * topology counts every event of both fleets in every round.
 */
class FleetBenchmarkIT {
    @Test
    void shouldMeasureBothFleetsAndTheRestore() throws Exception {
        StringWriter text = new StringWriter();
        FleetSettings settings = new FleetSettings(400, 5, 20, 0.25, 2, 64L << 20, 50, -1, -1,
                2, KafkaTestBroker.shared().bootstrapServers());
        FleetBenchmarkResult result = new FleetBenchmark(settings, new PrintWriter(text)).run();

        for (FleetBenchmark.Fleet fleet : new FleetBenchmark.Fleet[] {result.small(), result.large()}) {
            assertEquals(2_000, fleet.timing().outputs(), fleet.toString());
            assertTrue(fleet.timing().rate() > 0, fleet.toString());
            assertEquals(Math.round(fleet.keys() * 0.25), fleet.models(), fleet.toString());
            // one instance owns every partition: it holds every published model (the publish checks each send),
            // and those the run trained and put in force besides
            assertTrue(fleet.modelsHeld() >= fleet.models(), "the published models are held: " + fleet);
            // the history head is in the state value; the history store only filled blocks (none at 5 readings a key)
            assertTrue(fleet.stateBytes() > 100 && fleet.headBytes() > 0 && fleet.headBytes() < fleet.stateBytes()
                            && fleet.modelStoreBytes() > 4_000,
                    fleet.toString());
            assertTrue(fleet.heapAfterGc() > 0 && fleet.taskStoreBytes() > 0, fleet.toString());
            // every key's state, as it last saved it, is held decoded within the default bound
            assertEquals(fleet.keys(), fleet.heldStates(), fleet.toString());
            assertTrue(fleet.stateCacheBytes() > fleet.keys() * fleet.stateBytes(), fleet.toString());
        }
        // a key's state reaches the changelog at most once per commit: the 20 keys of the small fleet, each with
        // several events per commit interval, write fewer states per event than the 400 of the large one, and no
        // fleet writes more than one per event
        assertTrue(result.small().stateWritesPerEvent() > 0
                        && result.small().stateWritesPerEvent() < result.large().stateWritesPerEvent()
                        && result.large().stateWritesPerEvent() <= 1.0, result.toString());
        // the small fleet's keys saw 100 events each, the large one's 5: more history per key
        assertTrue(result.small().historyBytes() > result.large().historyBytes(), result.toString());
        assertTrue(result.restore().restoredRecords() > 0 && result.restore().seconds() > 0, result.toString());
        // the second round ran both fleets again over all their events; the ratio is the rounds' median (their mean)
        assertEquals(2, result.rounds().size(), result.toString());
        FleetBenchmark.Round again = result.rounds().get(1);
        assertEquals(2_000, again.small().outputs(), result.toString());
        assertEquals(2_000, again.large().outputs(), result.toString());
        assertEquals(result.large().timing().rate() / result.small().timing().rate(), result.rounds().get(0).ratio(),
                1e-12);
        assertEquals((result.rounds().get(0).ratio() + again.ratio()) / 2, result.ratio(), 1e-12);
        // Kafka Streams' floor ran in every round over each fleet's events: every count came out
        for (FleetBenchmark.Round round : result.rounds()) {
            assertEquals(2_000, round.countingSmall().outputs(), result.toString());
            assertEquals(2_000, round.countingLarge().outputs(), result.toString());
            assertTrue(round.countingSmall().rate() > 0 && round.countingLarge().rate() > 0, result.toString());
        }
        assertEquals((result.rounds().get(0).floorRatio() + again.floorRatio()) / 2, result.floorRatio(), 1e-12);
        // past its first two passes over its keys a fleet is timed again, over what came after the mark only (the
        // mark is taken at a poll, so a run whose outputs came in one or two batches may not have been timed so)
        for (FleetBenchmark.Round round : result.rounds()) {
            for (StreamBenchmark.Timing timing : new StreamBenchmark.Timing[] {round.small(), round.large()}) {
                long mark = timing == round.small() ? 40 : 800;
                assertTrue(timing.settled() == null || timing.settled().outputs() > 0
                        && timing.settled().outputs() <= 2_000 - mark && timing.settled().rate() > 0,
                        result.toString());
            }
        }
        assertTrue(text.toString().contains("the same for Kafka Streams' counting topology"), text.toString());
        assertTrue(text.toString().contains("events/s at 400 keys over 20 keys"), text.toString());
        assertTrue(text.toString().contains("round 2 (large fleet first)"), text.toString());
    }
}
