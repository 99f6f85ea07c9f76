package io.batchyard.launcher.embedded;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * ElasticMQ in this process. It starts when the bean is created rather than with the
 * lifecycle, because SQS clients are used during startup (creating queues) and are made
 * to depend on this bean.
 */
class EmbeddedSqsServer implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(EmbeddedSqsServer.class);

	private final int port;

	private SQSRestServer server;

	EmbeddedSqsServer(int port) {
		this.port = port;
	}

	@Override
	public void afterPropertiesSet() {
		this.server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(this.port).start();
		try {
			this.server.waitUntilStarted();
		}
		catch (RuntimeException ex) {
			this.server.stopAndWait();
			throw new IllegalStateException("Could not start embedded ElasticMQ (SQS) on 127.0.0.1:" + this.port
					+ "; is the port in use? Set batchyard.embedded.sqs.port or disable it", ex);
		}
		logger.info("Embedded SQS (ElasticMQ) listening on " + endpoint());
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.port;
	}

	@Override
	public void destroy() {
		if (this.server != null) {
			this.server.stopAndWait();
			logger.info("Embedded SQS (ElasticMQ) stopped");
		}
	}

}
