package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.DB;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import scala.Option;
import scala.util.Either;
import scalikejdbc.ConnectionPool$;

/**
 * ElasticMQ in this process, on 127.0.0.1. With a database directory, queues (with their
 * attributes) and messages are kept in an H2 file there by ElasticMQ's own SQL
 * persistence and restored when it starts again, before it answers: a message sent before
 * a restart is still there after it, with its receive count. Without one, it keeps
 * everything in memory.
 * <p>
 * ElasticMQ's SQL store is one connection pool per JVM (scalikejdbc's default pool,
 * initialised once): only one persistent instance may run in a JVM at a time, and this
 * class opens the pool when it starts and closes it when it stops, so that the database
 * file is released and a later instance in the same JVM (a test) opens its own.
 */
class EmbeddedSqsServer extends EmbeddedEmulator {

	private static final Log logger = LogFactory.getLog(EmbeddedSqsServer.class);

	private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);

	/** The persistent instance of this JVM, if any: ElasticMQ's store is per JVM. */
	private static final AtomicReference<EmbeddedSqsServer> persistent = new AtomicReference<>();

	private final int port;

	private final Path dbPath;

	private ActorSystem actorSystem;

	private SQSRestServer server;

	/**
	 * @param port the loopback port
	 * @param dbPath the directory of its database, or {@code null} to keep everything in
	 * memory
	 * @param startup runs the start
	 */
	EmbeddedSqsServer(int port, Path dbPath, EmbeddedStartup startup) {
		super(startup);
		this.port = port;
		this.dbPath = (dbPath != null) ? dbPath.toAbsolutePath().normalize() : null;
	}

	@Override
	String name() {
		return "ElasticMQ (SQS) on 127.0.0.1:" + this.port;
	}

	@Override
	protected void start() throws IOException {
		this.actorSystem = ActorSystem.create("elasticmq");
		Option<ActorRef> store = (this.dbPath != null) ? Option.apply(openStore()) : Option.empty();
		ActorRef queueManager = this.actorSystem.actorOf(
				Props.create(QueueManagerActor.class, new NowProvider(), SQSRestServerBuilder.sqsLimits(), store),
				"queue-manager");
		if (store.isDefined()) {
			restore(store.get(), queueManager);
		}
		try {
			TheSQSRestServerBuilder builder = SQSRestServerBuilder.withActorSystem(this.actorSystem)
				.withQueueManagerActor(queueManager)
				.withInterface("127.0.0.1")
				.withPort(this.port);
			if (store.isDefined()) {
				builder = builder.withQueueEventListener(store.get());
			}
			this.server = builder.start();
			this.server.waitUntilStarted();
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not start embedded ElasticMQ (SQS) on 127.0.0.1:" + this.port
					+ "; is the port in use? Set batchyard.embedded.sqs.port or disable it", ex);
		}
		logger.info("Embedded SQS (ElasticMQ) listening on " + endpoint() + ((this.dbPath != null)
				? " with its queues and messages in " + this.dbPath : ", queues and messages in memory"));
	}

	private ActorRef openStore() throws IOException {
		if (!persistent.compareAndSet(null, this)) {
			throw new IllegalStateException("Another persistent embedded ElasticMQ runs in this JVM ("
					+ persistent.get().dbPath + "): ElasticMQ keeps one message store per JVM");
		}
		Files.createDirectories(this.dbPath);
		// WRITE_DELAY=0, as for the application's own H2 file: a message is on disk once
		// SendMessage has answered, even if the process is killed right after.
		SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver",
				"jdbc:h2:file:" + this.dbPath.resolve("elasticmq") + ";WRITE_DELAY=0", "sa", "", false);
		// DB opens scalikejdbc's default pool once per JVM; a previous instance of this
		// class closed it when it stopped, so open it again for this file.
		DB.initializeSingleton(config);
		ConnectionPool$ pools = ConnectionPool$.MODULE$;
		if (!pools.isInitialized(pools.DEFAULT_NAME())) {
			pools.singleton(config.uri(), config.username(), config.password(), pools.singleton$default$4(), pools
				.singleton$default$5(config.uri(), config.username(), config.password(), pools.singleton$default$4()));
		}
		return this.actorSystem.actorOf(
				Props.create(SqlQueuePersistenceActor.class, config, scala.collection.immutable.List$.MODULE$.empty()),
				"queue-persistence");
	}

	private void restore(ActorRef store, ActorRef queueManager) {
		Object result;
		try {
			result = Patterns.ask(store, new QueueEvent.Restore(queueManager), RESTORE_TIMEOUT)
				.toCompletableFuture()
				.get(RESTORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(
					"Could not restore the queues and messages of embedded ElasticMQ from " + this.dbPath, ex);
		}
		if (result instanceof Either<?, ?> either && either.isLeft()) {
			throw new IllegalStateException("Could not restore the queues and messages of embedded ElasticMQ from "
					+ this.dbPath + ": " + either.left().get());
		}
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	@Override
	protected void stop() throws Exception {
		try {
			if (this.server != null) {
				this.server.stopAndWait();
			}
			if (this.actorSystem != null) {
				this.actorSystem.terminate();
				this.actorSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			if (persistent.compareAndSet(this, null)) {
				ConnectionPool$ pools = ConnectionPool$.MODULE$;
				pools.close(pools.DEFAULT_NAME());
			}
		}
		if (this.server != null) {
			logger.info("Embedded SQS (ElasticMQ) stopped");
		}
	}

}
