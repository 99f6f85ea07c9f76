package io.batchyard.launcher.runner;

import org.slf4j.MDC;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Added to every job and step of the context: puts the job, execution and step in the
 * logging context of the thread that runs them, and claims the execution for this node so
 * that it is recovered if the node dies.
 */
class ExecutionContextListener implements JobExecutionListener, StepExecutionListener {

	static final String MDC_KEY = "batch";

	private final ObjectProvider<RunnerNode> node;

	ExecutionContextListener(ObjectProvider<RunnerNode> node) {
		this.node = node;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		MDC.put(MDC_KEY, describe(jobExecution, null));
		this.node.getObject().claim(jobExecution.getId());
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		MDC.remove(MDC_KEY);
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		MDC.put(MDC_KEY, describe(stepExecution.getJobExecution(), stepExecution.getStepName()));
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		MDC.put(MDC_KEY, describe(stepExecution.getJobExecution(), null));
		return null;
	}

	static String describe(JobExecution jobExecution, String stepName) {
		String job = "job=" + jobExecution.getJobInstance().getJobName() + " execution=" + jobExecution.getId();
		return (stepName != null) ? job + " step=" + stepName : job;
	}

}
