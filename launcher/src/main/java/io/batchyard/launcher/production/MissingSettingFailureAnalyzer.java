package io.batchyard.launcher.production;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link MissingSettingException} as Spring Boot reports a port in use: one
 * "APPLICATION FAILED TO START" block with a description and an action, wherever in the
 * start the refusal was thrown. Registered in {@code META-INF/spring.factories}.
 */
class MissingSettingFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
