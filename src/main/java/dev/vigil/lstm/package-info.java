/**
 * Stacked LSTM forecaster: parameters ({@link dev.vigil.lstm.LstmModel}), explicit per-key state
 * ({@link dev.vigil.lstm.LstmState}), one-step forward ({@link dev.vigil.lstm.LstmStepper}),
 * truncated BPTT with Adam and early stopping ({@link dev.vigil.lstm.LstmTrainer}) and the binary
 * model format ({@link dev.vigil.lstm.ModelCodec}).
 *
 * <p>The model reads normalised readings ({@link dev.vigil.lstm.Normalisation}) and forecasts the
 * next normalised reading. Numerics are float32 and deterministic bit for bit (plain IEEE arithmetic,
 * explicit seeds, gate functions built of multiplications, additions and one division); stepping and
 * training (on one thread) allocate nothing per call. Depends on {@code java.*} only.
 */
package dev.vigil.lstm;
