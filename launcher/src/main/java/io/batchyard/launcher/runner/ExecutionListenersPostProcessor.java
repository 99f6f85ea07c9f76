package io.batchyard.launcher.runner;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers the {@link ExecutionContextListener} on every job and step bean, so that jobs
 * added later get logging context and crash recovery without declaring anything.
 */
class ExecutionListenersPostProcessor implements BeanPostProcessor {

	private final ExecutionContextListener listener;

	ExecutionListenersPostProcessor(ExecutionContextListener listener) {
		this.listener = listener;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractJob job) {
			job.registerJobExecutionListener(this.listener);
		}
		if (bean instanceof AbstractStep step) {
			step.registerStepExecutionListener(this.listener);
		}
		return bean;
	}

}
