package dev.vigil.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the evaluator's JSON side files whose root must be an object (folds, anomaly catalogs). */
final class JsonObjectFile {
    private JsonObjectFile() {
    }

    /**
     * The root object of {@code file}.
     *
     * @param what        the file's role in messages, e.g. {@code "folds file"}
     * @param missingHint appended to the message when the file does not exist (may be empty)
     * @param shape       the expected form, for the message when the root is not an object
     * @throws VigilException if the file is missing, unreadable, or not a JSON object
     */
    static JsonNode read(Path file, String what, String missingHint, String shape) {
        if (!Files.isRegularFile(file)) {
            throw new VigilException(what + " " + file + " does not exist" + missingHint);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new VigilException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new VigilException(what + " " + file + " must hold a JSON object " + shape);
        }
        return root;
    }
}
