package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.VigilException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vigil's runs paired with a peer's scores, file by file. */
class PeerFileTest {
    private static final double EPS = 1e-9;

    @Test
    void shouldAverageVigilsRunsAndSetThemBesideThePeerInTheRunsOrder() {
        List<FileScore> seed1 = List.of(new FileScore("c/b.csv", 2, 2, 3, 1.5), new FileScore("c/a.csv", 1, 0, 0, -1));
        List<FileScore> seed2 = List.of(new FileScore("c/b.csv", 2, 1, 1, 0.5), new FileScore("c/a.csv", 1, 1, 2, 0.6));
        List<FileScore> peer = List.of(new FileScore("c/a.csv", 1, 1, 0, 0.9), new FileScore("c/b.csv", 2, 2, 0, 1.7),
                new FileScore("c/other.csv", 0, 0, 4, -0.44));
        List<PeerFile> rows = PeerFile.of(List.of(seed1, seed2), peer);
        assertEquals(2, rows.size());
        assertEquals(new PeerFile("c/b.csv", 2, 1.5, 2.0, 1.0, 2, 0, 1.7), rows.get(0));
        assertEquals(-0.7, rows.get(0).difference(), EPS);
        PeerFile a = rows.get(1);
        assertEquals("c/a.csv", a.file());
        assertEquals(0.5, a.caught(), EPS);
        assertEquals(-0.2, a.raw(), EPS);
        assertEquals(-1.1, a.difference(), EPS);
    }

    @Test
    void shouldRefuseAPeerWithoutResultsForAFileOrRunsOfDifferentFiles() {
        List<FileScore> run = List.of(new FileScore("c/a.csv", 1, 1, 0, 1.0), new FileScore("c/b.csv", 1, 1, 0, 1.0));
        VigilException missing = assertThrows(VigilException.class,
                () -> PeerFile.of(List.of(run), List.of(new FileScore("c/a.csv", 1, 1, 0, 1.0))));
        assertTrue(missing.getMessage().contains("c/b.csv"), missing.getMessage());
        List<FileScore> other = List.of(new FileScore("c/a.csv", 1, 1, 0, 1.0), new FileScore("c/z.csv", 1, 1, 0, 1));
        assertThrows(VigilException.class, () -> PeerFile.of(List.of(run, other), run));
    }
}
