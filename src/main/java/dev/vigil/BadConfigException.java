package dev.vigil;

/** A configuration value is missing, unknown, of the wrong type or out of range. */
public class BadConfigException extends VigilException {
    public BadConfigException(String message) {
        super(message);
    }

    public BadConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
