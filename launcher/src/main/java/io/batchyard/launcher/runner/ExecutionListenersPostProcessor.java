package io.batchyard.launcher.runner;

import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Registers the {@link ExecutionContextListener} on every job and step bean, and the
 * {@link FailureCauseListener} and {@link CompletedStepsRestartListener} on every job, so
 * that jobs added later get logging context, crash recovery and readable failures without
 * declaring anything.
 */
class ExecutionListenersPostProcessor implements BeanPostProcessor {

	private final ExecutionContextListener listener;

	private final FailureCauseListener failureCause;

	private final CompletedStepsRestartListener completedStepsRestart;

	ExecutionListenersPostProcessor(ExecutionContextListener listener, FailureCauseListener failureCause,
			CompletedStepsRestartListener completedStepsRestart) {
		this.listener = listener;
		this.failureCause = failureCause;
		this.completedStepsRestart = completedStepsRestart;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractJob job) {
			job.registerJobExecutionListener(this.listener);
			job.registerJobExecutionListener(this.failureCause);
			// Last, so first after the job: the others see the restored exit code.
			job.registerJobExecutionListener(this.completedStepsRestart);
		}
		if (bean instanceof AbstractStep step) {
			step.registerStepExecutionListener(this.listener);
		}
		return bean;
	}

}
