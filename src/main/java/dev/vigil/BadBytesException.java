package dev.vigil;

/**
 * Persisted bytes (a model payload, a per-key state) cannot be decoded: wrong format version,
 * truncated, bad checksum or inconsistent contents. The caller keeps what it had.
 */
public class BadBytesException extends VigilException {
    public BadBytesException(String message) {
        super(message);
    }

    public BadBytesException(String message, Throwable cause) {
        super(message, cause);
    }
}
