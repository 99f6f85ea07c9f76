package io.batchyard.launcher.embedded;

/**
 * Sample data the embedded default loads for a newcomer, once the application is ready
 * ({@link SampleDataLoading}).
 */
interface SampleData {

	/**
	 * Names the sample data in logs and the start-up step.
	 * @return its name
	 */
	String name();

	/**
	 * Loads the sample data, unless it is there already; logs what it loaded.
	 */
	void load();

}
