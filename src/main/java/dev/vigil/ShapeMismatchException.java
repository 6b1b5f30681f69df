package dev.vigil;

/** Two objects that must agree on a dimension (channels, hidden size, layers) do not. */
public class ShapeMismatchException extends VigilException {
    public ShapeMismatchException(String message) {
        super(message);
    }
}
