package dev.vigil.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the tests find NAB data. Unit tests use the few files shipped in {@code src/test/resources/nab}
 * (two realAdExchange series, their windows and one published result file; its README gives NAB's licence
 * and citation), so a clone passes on its own. Checks whose point is the whole dev corpus read
 * {@code ../shared/nab} and are skipped, saying so, where that folder is not beside the checkout.
 */
public final class NabData {
    /** The dev corpus beside the project; tests run from the project folder. */
    private static final Path DEV_CORPUS = Path.of("..", "shared", "nab");
    private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();

    private NabData() {
    }

    /** The shipped subset, a folder laid out like NAB's: {@code data/}, {@code labels/}, {@code reference-results/}. */
    public static Path shipped() {
        URL url = NabData.class.getResource("/nab/labels/combined_windows.json");
        if (url == null) {
            throw new IllegalStateException("test resource /nab/labels/combined_windows.json is not on the classpath");
        }
        try {
            return Path.of(url.toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot resolve " + url, e);
        }
    }

    /** The shipped windows file: {@code art_noisy} (no window), exchange-2 (one window) and exchange-3 (three). */
    public static Path shippedWindows() {
        return shipped().resolve("labels").resolve("combined_windows.json");
    }

    /**
     * The whole dev corpus (31 files, 57 windows) in {@code ../shared/nab}. Where the folder is absent, aborts
     * the calling test, which JUnit reports as skipped with the reason, and prints that reason once to the
     * console: Surefire's console shows only a count of skipped tests.
     */
    public static Path devCorpus() {
        boolean present = Files.isDirectory(DEV_CORPUS);
        String reason = "NAB whole-corpus checks skipped: " + DEV_CORPUS + " not found (it sits beside the checkout"
                + " in the project's own tree and in CI; a clone runs the shipped subset only)";
        if (!present && !SKIP_REPORTED.getAndSet(true)) {
            System.out.println(reason);
        }
        assumeTrue(present, reason);
        return DEV_CORPUS;
    }
}
