package io.batchyard.launcher.embedded;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * An emulator of the embedded default, started by {@link EmbeddedStartup} on a thread of
 * its own as soon as its bean exists. Its clients can be created meanwhile (they connect
 * only when used); what uses it during start-up waits for {@link #started()}, and the web
 * server and listeners start only once it is up.
 */
abstract class EmbeddedEmulator implements InitializingBean, DisposableBean {

	private final EmbeddedStartup startup;

	private volatile CompletableFuture<Void> started;

	EmbeddedEmulator(EmbeddedStartup startup) {
		this.startup = startup;
	}

	/**
	 * Names the emulator in logs and start-up steps.
	 * @return its name and address
	 */
	abstract String name();

	/**
	 * Starts the emulator; called once, on a start-up thread.
	 * @throws Exception if it could not start (the application does not start then)
	 */
	protected abstract void start() throws Exception;

	/**
	 * Stops what {@link #start()} started, also after a failed or partial start.
	 * @throws Exception if stopping failed
	 */
	protected abstract void stop() throws Exception;

	@Override
	public void afterPropertiesSet() {
		this.started = this.startup.submit(name(), () -> {
			try {
				start();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}, List.of());
	}

	/**
	 * Completes once the emulator answers.
	 * @return its start
	 */
	CompletableFuture<Void> started() {
		return this.started;
	}

	@Override
	public void destroy() throws Exception {
		CompletableFuture<Void> start = this.started;
		if (start != null) {
			try {
				// A failed refresh can close the context while the emulator is still
				// starting: stop it only once it has, or its port stays bound.
				start.join();
			}
			catch (CompletionException | CancellationException ex) {
				// It failed to start: stop whatever part of it did.
			}
		}
		stop();
	}

}
