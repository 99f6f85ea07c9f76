package io.batchyard.launcher.runner;

/**
 * Something that starts jobs by itself, such as a queue listener or a schedule. When this
 * node begins to shut down, {@link RunnerShutdown} silences every one of them before it
 * asks the running executions to stop.
 */
public interface LaunchTrigger {

	/**
	 * Stops taking work at once: no new message is received, no timer fires. Must not
	 * wait for work in flight to finish (that happens when the trigger's lifecycle
	 * stops); called once per shutdown, from the thread that closes the application
	 * context.
	 */
	void stopLaunching();

}
