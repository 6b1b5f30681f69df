package dev.vigil.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path tmp;

    private int synth(StringWriter out, StringWriter err, String... args) {
        String[] all = Stream.concat(Stream.of("synth", "--out", tmp.toString()), Stream.of(args)).toArray(String[]::new);
        return Main.run(new PrintWriter(out), new PrintWriter(err), all);
    }

    @Test
    void shouldWriteTheCorpusAndSayWhatItHolds() throws IOException {
        StringWriter out = new StringWriter();
        assertEquals(0, synth(out, new StringWriter(), "--series", "3", "--seed", "4"));
        assertTrue(out.toString().startsWith("wrote 3 series ("), out.toString());
        try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".csv")).count());
        }
        for (String f : new String[] {"combined_windows.json", "combined_labels.json", "anomalies.json", "series.json"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("labels").resolve(f)), f);
        }
    }

    @Test
    void shouldStopWithOneLineOnANonEmptyFolderOrABadCount() {
        assertEquals(0, synth(new StringWriter(), new StringWriter(), "--series", "1"));
        StringWriter err = new StringWriter();
        assertEquals(2, synth(new StringWriter(), err, "--series", "1"));
        assertEquals("error: " + tmp.resolve("data") + " already holds files: write a synthetic corpus to an empty"
                + " folder", err.toString().strip());
        StringWriter bad = new StringWriter();
        assertEquals(2, synth(new StringWriter(), bad, "--series", "0"));
        assertEquals("error: series must be in [1, 10000], got 0", bad.toString().strip());
    }
}
