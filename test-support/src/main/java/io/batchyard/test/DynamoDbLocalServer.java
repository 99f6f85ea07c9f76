package io.batchyard.test;

import java.lang.reflect.Field;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One DynamoDB Local server per test JVM, in memory, on a free loopback port, stopped
 * when the JVM exits. {@code -sharedDb}: every access key and region sees the same
 * tables. Tests create tables with unique names.
 */
public final class DynamoDbLocalServer {

	private static DynamoDBProxyServer server;

	private static int port;

	private DynamoDbLocalServer() {
	}

	/**
	 * Returns the endpoint of the shared server, starting it on first use.
	 * @return the endpoint, {@code http://127.0.0.1:<port>}
	 */
	public static synchronized String endpoint() {
		if (server == null) {
			port = FreePorts.next();
			try {
				server = ServerRunner.createServerFromCommandLineArgs(
						new String[] { "-inMemory", "-port", String.valueOf(port), "-sharedDb", "-disableTelemetry" });
				bindToLoopback(server);
				server.start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start DynamoDB Local on port " + port, ex);
			}
			DynamoDBProxyServer started = server;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					started.stop();
				}
				catch (Exception ex) {
					// The JVM is exiting.
				}
			}, "dynamodb-local-shutdown"));
		}
		return "http://127.0.0.1:" + port;
	}

	private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
		Field field = DynamoDBProxyServer.class.getDeclaredField("server");
		field.setAccessible(true);
		Server jetty = (Server) field.get(proxy);
		for (Connector connector : jetty.getConnectors()) {
			if (connector instanceof ServerConnector serverConnector) {
				serverConnector.setHost("127.0.0.1");
			}
		}
	}

}
