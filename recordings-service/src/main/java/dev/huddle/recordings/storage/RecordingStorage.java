package dev.huddle.recordings.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.huddle.platform.config.ExternalService;
import dev.huddle.platform.problem.ProblemException;
import dev.huddle.recordings.config.RecordingsConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/**
 * The bucket recordings are stored in, through the AWS SDK v2: an {@link S3Client} on the JDK's URLConnection HTTP
 * client (no Netty or Apache client beside Quarkus's own) and an {@link S3Presigner}. Built once at start-up when
 * bucket and credentials are configured; without them {@link #configured()} is false and nothing here may be called.
 * The S3 calls block: call them off the event loop.
 */
@ApplicationScoped
public class RecordingStorage {

    private final RecordingsConfig.Storage config;
    private final S3Client s3;
    private final S3Presigner presigner;

    public RecordingStorage(RecordingsConfig recordings) {
        this.config = recordings.storage();
        if (asExternalService("").configured()) {
            var credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKeyId().orElseThrow(), config.secretAccessKey().orElseThrow()));
            var s3Configuration = S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
            Duration timeout = config.apiTimeout();
            var client = S3Client.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                    .region(Region.of(config.region()))
                    .credentialsProvider(credentials)
                    .serviceConfiguration(s3Configuration)
                    // only the checksums S3 requires: S3-compatible stores do not all know the newer defaults
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout));
            var signer = S3Presigner.builder()
                    .region(Region.of(config.region()))
                    .credentialsProvider(credentials)
                    .serviceConfiguration(s3Configuration);
            config.endpoint().ifPresent(endpoint -> {
                client.endpointOverride(endpoint);
                signer.endpointOverride(endpoint);
            });
            this.s3 = client.build();
            this.presigner = signer.build();
        } else {
            this.s3 = null;
            this.presigner = null;
        }
    }

    @PreDestroy
    void close() {
        if (s3 != null) {
            s3.close();
            presigner.close();
        }
    }

    /** The bucket and its credentials, for the start-up report; configured when all three are set. */
    public ExternalService asExternalService(String without) {
        return ExternalService.of("S3 storage", without, "S3_BUCKET", config.bucket(), "S3_ACCESS_KEY_ID",
                config.accessKeyId(), "S3_SECRET_ACCESS_KEY", config.secretAccessKey());
    }

    public boolean configured() {
        return s3 != null;
    }

    public String bucket() {
        return config.bucket().orElseThrow();
    }

    /** The key of a recording's object in this bucket: see {@link ObjectKeys}. */
    public Optional<String> key(String objectKey, String location) {
        return ObjectKeys.resolve(objectKey, location, config.bucket().orElse(null));
    }

    /**
     * Deletes the object; returns normally when it is gone, whether it was there or not (S3 answers 204 either way).
     * Blocks. Throws the SDK's exception when storage cannot be reached or refuses.
     */
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket()).key(key));
    }

    /** A presigned GET of the object, valid for {@code ttl}. Signs locally: no call to storage. */
    public DownloadLink presignGet(String key, Duration ttl) {
        PresignedGetObjectRequest signed = presigner.presignGetObject(
                b -> b.signatureDuration(ttl).getObjectRequest(get -> get.bucket(bucket()).key(key)));
        return new DownloadLink(signed.url().toString(), signed.expiration());
    }

    /** A presigned URL and when it stops working. */
    public record DownloadLink(String url, Instant expiresAt) {
    }

    /** The 503 problem for an operation that needs storage on a server without it. */
    public static ProblemException notConfigured() {
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "not-configured",
                "recording storage is not configured on this server");
    }
}
