package dev.vigil.stream;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads record keys as UTF-8 and, unlike Kafka's {@code StringDeserializer}, refuses malformed bytes instead of
 * replacing them: a refused key reaches {@link DeadLetterDeserializationHandler} (and the dead-letter topic,
 * {@link RejectReason#UNDESERIALIZABLE}) rather than silently merging distinct sensors under one U+FFFD key.
 * An accepted key re-encodes to exactly its original bytes, which is what lets the detector dead-letter a
 * record with its original key. Null stays null. Stateless, thread-safe.
 */
public final class StrictStringDeserializer implements Deserializer<String> {
    @Override
    public String deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("record key (" + data.length + " bytes) on topic " + topic
                    + " is not valid UTF-8", e);
        }
    }
}
