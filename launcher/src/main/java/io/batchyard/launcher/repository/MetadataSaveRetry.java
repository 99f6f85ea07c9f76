package io.batchyard.launcher.repository;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.batch.core.Entity;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The job repository, saving a job or step execution (or its execution context) once more
 * when the save lost its database connection, after evicting the pool's connections.
 * <p>
 * Spring Batch marks a step and its job {@code UNKNOWN} when it cannot save their
 * metadata, and an {@code UNKNOWN} execution can be neither recovered (its node is alive)
 * nor restarted; if the job execution's final save fails, it stays {@code STARTED} on a
 * live node. A dropped connection (a database failover, {@code pg_terminate_backend}) is
 * the common cause, and a new connection saves the same state.
 * <p>
 * Only saves made in a transaction of their own are tried again: a save inside a chunk's
 * transaction belongs to that transaction, which fails (and is rolled back) as a whole.
 * The second attempt cannot apply twice: before it, the execution gets back the version
 * it had before the first, so a first attempt that did commit (its commit lost on the way
 * back) makes the second fail on the row version ({@code OptimisticLockingFailure})
 * instead of writing again; a job execution is re-read for its version by Spring Batch
 * anyway, and writes the same values. The execution contexts are written whole, the same
 * again.
 */
final class MetadataSaveRetry implements InvocationHandler {

	private static final Log logger = LogFactory.getLog(MetadataSaveRetry.class);

	private final JobRepository target;

	private final DataSource dataSource;

	private MetadataSaveRetry(JobRepository target, DataSource dataSource) {
		this.target = target;
		this.dataSource = dataSource;
	}

	static JobRepository wrap(JobRepository target, DataSource dataSource) {
		return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(),
				new Class<?>[] { JobRepository.class }, new MetadataSaveRetry(target, dataSource));
	}

	@Override
	public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
		if (method.getDeclaringClass() == Object.class) {
			return switch (method.getName()) {
				case "equals" -> proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				case "toString" -> "MetadataSaveRetry(" + this.target + ")";
				default -> method.invoke(this.target, args);
			};
		}
		if (!isSave(method, args) || TransactionSynchronizationManager.isActualTransactionActive()) {
			return call(method, args);
		}
		Entity saved = (Entity) args[0];
		Integer version = saved.getVersion();
		try {
			return call(method, args);
		}
		catch (RuntimeException ex) {
			if (!ConnectionLoss.isCause(ex)) {
				throw ex;
			}
			String what = describe(method, saved);
			ConnectionLoss.evictPool(this.dataSource, what);
			logger.warn(what + " failed on a lost database connection (" + ex + "); saving it again once");
			saved.setVersion(version);
			return call(method, args);
		}
	}

	private Object call(Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(this.target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	private static boolean isSave(Method method, Object[] args) {
		return (method.getName().equals("update") || method.getName().equals("updateExecutionContext")) && args != null
				&& args.length == 1 && (args[0] instanceof StepExecution || args[0] instanceof JobExecution);
	}

	private static String describe(Method method, Entity saved) {
		String what = method.getName().equals("update") ? "Saving " : "Saving the execution context of ";
		if (saved instanceof StepExecution step) {
			return what + "step " + step.getStepName() + " (step execution " + step.getId() + ") of job="
					+ step.getJobExecution().getJobInstance().getJobName() + " execution=" + step.getJobExecutionId();
		}
		JobExecution job = (JobExecution) saved;
		return what + "job=" + job.getJobInstance().getJobName() + " execution=" + job.getId();
	}

}
