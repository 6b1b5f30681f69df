package dev.vigil.stream;

import dev.vigil.BadBytesException;
import dev.vigil.BadConfigException;
import dev.vigil.detect.CalendarInputs;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;

/**
 * Decodes and validates a model payload read from the models topic for one key: it must decode
 * ({@link ModelCodec}), have the topology's shape (channels, hidden size, layers), carry the key as its model id,
 * a version of at least 1 (0 is what a key without a model reports), and be no larger than the configured limit.
 */
final class ModelPayloads {
    private ModelPayloads() {
    }

    /**
     * @throws BadBytesException naming what is wrong with the payload
     */
    static LstmModel decode(String key, byte[] payload, LstmConfig expected, int maxBytes) {
        if (payload.length > maxBytes) {
            throw new BadBytesException("model payload of " + payload.length + " bytes is larger than retrain.maxModelBytes = "
                    + maxBytes);
        }
        LstmModel model;
        try {
            model = ModelCodec.decode(payload);
        } catch (BadBytesException e) {
            throw e;
        } catch (RuntimeException e) {
            // Untrusted bytes: whatever the decoder trips over is a bad payload, not a reason to stop the thread
            // (an exception on the stream thread would stop the instance).
            throw new BadBytesException("model payload cannot be decoded: " + e, e);
        }
        LstmConfig shape = model.config();
        if (!expected.fits(shape)) {
            throw new BadBytesException("model shape (" + shape.shapeText() + ") does not match the topology's ("
                    + expected.shapeText() + ")");
        }
        try {
            CalendarInputs.of(shape);
        } catch (BadConfigException e) {
            throw new BadBytesException("model shape (" + shape.shapeText() + ") reads no calendar: " + e.getMessage(),
                    e);
        }
        if (!key.equals(model.info().modelId())) {
            throw new BadBytesException("model id '" + EventParser.echo(model.info().modelId())
                    + "' does not match its record key '" + EventParser.echo(key) + "'");
        }
        if (model.info().version() < 1) {
            throw new BadBytesException("model version must be >= 1, got " + model.info().version());
        }
        return model;
    }
}
