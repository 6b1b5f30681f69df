package dev.vigil.lstm;

/**
 * Outcome of {@link LstmTrainer#train}: the kept (best-validation) model and how training went.
 *
 * @param model          the parameters with the lowest validation loss, carrying a {@link TrainingInfo}
 * @param epochs         epochs run (early stopping may end before {@code maxEpochs})
 * @param trainLoss      mean training MSE (normalised units) over the minibatches of the kept epoch
 * @param validationLoss one-step validation MSE (normalised units) of the best epoch's parameters, before they were
 *                       rounded to half precision
 */
public record TrainingResult(LstmModel model, int epochs, double trainLoss, double validationLoss) {
}
