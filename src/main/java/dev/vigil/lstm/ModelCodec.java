package dev.vigil.lstm;

import dev.vigil.BadBytesException;
import dev.vigil.VigilException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Binary form of an {@link LstmModel}. All numbers big-endian; doubles and floats as IEEE 754 bits, so a
 * round trip is bit-exact. {@link #encode} writes format version 4 when every parameter is a half-precision value
 * (what training leaves: {@link HalfPrecision#round}), else version 3; versions 1 and 2 (double parameters) are
 * still read, their parameters rounded to float and re-laid out. Layout of format version 1 (a model without
 * context inputs; version 2 is the same with one more {@code int contextSize k} after the residual byte, and
 * {@code in_0 = d + k}; version 3 is version 2, any {@code k >= 0}, with the parameters as {@code 4P} bytes of
 * float32 in the layout of {@link ParameterLayout}: each {@code W_l}ᵀ row-major instead of {@code W_l}; version 4
 * is version 3 with the parameters as {@code 2P} bytes of IEEE 754 binary16, the same values; in versions 3 and 4
 * the context int's low byte is {@code k} and the byte above it the day's harmonics less one, 0 for a model whose
 * calendar inputs give the day's phase alone, so such a model's bytes are what they were before harmonics):
 *
 * <pre>
 *  size      field
 *  4         magic "VGLM" (0x56 0x47 0x4C 0x4D)
 *  4  int    format version = 1
 *  4  int    inputSize d
 *  4  int    hiddenSize H
 *  4  int    layers L
 *  8  double forgetBias
 *  1  byte   residual (0 or 1)
 *  8d double normalisation center[0..d)
 *  8d double normalisation scale[0..d)
 *  4  int    modelId length n (bytes, 0..1024)
 *  n         modelId, UTF-8
 *  8  long   version
 *  8  long   seed
 *  4  int    epochs
 *  8  double trainLoss
 *  8  double validationLoss
 *  4  int    points
 *  4  int    parameter count P (must equal what the shape implies)
 *  8P double parameters: per layer W_l (4H × (in_l + H), row-major, gate blocks i, f, g, o,
 *            columns [input; h]), b_l (4H); then Wy (d × H, row-major), by (d)
 *  4  int    CRC32 of every preceding byte
 * </pre>
 *
 * {@link #decode} rejects, with a {@link BadBytesException} naming the problem: a wrong magic, an
 * unknown format version, truncated or trailing bytes, a checksum mismatch, shapes or metadata out
 * of range or inconsistent, and non-finite parameters. Stateless and thread-safe.
 */
public final class ModelCodec {

    /** The format of a model without context inputs and double parameters (read, no longer written). */
    public static final int FORMAT_VERSION = 1;
    /** The format of a model with context inputs and double parameters (read, no longer written). */
    public static final int CONTEXT_FORMAT_VERSION = 2;
    /** The format {@link #encode} writes for a model with other than half-precision parameters: float32 ones. */
    public static final int FLOAT_FORMAT_VERSION = 3;
    /** The format {@link #encode} writes for a model whose parameters are all half-precision values: binary16. */
    public static final int HALF_FORMAT_VERSION = 4;
    /** {@code "VGLM"} as a big-endian int. */
    static final int MAGIC = 0x56474C4D;
    /** Where the day's harmonics less one sit in the context int of format versions 3 and 4. */
    private static final int HARMONICS_SHIFT = 8;
    /** Bytes before the normalisation arrays: magic, version, four config numbers, residual. */
    private static final int CONFIG_END = 29;
    /** Bytes of training info after the model id: version, seed, epochs, two losses, points. */
    private static final int INFO_TAIL = 40;

    private ModelCodec() {
    }

    /**
     * The model's bytes: format {@value #HALF_FORMAT_VERSION} when every parameter is a half-precision value, else
     * {@value #FLOAT_FORMAT_VERSION}; both read back to the same parameter bits.
     */
    public static byte[] encode(LstmModel model) {
        LstmConfig config = model.config();
        byte[] id = model.info().modelId().getBytes(StandardCharsets.UTF_8);
        float[] p = model.parameters();
        int format = allHalf(p) ? HALF_FORMAT_VERSION : FLOAT_FORMAT_VERSION;
        ByteBuffer out = ByteBuffer.allocate(totalLength(format, config.inputSize(), id.length, p.length));
        out.putInt(MAGIC).putInt(format);
        out.putInt(config.inputSize()).putInt(config.hiddenSize()).putInt(config.layers());
        out.putDouble(config.forgetBias()).put((byte) (config.residual() ? 1 : 0));
        out.putInt(config.contextSize() | (config.dayHarmonics() - 1) << HARMONICS_SHIFT);
        putAll(out, model.normalisation().center());
        putAll(out, model.normalisation().scale());
        TrainingInfo info = model.info();
        out.putInt(id.length).put(id);
        out.putLong(info.version()).putLong(info.seed()).putInt(info.epochs());
        out.putDouble(info.trainLoss()).putDouble(info.validationLoss()).putInt(info.points());
        out.putInt(p.length);
        for (float v : p) {
            if (format == HALF_FORMAT_VERSION) {
                out.putShort(HalfPrecision.bits(v));
            } else {
                out.putFloat(v);
            }
        }
        out.putInt((int) crc(out.array(), out.position()));
        return out.array();
    }

    /**
     * The model encoded in {@code bytes}.
     *
     * @throws BadBytesException when the bytes are not a valid model of format 1, 2, 3 or 4
     */
    public static LstmModel decode(byte[] bytes) {
        if (bytes == null) {
            throw new BadBytesException("model bytes are null");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        need(bytes, 8, "magic and format version");
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new BadBytesException(String.format("not a Vigil model: magic is 0x%08X, expected 0x%08X (\"VGLM\")",
                    magic, MAGIC));
        }
        int version = in.getInt();
        if (version < FORMAT_VERSION || version > HALF_FORMAT_VERSION) {
            throw new BadBytesException("model format version " + version + " is not supported (expected "
                    + FORMAT_VERSION + ", " + CONTEXT_FORMAT_VERSION + ", " + FLOAT_FORMAT_VERSION + " or "
                    + HALF_FORMAT_VERSION + ")");
        }
        int configEnd = configEnd(version);
        need(bytes, configEnd, "the config");
        LstmConfig config = readConfig(in, version);
        int d = config.inputSize();
        need(bytes, configEnd + 16 * d + 4, "the normalisation and model id length");
        int idLength = in.getInt(configEnd + 16 * d);
        if (idLength < 0 || idLength > TrainingInfo.MAX_MODEL_ID_BYTES) {
            throw new BadBytesException("model id length must be in [0, " + TrainingInfo.MAX_MODEL_ID_BYTES
                    + "], got " + idLength);
        }
        int parameters = new ParameterLayout(config).size();
        int expected = totalLength(version, d, idLength, parameters);
        if (bytes.length < expected) {
            throw new BadBytesException("model bytes truncated: " + config.shapeText() + " needs " + expected
                    + " bytes, got " + bytes.length);
        }
        if (bytes.length > expected) {
            throw new BadBytesException("model bytes have " + (bytes.length - expected) + " trailing bytes: "
                    + config.shapeText() + " needs " + expected + " bytes, got " + bytes.length);
        }
        int stored = in.getInt(expected - 4);
        int computed = (int) crc(bytes, expected - 4);
        if (stored != computed) {
            throw new BadBytesException(String.format("model checksum mismatch: stored CRC32 0x%08X, computed 0x%08X",
                    stored, computed));
        }
        return readBody(in, version, config, idLength, parameters);
    }

    private static LstmConfig readConfig(ByteBuffer in, int version) {
        int inputSize = in.getInt();
        int hiddenSize = in.getInt();
        int layers = in.getInt();
        double forgetBias = in.getDouble();
        byte residual = in.get();
        if (residual != 0 && residual != 1) {
            throw new BadBytesException("residual flag must be 0 or 1, got " + residual);
        }
        int context = version == FORMAT_VERSION ? 0 : in.getInt();
        boolean harmonics = version >= FLOAT_FORMAT_VERSION && context >= 0 && context >>> 2 * HARMONICS_SHIFT == 0;
        int contextSize = harmonics ? context & 0xff : context;
        int dayHarmonics = harmonics ? (context >>> HARMONICS_SHIFT) + 1 : 1;
        if (version == CONTEXT_FORMAT_VERSION && contextSize == 0) {
            throw new BadBytesException("a format-2 model must have context inputs, got contextSize 0");
        }
        try {
            return new LstmConfig(inputSize, hiddenSize, layers, forgetBias, residual == 1, contextSize,
                    dayHarmonics);
        } catch (VigilException e) {
            throw new BadBytesException("inconsistent model shape: " + e.getMessage(), e);
        }
    }

    private static LstmModel readBody(ByteBuffer in, int version, LstmConfig config, int idLength,
                                      int parameterCount) {
        int d = config.inputSize();
        double[] center = getAll(in, d);
        double[] scale = getAll(in, d);
        in.getInt();
        String modelId = readUtf8(in, idLength);
        try {
            Normalisation normalisation = new Normalisation(center, scale);
            TrainingInfo info = new TrainingInfo(modelId, in.getLong(), in.getLong(), in.getInt(), in.getDouble(),
                    in.getDouble(), in.getInt());
            int count = in.getInt();
            if (count != parameterCount) {
                throw new BadBytesException("parameter count " + count + " does not match " + parameterCount
                        + " implied by " + config.shapeText());
            }
            ParameterLayout layout = new ParameterLayout(config);
            float[] parameters;
            if (version == HALF_FORMAT_VERSION) {
                parameters = getHalves(in, count, layout);
            } else if (version == FLOAT_FORMAT_VERSION) {
                parameters = new float[count];
                for (int j = 0; j < count; j++) {
                    parameters[j] = in.getFloat();
                }
            } else {
                double[] stored = getAll(in, count);
                checkFinite(stored, layout);
                parameters = layout.fromRowMajor(stored);
            }
            checkFinite(parameters, layout);
            return new LstmModel(config, normalisation, info, parameters);
        } catch (BadBytesException e) {
            throw e;
        } catch (VigilException e) {
            throw new BadBytesException("inconsistent model contents: " + e.getMessage(), e);
        }
    }

    private static String readUtf8(ByteBuffer in, int length) {
        ByteBuffer slice = in.slice();
        slice.limit(length);
        in.position(in.position() + length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new BadBytesException("model id is not valid UTF-8", e);
        }
    }

    /** {@code count} binary16 values widened to float; infinities and NaNs are refused. */
    private static float[] getHalves(ByteBuffer in, int count, ParameterLayout layout) {
        float[] values = new float[count];
        for (int j = 0; j < count; j++) {
            short h = in.getShort();
            if ((h & 0x7c00) == 0x7c00) {
                throw new BadBytesException("parameter " + j + " (" + layout.describe(j) + ") is "
                        + ((h & 0x3ff) == 0 ? "infinite" : "NaN") + "; parameters must be finite binary16 values");
            }
            values[j] = HalfPrecision.widenBits(h);
        }
        return values;
    }

    private static boolean allHalf(float[] parameters) {
        for (float v : parameters) {
            if (!HalfPrecision.exact(v)) {
                return false;
            }
        }
        return true;
    }

    private static void checkFinite(float[] parameters, ParameterLayout layout) {
        for (int p = 0; p < parameters.length; p++) {
            if (!Float.isFinite(parameters[p])) {
                throw new BadBytesException("parameter " + p + " (" + layout.describe(p) + ") is "
                        + parameters[p] + "; parameters must be finite float32 values");
            }
        }
    }

    private static void checkFinite(double[] parameters, ParameterLayout layout) {
        for (int p = 0; p < parameters.length; p++) {
            if (!Double.isFinite(parameters[p])) {
                throw new BadBytesException("parameter " + p + " (" + layout.describe(p) + ") is "
                        + parameters[p] + "; parameters must be finite");
            }
        }
    }

    private static void need(byte[] bytes, int length, String what) {
        if (bytes.length < length) {
            throw new BadBytesException("model bytes truncated: need at least " + length + " bytes for " + what
                    + ", got " + bytes.length);
        }
    }

    /** Bytes before the normalisation arrays in {@code format}. */
    private static int configEnd(int format) {
        return format == FORMAT_VERSION ? CONFIG_END : CONFIG_END + 4;
    }

    private static int totalLength(int format, int d, int idLength, int parameters) {
        int parameterBytes = format == HALF_FORMAT_VERSION ? 2 : format == FLOAT_FORMAT_VERSION ? 4 : 8;
        long length = configEnd(format) + 16L * d + 4 + idLength + INFO_TAIL + 4 + (long) parameterBytes * parameters
                + 4;
        if (length > Integer.MAX_VALUE - 8) {
            throw new BadBytesException("model of " + parameters + " parameters is too large to encode");
        }
        return (int) length;
    }

    private static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static void putAll(ByteBuffer out, double[] values) {
        for (double v : values) {
            out.putDouble(v);
        }
    }

    private static double[] getAll(ByteBuffer in, int count) {
        double[] values = new double[count];
        for (int j = 0; j < count; j++) {
            values[j] = in.getDouble();
        }
        return values;
    }
}
