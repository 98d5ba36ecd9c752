package dev.huddle.recordings.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.TransientApiMetadata;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An S3-compatible server in the test JVM: S3Proxy (its own Jetty) in front of jclouds' in-memory "transient" blob
 * store, checking AWS signatures (V2 or V4, presigned URLs included) with one access key. The service is configured
 * with it as its storage (path-style, as S3-compatible services are usually addressed). Tests take it down and bring
 * it back on the same port ({@link #down()}, {@link #up()}) to play a storage outage; the blob store, and so the
 * objects, outlive that. Tests read and write objects straight in the blob store ({@link #blobs()}), never through
 * the code under test.
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "huddle-recordings-test";
    public static final String ACCESS_KEY = "AKIDRECORDINGSTEST";
    public static final String SECRET_KEY = "recordings-test-secret-key-0123456789";

    private static BlobStoreContext context;
    private static S3Proxy proxy;
    private static int port;

    @Override
    public Map<String, String> start() {
        // by its metadata, not by name: a lookup by name loads every jclouds provider on the class path, and
        // S3Proxy registers one (its Azure provider) whose Azure classes are deliberately left out
        context = ContextBuilder.newBuilder(new TransientApiMetadata()).credentials("identity", "credential")
                .buildView(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        port = freePort();
        up();
        return Map.of(
                "huddle.recordings.storage.endpoint", endpoint(),
                "huddle.recordings.storage.region", "us-east-1",
                "huddle.recordings.storage.bucket", BUCKET,
                "huddle.recordings.storage.access-key-id", ACCESS_KEY,
                "huddle.recordings.storage.secret-access-key", SECRET_KEY,
                "huddle.recordings.storage.path-style", "true",
                "huddle.recordings.storage.api-timeout", "5S");
    }

    @Override
    public void stop() {
        down();
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public static String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The objects S3Proxy serves. */
    public static BlobStore blobs() {
        return context.getBlobStore();
    }

    /** Storage goes away: nothing listens on its port any more. */
    public static synchronized void down() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
        proxy = null;
    }

    /** Storage comes back on the same port, with the same objects. */
    public static synchronized void up() {
        if (proxy != null) {
            return;
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        try {
            started.start();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on port " + port, e);
        }
        if (!AbstractLifeCycle.STARTED.equals(started.getState())) {
            throw new IllegalStateException("S3Proxy is " + started.getState() + " after start()");
        }
        proxy = started;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
