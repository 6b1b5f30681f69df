package dev.vigil.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path tmp;

    private CommandRun synth(String... args) {
        return CommandRun.of(Stream.concat(Stream.of("synth", "--out", tmp.toString()), Stream.of(args))
                .toArray(String[]::new));
    }

    @Test
    void shouldWriteTheCorpusAndSayWhatItHolds() throws IOException {
        CommandRun run = synth("--series", "3", "--seed", "4");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("wrote 3 series ("), run.out());
        try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".csv")).count());
        }
        for (String f : new String[] {"combined_windows.json", "combined_labels.json", "anomalies.json", "series.json"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("labels").resolve(f)), f);
        }
    }

    @Test
    void shouldStopWithOneLineOnANonEmptyFolderOrABadCount() {
        assertEquals(0, synth("--series", "1").code());
        CommandRun again = synth("--series", "1");
        assertEquals(2, again.code());
        assertEquals("error: " + tmp.resolve("data") + " already holds files: write a synthetic corpus to an empty"
                + " folder", again.err().strip());
        CommandRun bad = synth("--series", "0");
        assertEquals(2, bad.code());
        assertEquals("error: series must be in [1, 10000], got 0", bad.err().strip());
    }
}
