package dev.vigil;

/**
 * Unchecked root of every error Vigil raises on purpose. Messages name the parameter, what was
 * expected and what was got, e.g. {@code hiddenSize must be > 0, got -3}.
 */
public class VigilException extends RuntimeException {
    public VigilException(String message) {
        super(message);
    }

    public VigilException(String message, Throwable cause) {
        super(message, cause);
    }
}
