package dev.vigil.eval;

import dev.vigil.VigilException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One file of a corpus scored for Vigil and for a peer, a published detector whose NAB results are at hand (NAB's
 * {@code numenta} results for the dev half): each one's share of the corpus's NAB score at its own corpus-wide
 * threshold ({@link FileScore}), Vigil's the mean over its runs. The same code scores both on the same files, so the
 * comparison holds in one run; the files where the peer is ahead are where Vigil misses what a detector that carries
 * over to unseen series found.
 *
 * @param file                the file
 * @param windows             its scored windows
 * @param caught              Vigil's windows caught, the mean over the runs
 * @param falsePositives      Vigil's false-positive rows, the mean over the runs
 * @param raw                 Vigil's share of the raw score, the mean over the runs
 * @param peerCaught          the peer's windows caught
 * @param peerFalsePositives  the peer's false-positive rows
 * @param peerRaw             the peer's share of its raw score
 */
public record PeerFile(String file, int windows, double caught, double falsePositives, double raw, int peerCaught,
                       int peerFalsePositives, double peerRaw) {
    /** The CSV header of {@link #write}. */
    static final String CSV_HEADER = "file,windows,caught,false_positives,raw,peer_caught,peer_false_positives,"
            + "peer_raw,difference";

    /** Vigil's share less the peer's: positive where Vigil is ahead. */
    public double difference() {
        return raw - peerRaw;
    }

    /**
     * Pairs each file of Vigil's runs (each from {@link FileScore#at}, the same files in the same order) with the
     * peer's, in the first run's order.
     *
     * @throws VigilException when the peer has no score for one of the files, or the runs differ in their files
     */
    public static List<PeerFile> of(List<List<FileScore>> runs, List<FileScore> peer) {
        Map<String, FileScore> peerByFile = new HashMap<>();
        peer.forEach(p -> peerByFile.put(p.file(), p));
        List<PeerFile> out = new ArrayList<>();
        List<FileScore> first = runs.get(0);
        for (int i = 0; i < first.size(); i++) {
            String file = first.get(i).file();
            FileScore p = peerByFile.get(file);
            if (p == null) {
                throw new VigilException("the peer has no results for " + file);
            }
            double caught = 0;
            double falsePositives = 0;
            double raw = 0;
            for (List<FileScore> run : runs) {
                FileScore f = run.get(i);
                if (!f.file().equals(file)) {
                    throw new VigilException("runs scored different files: " + file + " and " + f.file());
                }
                caught += f.caught();
                falsePositives += f.falsePositives();
                raw += f.raw();
            }
            int n = runs.size();
            out.add(new PeerFile(file, first.get(i).windows(), caught / n, falsePositives / n, raw / n, p.caught(),
                    p.falsePositives(), p.raw()));
        }
        return out;
    }

    /** Writes one line a file ({@link #CSV_HEADER}). */
    public static void write(Path file, List<PeerFile> rows) {
        CsvLines.write(file, CSV_HEADER, rows, PeerFile::csvLine);
    }

    private String csvLine() {
        return String.format(Locale.ROOT, "%s,%d,%.2f,%.2f,%.3f,%d,%d,%.3f,%.3f", CsvLines.path(file), windows, caught,
                falsePositives, raw, peerCaught, peerFalsePositives, peerRaw, difference());
    }
}
