package dev.vigil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.testutil.NabData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reproduces NAB's published dev-half figures from the reference results in {@code ../shared/nab},
 * and NAB's own per-file scores recorded in their {@code S(t)_*} columns. These need the whole dev
 * corpus: each test is skipped, with the reason, where {@code ../shared/nab} is not beside the checkout.
 */
class NabReferenceScoresTest {
    /** Published figures have one decimal: a faithful scorer rounds to them. */
    private static final double PUBLISHED_TOLERANCE = 0.05;
    /** NAB's S(t) columns are written with 12 significant digits. */
    private static final double PER_FILE_TOLERANCE = 1e-9;

    private final NabScorer scorer = new NabScorer();
    private Path nab;

    @BeforeEach
    void findDevCorpus() {
        nab = NabData.devCorpus();
    }

    @Test
    void shouldLoadEveryDevFileAndWindow() {
        NabLabels labels = NabLabels.load(nab.resolve("labels").resolve("combined_windows.json"));
        assertEquals(31, labels.relativePaths().size());
        assertEquals(57, labels.windowCount());
        List<NabWindow> taxi = labels.windowsFor("realKnownCause/nyc_taxi.csv");
        assertEquals(LocalDateTime.of(2014, 10, 30, 15, 30), taxi.get(0).start());
        assertEquals(LocalDateTime.of(2014, 11, 3, 22, 30), taxi.get(0).end());
    }

    @ParameterizedTest(name = "{0}: {1} / {2} / {3}")
    @CsvSource({"numenta, 71.2, 65.0, 75.9", "windowedGaussian, 36.7, 21.4, 45.2"})
    void shouldReproducePublishedDevScores(String detector, double standard, double lowFp, double lowFn) {
        NabLabels labels = NabLabels.load(nab.resolve("labels").resolve("combined_windows.json"));
        List<ScoredSeries> corpus = NabResultsReader.read(nab.resolve("reference-results"), detector);
        Map<NabProfile, NabScore> scores = scorer.scoreAll(corpus, labels);
        assertEquals(31, corpus.size());
        assertEquals(57, scores.get(NabProfile.STANDARD).windowCount());
        assertEquals(standard, scores.get(NabProfile.STANDARD).normalisedScore(), PUBLISHED_TOLERANCE);
        assertEquals(lowFp, scores.get(NabProfile.REWARD_LOW_FP).normalisedScore(), PUBLISHED_TOLERANCE);
        assertEquals(lowFn, scores.get(NabProfile.REWARD_LOW_FN).normalisedScore(), PUBLISHED_TOLERANCE);
    }

    /**
     * The reference files hold, per profile, NAB's per-row scores at the threshold NAB chose on the
     * full corpus (not the dev half). That threshold lies just above the highest score of an
     * undetected scorable row outside windows; at it, each file's raw score must equal the sum of
     * its S(t) column: this checks every weight formula, file by file.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "numenta, STANDARD", "numenta, REWARD_LOW_FP", "numenta, REWARD_LOW_FN",
        "windowedGaussian, STANDARD", "windowedGaussian, REWARD_LOW_FP", "windowedGaussian, REWARD_LOW_FN",
    })
    void shouldMatchNabPerFileScoresRecordedInReferenceResults(String detector, NabProfile profile)
            throws IOException {
        NabLabels labels = NabLabels.load(nab.resolve("labels").resolve("combined_windows.json"));
        String column = "S(t)_" + profile.nabName();
        List<Path> files;
        try (var walk = Files.walk(nab.resolve("reference-results").resolve(detector))) {
            files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        double highestUndetected = 0.0;
        for (Path f : files) {
            highestUndetected = Math.max(highestUndetected, highestUndetectedOutsideWindows(f, column));
        }
        double threshold = Math.nextUp(highestUndetected);
        double totalNab = 0.0;
        for (Path f : files) {
            String name = f.getFileName().toString();
            String relativePath = f.getParent().getFileName() + "/" + name.substring(detector.length() + 1);
            ScoredSeries s = NabResultsReader.readFile(f, relativePath);
            double nab = Arrays.stream(column(f, column)).sum();
            totalNab += nab;
            if (!labels.windowsFor(relativePath).isEmpty()) {
                double ours = scorer.scoreAt(List.of(s), labels, profile, threshold).rawScore();
                assertEquals(nab, ours, PER_FILE_TOLERANCE, relativePath);
            }
        }
        List<ScoredSeries> corpus = NabResultsReader.read(nab.resolve("reference-results").resolve(detector));
        double totalOurs = scorer.scoreAt(corpus, labels, profile, threshold).rawScore();
        assertEquals(totalNab, totalOurs, PER_FILE_TOLERANCE * files.size());
    }

    private static double highestUndetectedOutsideWindows(Path file, String column) throws IOException {
        List<String[]> rows = rows(file);
        List<String> header = Arrays.asList(rows.get(0));
        int score = header.indexOf("anomaly_score");
        int label = header.indexOf("label");
        int weight = header.indexOf(column);
        int probation = CorpusRows.probationLength(rows.size() - 1);
        double highest = 0.0;
        for (int i = 1 + probation; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (r[label].equals("0") && Double.parseDouble(r[weight]) == 0.0) {
                highest = Math.max(highest, Double.parseDouble(r[score]));
            }
        }
        return highest;
    }

    private static double[] column(Path file, String column) throws IOException {
        List<String[]> rows = rows(file);
        int c = Arrays.asList(rows.get(0)).indexOf(column);
        return rows.subList(1, rows.size()).stream().mapToDouble(r -> Double.parseDouble(r[c])).toArray();
    }

    private static List<String[]> rows(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> l.split(",", -1)).toList();
    }
}
