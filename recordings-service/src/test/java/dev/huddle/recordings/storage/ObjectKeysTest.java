package dev.huddle.recordings.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a queued object's key is told from what egress reported ({@link ObjectKeys}). */
class ObjectKeysTest {

    private static final String BUCKET = "acme-recordings";

    @ParameterizedTest(name = "key={0} location={1} -> {2}")
    @CsvSource(nullValues = "null", value = {
            // the key egress uploaded to wins, whatever the location says
            "recordings/a.mp4, https://elsewhere.example/x/y.mp4, recordings/a.mp4",
            "/recordings/a.mp4, null, recordings/a.mp4",
            // without a key: the location, only when it names our bucket
            "null, s3://acme-recordings/recordings/b.mp4, recordings/b.mp4",
            "null, https://acme-recordings.s3.amazonaws.com/recordings/c.mp4, recordings/c.mp4",
            "null, https://acme-recordings.s3.eu-west-1.amazonaws.com/recordings/d.mp4, recordings/d.mp4",
            "null, http://minio:9000/acme-recordings/recordings/e.mp4, recordings/e.mp4",
            "null, https://acme-recordings.s3.amazonaws.com/room a/f g.mp4, room a/f g.mp4",
            "null, s3://another-bucket/recordings/b.mp4, null",
            "null, https://another-bucket.s3.amazonaws.com/recordings/c.mp4, null",
            "null, http://minio:9000/another-bucket/recordings/e.mp4, null",
            "null, /local/path/recording.mp4, null",
            "null, https://acme-recordings.s3.amazonaws.com/, null",
            "'', '', null",
            "null, null, null" })
    void theKeyComesFromObjectKeyOrALocationInOurBucket(String objectKey, String location, String expected) {
        assertEquals(Optional.ofNullable(expected), ObjectKeys.resolve(objectKey, location, BUCKET));
    }
}
