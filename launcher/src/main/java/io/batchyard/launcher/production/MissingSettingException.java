package io.batchyard.launcher.production;

/**
 * A setting without which this node must not start, named so that the start-up failure
 * says which property to set ({@link MissingSettingFailureAnalyzer}) instead of ending in
 * a stack trace.
 */
public class MissingSettingException extends RuntimeException {

	private final String property;

	private final String action;

	/**
	 * A refusal to start.
	 * @param property the property to set (or to remove), as it is written in properties
	 * @param description what is wrong
	 * @param action what to do about it
	 */
	public MissingSettingException(String property, String description, String action) {
		super(description);
		this.property = property;
		this.action = action;
	}

	public String getProperty() {
		return this.property;
	}

	public String getAction() {
		return this.action;
	}

}
