package io.batchyard.test;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * One ElasticMQ (SQS protocol) server per test JVM, on a free loopback port, stopped when
 * the JVM exits. Tests create queues with unique names so they never share messages.
 */
public final class ElasticMqServer {

	private static SQSRestServer server;

	private static int port;

	private ElasticMqServer() {
	}

	/**
	 * Returns the endpoint of the shared server, starting it on first use.
	 * @return the endpoint, {@code http://127.0.0.1:<port>}
	 */
	public static synchronized String endpoint() {
		if (server == null) {
			server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
			port = server.waitUntilStarted().localAddress().getPort();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stopAndWait(), "elasticmq-shutdown"));
		}
		return "http://127.0.0.1:" + port;
	}

}
