package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local in this process, over HTTP, with its database file under a directory.
 * {@code -sharedDb} keeps one database for every access key and region: without it the
 * AWS CLI (other credentials, other region) would see none of the application's tables.
 */
class EmbeddedDynamoDbServer extends EmbeddedEmulator {

	private static final Log logger = LogFactory.getLog(EmbeddedDynamoDbServer.class);

	private final int port;

	private final Path dbPath;

	private DynamoDBProxyServer server;

	EmbeddedDynamoDbServer(int port, Path dbPath, EmbeddedStartup startup) {
		super(startup);
		this.port = port;
		this.dbPath = dbPath.toAbsolutePath().normalize();
	}

	@Override
	String name() {
		return "DynamoDB Local on 127.0.0.1:" + this.port;
	}

	@Override
	protected void start() throws Exception {
		try {
			Files.createDirectories(this.dbPath);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create DynamoDB Local directory " + this.dbPath, ex);
		}
		// -disableTelemetry: DynamoDB Local otherwise reports each start to AWS.
		this.server = ServerRunner.createServerFromCommandLineArgs(new String[] { "-port", String.valueOf(this.port),
				"-sharedDb", "-dbPath", this.dbPath.toString(), "-disableTelemetry" });
		bindToLoopback(this.server);
		try {
			this.server.start();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start embedded DynamoDB Local on port " + this.port
					+ "; is the port in use? Set batchyard.embedded.dynamodb.port or disable it", ex);
		}
		logger.info("Embedded DynamoDB Local listening on " + endpoint() + " with its database in " + this.dbPath);
	}

	/**
	 * DynamoDB Local has no option for the interface and listens on all of them, without
	 * authentication. Its Jetty server is private, so it is reached by reflection to bind
	 * its connector to 127.0.0.1 before it starts.
	 */
	private static void bindToLoopback(DynamoDBProxyServer proxy) {
		try {
			Field field = DynamoDBProxyServer.class.getDeclaredField("server");
			field.setAccessible(true);
			Server jetty = (Server) field.get(proxy);
			for (Connector connector : jetty.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setHost("127.0.0.1");
				}
			}
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Could not bind DynamoDB Local to 127.0.0.1 (" + ex
					+ "); it listens on all interfaces: keep its port closed to the network");
		}
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	@Override
	protected void stop() throws Exception {
		if (this.server != null) {
			this.server.stop();
			logger.info("Embedded DynamoDB Local stopped");
		}
	}

}
