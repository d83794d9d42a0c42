import java.io.File;
import java.util.concurrent.CountDownLatch;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.ServerVersion;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
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
 * Queries that name the id and filter other fields too (a version-conditional upsert,
 * {@code {_id: u, $or: [...]}}) are served by the id index, as MongoDB serves them:
 * mongo-java-server 1.47 uses an index only when the filter's keys are exactly the
 * index's, and scanned the whole collection per such operation otherwise (measured: 256
 * conditional replaces took 3 s among 5,000 documents and grew with the collection).
 * <p>
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
        H2Backend backend = new KairosH2Backend(store, commitOnWrite);
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

    /**
     * H2 backend whose collections serve id-plus-other-fields queries from the id index
     * and, with commitOnWrite, commit the MVStore after each command that left unsaved
     * changes, before the reply.
     */
    static final class KairosH2Backend extends H2Backend {

        private final boolean commitOnWrite;

        KairosH2Backend(MVStore store, boolean commitOnWrite) {
            super(store);
            this.commitOnWrite = commitOnWrite;
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String databaseName) {
            return new IdServedH2Database(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                // Also after a failed command: an unordered insert may have written
                // some documents before failing on a duplicate key.
                MVStore store = getMvStore();
                if (commitOnWrite && store.hasUnsavedChanges() && !store.isClosed()) {
                    store.commit();
                }
            }
        }
    }

    /** H2Database creating IdServedH2Collections (same MVStore maps as H2Database's). */
    static final class IdServedH2Database extends H2Database {

        /**
         * The store, for openOrCreateCollection: H2Database's constructor already opens the
         * existing collections through it, before a field of this subclass could be set.
         */
        private static MVStore store;

        IdServedH2Database(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
            super(databaseName, remember(store), cursorRegistry);
        }

        private static MVStore remember(MVStore mvStore) {
            store = mvStore;
            return mvStore;
        }

        /**
         * The explicit create (the `create` command, which mongoose sends for every model it
         * compiles) checks and creates under the same lock as the implicit create of a first
         * write. mongo-java-server 1.47 leaves it unlocked, so a write racing it could create a
         * second collection object over the same maps; writes through the one that never got
         * its _id index replaced documents instead of failing on the duplicate key (a
         * version-conditional upsert overwrote a newer list), or failed with "already existed
         * in system.namespaces". Measured with 300 fresh databases, each racing create against
         * insertMany: 3 lost conditional upserts and 5 failed writes before, none after.
         */
        @Override
        public synchronized MongoCollection<Object> createCollectionOrThrowIfExists(String collectionName,
                                                                                    CollectionOptions options) {
            return super.createCollectionOrThrowIfExists(collectionName, options);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getDatabaseName() + "." + collectionName;
            MVMap<Object, Document> dataMap = store.openMap("databases." + fullName);
            MVMap<String, Object> metaMap = store.openMap("meta." + fullName);
            return new IdServedH2Collection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
        }
    }

    /** H2Collection that looks documents up by id when a query names one, whatever else it filters. */
    static final class IdServedH2Collection extends H2Collection {

        IdServedH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                             MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                             CursorRegistry cursorRegistry) {
            super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        }

        @Override
        protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
                                             int batchSize, Document fieldSelector) {
            String idField = getIdField();
            if (idField != null && query.size() > 1 && query.containsKey(idField)) {
                // The index finds the candidates ({_id: v} or {_id: {$in: [...]}}); every
                // candidate is still matched against the whole query.
                Document byId = new Document(idField, query.get(idField));
                for (Index<Object> index : getIndexes()) {
                    if (index.canHandle(byId)) {
                        return matchDocuments(query, index.getPositions(byId), orderBy, numberToSkip, limit,
                            batchSize, fieldSelector);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
    }
}
