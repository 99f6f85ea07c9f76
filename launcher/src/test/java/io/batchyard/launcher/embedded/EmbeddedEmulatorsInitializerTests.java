package io.batchyard.launcher.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.batchyard.test.FreePorts;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The emulators start with the context, only when enabled, answer once its lifecycle has
 * started, and stop when it closes; a start that fails stops the refresh, naming the
 * emulator.
 */
class EmbeddedEmulatorsInitializerTests {

	@Test
	void startsNoEmulatorUnlessEnabled() {
		// Outside the embedded profile nothing sets batchyard.embedded.*.enabled.
		try (GenericApplicationContext context = context(new MockEnvironment())) {
			context.refresh();
			assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorsConfiguration.SQS_SERVER)).isFalse();
			assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorsConfiguration.DYNAMODB_SERVER))
				.isFalse();
			assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorsConfiguration.SNS_SERVER)).isFalse();
		}
	}

	@Test
	void anEnabledEmulatorAnswersOnceTheContextHasStartedAndStopsWithIt() throws Exception {
		int port = FreePorts.next();
		try (GenericApplicationContext context = context(
				new MockEnvironment().withProperty("batchyard.embedded.sns.enabled", "true")
					.withProperty("batchyard.embedded.sns.port", String.valueOf(port)))) {
			assertThat(context.getBeanFactory().containsSingleton(EmbeddedEmulatorsConfiguration.SNS_SERVER)).isTrue();
			context.refresh();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
					.POST(HttpRequest.BodyPublishers.ofString("Action=Publish&TopicArn=arn&Message=hello"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.body()).contains("<PublishResponse");
			assertThat(context.getBean(EmbeddedSnsServer.class).recent()).singleElement()
				.satisfies((publish) -> assertThat(publish).containsEntry("Message", "hello"));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> isFree(port));
	}

	@Test
	void aStartThatFailsStopsTheRefreshNamingTheEmulator() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				GenericApplicationContext context = context(
						new MockEnvironment().withProperty("batchyard.embedded.sns.enabled", "true")
							.withProperty("batchyard.embedded.sns.port", String.valueOf(taken.getLocalPort())))) {
			assertThatException().isThrownBy(context::refresh)
				.withStackTraceContaining("SNS stand-in on 127.0.0.1:" + taken.getLocalPort() + " failed")
				.withStackTraceContaining("is the port in use?")
				.withStackTraceContaining("Address already in use");
			assertThat(context.isActive()).isFalse();
		}
	}

	private static GenericApplicationContext context(MockEnvironment environment) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.setEnvironment(environment);
		new EmbeddedEmulatorsInitializer().initialize(context);
		return context;
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

}
