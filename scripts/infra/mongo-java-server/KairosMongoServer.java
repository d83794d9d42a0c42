import java.io.File;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * Launcher for the local MongoDB wire-protocol server started by scripts/infra/up.sh
 * (MONGO_SERVER=mongo-java-server): mongo-java-server with its H2 backend, i.e. all
 * databases in one persistent H2 MVStore file.
 *
 * <pre>
 * java -cp 'jars/*:classes' KairosMongoServer HOST PORT MVSTORE_FILE
 * </pre>
 *
 * System properties:
 * <ul>
 * <li>kairos.mongo.version: MongoDB version announced to clients, MONGO_5_0 (default),
 * MONGO_4_0 or MONGO_3_6. The Node driver 6.x needs wire version 8+ (MongoDB 4.2+),
 * which only MONGO_5_0 (wire version 13) satisfies.</li>
 * <li>kairos.mongo.commitOnWrite: true (default) = every command that changed data is
 * committed to the MVStore file before its reply is sent, so an acknowledged write
 * survives kill -9 of the server (it is in the OS page cache; no fsync, so not an OS
 * crash). false = only H2's background commit (kairos.mongo.autoCommitDelayMs, default
 * 1000): faster for many tiny writes, but kill -9 loses up to that much acknowledged
 * data. Either way the file stays consistent and a clean stop (SIGTERM) writes
 * everything.</li>
 * <li>kairos.mongo.autoCommitDelayMs: H2's background commit interval (default 1000).</li>
 * <li>kairos.mongo.retentionMs: how long H2 keeps chunks without live data before it
 * reuses their space (H2 default 45000). The file grows by about write rate x this,
 * e.g. ~450 MB at 10 MB/s of document updates, and shrinks again when idle.</li>
 * <li>kairos.mongo.cacheMb: MVStore page cache in MB (H2 default 16).</li>
 * </ul>
 * On SIGTERM/SIGINT a shutdown hook closes all client connections, stops the event
 * loops and closes the H2 file, so the next start opens a cleanly closed store.
 */
public final class KairosMongoServer {

    private static final Logger log = LoggerFactory.getLogger(KairosMongoServer.class);

    private KairosMongoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: KairosMongoServer HOST PORT MVSTORE_FILE");
            System.exit(64);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        File file = new File(args[2]).getAbsoluteFile();
        ServerVersion version = ServerVersion.valueOf(System.getProperty("kairos.mongo.version", "MONGO_5_0"));
        boolean commitOnWrite = Boolean.parseBoolean(System.getProperty("kairos.mongo.commitOnWrite", "true"));
        int autoCommitDelayMs = Integer.getInteger("kairos.mongo.autoCommitDelayMs", 1000);
        int cacheMb = Integer.getInteger("kairos.mongo.cacheMb", 16);
        Integer retentionMs = Integer.getInteger("kairos.mongo.retentionMs");

        File dir = file.getParentFile();
        if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create directory " + dir);
        }
        // Opening takes the file's lock: a second server on the same file fails here.
        MVStore store = new MVStore.Builder()
            .fileName(file.getPath())
            .cacheSize(cacheMb)
            .open();
        store.setAutoCommitDelay(autoCommitDelayMs);
        if (retentionMs != null) {
            store.setRetentionTime(retentionMs);
        }
        H2Backend backend = commitOnWrite ? new CommittingH2Backend(store) : new H2Backend(store);
        backend.version(version);
        MongoServer server = new MongoServer(backend);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("signal received, shutting down");
            try {
                // Closes client connections, then MongoServer.shutdown(): event loops
                // and backend.close(), which commits and closes the MVStore file.
                server.shutdownNow();
            } catch (RuntimeException e) {
                log.error("shutdown failed", e);
                if (!store.isClosed()) {
                    store.close();
                }
            }
            stopped.countDown();
        }, "kairos-shutdown"));

        try {
            server.bind(host, port);
        } catch (RuntimeException e) {
            log.error("cannot listen on {}:{}", host, port, e);
            System.exit(1); // the shutdown hook closes the store
        }
        log.info("ready: mongodb://{}:{} (announces MongoDB {}, wire version {}), data {}, commitOnWrite={}",
            host, port, version.toVersionString(), version.getWireVersion(), file, commitOnWrite);
        stopped.await(); // netty's threads keep the JVM alive; this just parks main
    }

    /** Commits the MVStore after each command that left unsaved changes, before the reply. */
    static final class CommittingH2Backend extends H2Backend {

        CommittingH2Backend(MVStore store) {
            super(store);
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                // Also after a failed command: an unordered insert may have written
                // some documents before failing on a duplicate key.
                MVStore store = getMvStore();
                if (store.hasUnsavedChanges() && !store.isClosed()) {
                    store.commit();
                }
            }
        }
    }
}
