package dev.vigil.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.BadBytesException;
import dev.vigil.lstm.LstmConfig;
import dev.vigil.lstm.LstmModel;
import dev.vigil.lstm.ModelCodec;
import dev.vigil.lstm.Normalisation;
import dev.vigil.lstm.TrainingInfo;
import org.junit.jupiter.api.Test;

class ModelPayloadsTest {
    private static final int MAX_BYTES = 1 << 20;
    private static final LstmConfig TOPOLOGY = new LstmConfig(1, 4, 1, 1.0, true);

    private static byte[] payload(LstmConfig shape) {
        LstmModel model = LstmModel.initialise(shape, Normalisation.identity(1), 5)
                .withInfo(new TrainingInfo("pump-1", 3, 5, 1, 0.1, 0.2, 500));
        return ModelCodec.encode(model);
    }

    @Test
    void shouldAcceptAModelWithTheCalendarInputsTheTopologyAllows() {
        byte[] day = payload(TOPOLOGY.withContextSize(2));
        assertEquals(2, ModelPayloads.decode("pump-1", day, TOPOLOGY.withContextSize(2), MAX_BYTES).config().contextSize());
        assertEquals(2, ModelPayloads.decode("pump-1", day, TOPOLOGY.withContextSize(4), MAX_BYTES).config().contextSize());
        assertEquals(0, ModelPayloads.decode("pump-1", payload(TOPOLOGY), TOPOLOGY.withContextSize(2), MAX_BYTES)
                .config().contextSize(), "a model trained on a window too short for the day still runs");
    }

    @Test
    void shouldAcceptTheDaysHarmonicsAndRefuseInputsThatAreNoCalendar() {
        LstmConfig timed = TOPOLOGY.withContextSize(8).withDayHarmonics(4);
        assertEquals(4, ModelPayloads.decode("pump-1", payload(timed), timed, MAX_BYTES).config().dayHarmonics());
        BadBytesException e = assertThrows(BadBytesException.class,
                () -> ModelPayloads.decode("pump-1", payload(TOPOLOGY.withContextSize(3)), timed, MAX_BYTES));
        assertEquals("model shape (d=1 H=4 layers=1 context=3) reads no calendar: a model's context inputs must be 0,"
                + " 2 or 4 calendar inputs with 1 harmonic(s) of the day, got 3", e.getMessage());
    }

    @Test
    void shouldRefuseAModelWithCalendarInputsWhereTheTopologyHasNone() {
        BadBytesException e = assertThrows(BadBytesException.class,
                () -> ModelPayloads.decode("pump-1", payload(TOPOLOGY.withContextSize(2)), TOPOLOGY, MAX_BYTES));
        assertEquals("model shape (d=1 H=4 layers=1 context=2) does not match the topology's (d=1 H=4 layers=1)",
                e.getMessage());
    }
}
