package dev.huddle.recordings.recordings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.huddle.recordings.storage.S3TestResource;
import dev.huddle.testing.Tenants;
import dev.huddle.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** Short-lived download URLs, proven by downloading from the S3-compatible server the service is configured with. */
@QuarkusTest
class DownloadUrlTest {

    private static final String URL = "/v1/recordings/orgs/{orgId}/recordings/{recordingId}/download-url";

    @Test
    void aMemberGetsAUrlThatDownloadsTheFileUntilItExpires() throws Exception {
        UUID org = Tenants.org("Downloads");
        String key = "recordings/" + UUID.randomUUID() + "/meeting.mp4";
        byte[] content = ("the recording " + key).getBytes(StandardCharsets.UTF_8);
        var blobs = S3TestResource.blobs();
        blobs.putBlob(S3TestResource.BUCKET, blobs.blobBuilder(key).payload(content).contentType("video/mp4").build());
        UUID id = insert(org, "ready", "https://" + S3TestResource.BUCKET + ".s3.amazonaws.com/" + key, key);
        OffsetDateTime asked = OffsetDateTime.now();

        var answer = given().auth().oauth2(Tenants.memberOf(org, "member").token())
                .when().post(URL, org, id).then().statusCode(200)
                .body("url", startsWith(S3TestResource.endpoint() + "/" + S3TestResource.BUCKET + "/" + key + "?"))
                .extract();
        OffsetDateTime answered = OffsetDateTime.now();
        String url = answer.path("url");
        OffsetDateTime expiresAt = OffsetDateTime.parse(answer.path("expiresAt"));

        // the default lifetime: five minutes from when it was signed, which was while we waited for the answer
        assertThat(url.contains("X-Amz-Expires=300"), is(true));
        assertThat(expiresAt.isBefore(asked.plusMinutes(5).minusSeconds(1)), is(false));
        assertThat(expiresAt.isAfter(answered.plusMinutes(5).plusSeconds(1)), is(false));
        HttpResponse<byte[]> download = get(url);
        assertThat(download.statusCode(), is(200));
        assertThat(new String(download.body(), StandardCharsets.UTF_8), equalTo(new String(content,
                StandardCharsets.UTF_8)));
        // the signature is what lets it in: without it storage refuses
        assertThat(get(url.substring(0, url.indexOf('?'))).statusCode(), is(403));
        assertThat(get(url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")).statusCode(), greaterThan(399));
    }

    @Test
    void aRecordingThatIsNotReadyOrHasNoFileIs409() {
        UUID org = Tenants.org("NotYet");
        String token = Tenants.memberOf(org, "member").token();
        for (String status : new String[] { "recording", "finalizing", "failed" }) {
            UUID id = insert(org, status, null, null);
            given().auth().oauth2(token).when().post(URL, org, id).then().statusCode(409)
                    .contentType("application/problem+json").body("type", equalTo("urn:huddle:problem:not-ready"));
        }
        UUID noFile = insert(org, "ready", null, null);
        given().auth().oauth2(token).when().post(URL, org, noFile).then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:huddle:problem:no-file"));
    }

    @Test
    void anotherOrgsRecordingIs404ForMembersAndStrangersAlike() {
        UUID mine = Tenants.org("MineToDownload");
        UUID theirs = Tenants.org("TheirsToDownload");
        UUID theirRecording = insert(theirs, "ready", null, "recordings/theirs.mp4");
        String myToken = Tenants.memberOf(mine, "member").token();
        given().auth().oauth2(myToken).when().post(URL, mine, theirRecording).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(myToken).when().post(URL, theirs, theirRecording).then().statusCode(404)
                .contentType("application/problem+json");
        given().when().post(URL, theirs, theirRecording).then().statusCode(401);
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static UUID insert(UUID org, String status, String location, String objectKey) {
        return (UUID) TestDatabase.value("""
                INSERT INTO recordings.recordings (org_id, egress_id, status, location, object_key)
                VALUES (?, ?, ?, ?, ?) RETURNING id""", org, "EG_" + UUID.randomUUID(), status, location, objectKey);
    }
}
