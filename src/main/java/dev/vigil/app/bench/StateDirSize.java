package dev.vigil.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Disk use of a Kafka Streams state directory (what {@code du} would count, in apparent bytes), and cleanup. */
final class StateDirSize {
    /** Kafka Streams keeps global stores under this subdirectory of the application's state directory. */
    static final String GLOBAL_DIR = "global";

    private StateDirSize() {
    }

    /**
     * @return {per-task store bytes, global store bytes}: the sizes of all regular files under {@code stateDir},
     * split by whether they lie under a {@value #GLOBAL_DIR} directory
     */
    static long[] measure(Path stateDir) throws IOException {
        long[] bytes = new long[2];
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                boolean global = stateDir.relativize(f).toString().contains(GLOBAL_DIR + f.getFileSystem().getSeparator())
                        || stateDir.relativize(f).startsWith(GLOBAL_DIR);
                bytes[global ? 1 : 0] += size(f);
            });
        }
        return bytes;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
